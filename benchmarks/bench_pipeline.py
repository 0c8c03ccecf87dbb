"""Benchmark the survey pipeline's commands (a script that prints times; not a timed test).

    python benchmarks/bench_pipeline.py [--repeat 3]

Targets (issue 4): ``simulate`` <= 5 s and ``analyse`` on the 19,005-row file <= 10 s, wall clock, each as a
fresh ``python -m leftbehind`` process (so interpreter start-up and imports count).  ``analyse`` is timed twice:
the whole command (which also writes Tables 1-8 when ``leftbehind.paper.report`` is present) and the pipeline alone
(``run_pipeline`` + writing its outputs) in-process.  The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "leftbehind"]
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw.csv"
        simulate = min(wall([*cli, "simulate", "--seed", "2023", "--out", str(raw)]) for _ in range(args.repeat))
        analyse = min(
            wall([*cli, "analyse", str(raw), "--out", str(Path(folder) / f"out{i}"), "--json", str(Path(folder) / "j.json")])
            for i in range(args.repeat)
        )
        code = (
            "import sys, time, pathlib; t = time.perf_counter();"
            "from leftbehind.yingshan.pipeline import run_pipeline; from leftbehind.commands.analyse import write_pipeline_outputs;"
            "r = run_pipeline(sys.argv[1]); write_pipeline_outputs(r, pathlib.Path(sys.argv[2]));"
            "print(time.perf_counter() - t)"
        )
        pipeline_only = min(
            float(subprocess.run([sys.executable, "-c", code, str(raw), str(Path(folder) / "p")], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout)
            for _ in range(args.repeat)
        )
    print(f"simulate (19,005 rows, whole command):           {simulate:6.2f} s  (target <= 5 s)")
    print(f"analyse (whole command, incl. tables if present): {analyse:6.2f} s  (target <= 10 s)")
    print(f"pipeline only (validate->clean->score->write):    {pipeline_only:6.2f} s")


if __name__ == "__main__":
    main()

"""Time the analysis on the canonical synthetic cohort (target: pipeline + tables + models <= 20 s).

    .venv/bin/python benchmarks/bench_analysis.py [--seed 2023]

Prints one line per stage (simulate, pipeline, Tables 1-6, Table 7, Table 8,
writing every CSV/PNG) and the total.  Timings vary by machine; nothing here is
used by the book.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)

    from leftbehind.paper import models
    from leftbehind.paper import tables
    from leftbehind.yingshan.pipeline import run_pipeline
    from leftbehind.paper.report import write_analysis_outputs
    from leftbehind.yingshan.synthetic import simulate_raw, write_raw

    timings: list[tuple[str, float]] = []

    def timed(label, func, *a):
        start = time.perf_counter()
        value = func(*a)
        timings.append((label, time.perf_counter() - start))
        print(f"{label:<34} {timings[-1][1]:6.2f} s", flush=True)
        return value

    with tempfile.TemporaryDirectory() as tmp:
        raw = timed("simulate_raw", simulate_raw, args.seed)
        path = Path(tmp) / "raw.csv"
        timed("write raw CSV", write_raw, raw, path)
        result = timed("run_pipeline", run_pipeline, path)
        analysis = result.analysis
        for label, func in (
            ("Table 1", tables.table1_demographics),
            ("Table 2", tables.table2_nssi_prevalence),
            ("Table 3", tables.table3_help_seeking),
            ("Table 4", tables.table4_professional_help),
            ("Table 5", tables.table5_coping),
            ("Table 6", tables.table6_coping_nssi_help),
        ):
            timed(label, func, analysis)
        m7 = timed("Table 7 (backward LR)", models.table7_nssi_lbc, analysis)
        m8 = timed("Table 8 (backward LR)", models.table8_help_lbc_nssi, analysis)
        out = Path(tmp) / "out"
        timed("write_analysis_outputs (all)", write_analysis_outputs, analysis, out)
    pipeline_total = sum(t for label, t in timings if label in ("simulate_raw", "write raw CSV", "run_pipeline"))
    separate = sum(t for label, t in timings if label.startswith("Table"))
    hook = timings[-1][1]
    print(f"{'pipeline (simulate+write+run)':<34} {pipeline_total:6.2f} s")
    print(f"{'analyse = pipeline + hook':<34} {pipeline_total + hook:6.2f} s  (target <= 20 s)")
    print(f"{'tables+models computed separately':<34} {separate:6.2f} s")
    print(f"Table 7 retained: {', '.join(m7['retained'])}")
    print(f"Table 8 retained: {', '.join(m8['retained'])} (events {m8['events']}, EPV {m8['events_per_variable']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

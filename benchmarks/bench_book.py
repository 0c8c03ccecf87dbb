"""Benchmark the book's build and test commands (a script that reports times; not a test).

    python benchmarks/bench_book.py            # raw execution, cold build, no-op rebuild
    python benchmarks/bench_book.py --install  # also: install .venv from uv.lock from scratch
    python benchmarks/bench_book.py --tests    # also: the full `make test`

Targets (issue 15, on the 2-core reference machine): cold build (`rm -rf _build && make book`, both editions)
<= 60 s, no-op rebuild <= 5 s, and the ratio of the cold build to the sum of the notebooks' raw execution times
(each notebook run on its own, with an empty results cache, as a cold build runs it).  Earlier targets (issue 2):
`make test` <= 5 min, install from the lock <= 3 min.  Results are printed and appended to
benchmarks/results/book.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def timed(label: str, command: list[str], **environment: str) -> float:
    print(f"[bench] {label}: {' '.join(f'{k}={v}' for k, v in environment.items())} {' '.join(command)}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **environment})
    elapsed = time.perf_counter() - start
    print(f"[bench] {label}: {elapsed:.1f} s", flush=True)
    return elapsed


def raw_execution() -> float:
    """The sum of each notebook's execution time, run one after another with an empty results cache."""
    from execute_notebooks import NOTEBOOKS, execute

    os.environ["LEFTBEHIND_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-book-")  # the kernels inherit it
    total = 0.0
    for path in sorted(NOTEBOOKS.glob("*.md")):
        seconds = execute(path, write=False)
        print(f"[bench]   {path.name}: {seconds:.1f} s", flush=True)
        total += seconds
    print(f"[bench] raw notebook execution (sum): {total:.1f} s", flush=True)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="also time a from-scratch install from uv.lock")
    parser.add_argument("--tests", action="store_true", help="also time the full `make test`")
    args = parser.parse_args()
    results: dict[str, float] = {}
    if args.install:
        shutil.rmtree(ROOT / ".venv", ignore_errors=True)
        results["install_from_lock_s"] = timed("install from lock", ["make", "env"])
    results["raw_execution_s"] = raw_execution()
    os.environ.pop("LEFTBEHIND_CACHE_DIR", None)
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    results["cold_build_s"] = timed("cold build", ["make", "book"])
    results["noop_rebuild_s"] = timed("no-op rebuild", ["make", "book"])
    # the baseline: both Sphinx runs although nothing changed (what a no-op cost before the editions' stamps)
    results["noop_sphinx_forced_s"] = timed("no-op rebuild, Sphinx forced", ["make", "book"],
                                            LEFTBEHIND_FORCE_BUILD="1")
    results["build_over_raw_execution"] = results["cold_build_s"] / results["raw_execution_s"]
    print(f"[bench] cold build {results['cold_build_s']:.1f} s (target <= 60 s: "
          f"{'met' if results['cold_build_s'] <= 60 else 'NOT met'}); no-op {results['noop_rebuild_s']:.1f} s "
          f"(target <= 5 s: {'met' if results['noop_rebuild_s'] <= 5 else 'NOT met'}; "
          f"{results['noop_sphinx_forced_s']:.1f} s with Sphinx forced); cold build / sum of raw "
          f"execution = {results['build_over_raw_execution']:.2f}", flush=True)
    if args.tests:
        results["make_test_s"] = timed("make test", ["make", "test"])
    results["machine"] = f"{platform.machine()} {platform.processor() or ''} cores={os.cpu_count()}".strip()
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with open(out / "book.jsonl", "a") as handle:
        handle.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **results}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

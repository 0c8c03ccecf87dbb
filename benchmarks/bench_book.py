"""Benchmark the book's build and test commands (a script that reports times; not a test).

    python benchmarks/bench_book.py            # raw execution, cold build, no-op rebuild
    python benchmarks/bench_book.py --install  # also: install .venv from uv.lock from scratch
    python benchmarks/bench_book.py --tests    # also: the full `make test`

Targets (issue #2, on the 2-core reference machine): cold build <= 90 s, no-op rebuild <= 10 s,
`make test` <= 5 min, install from the lock <= 3 min.  Results are printed and appended to
benchmarks/results/book.jsonl.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def timed(label: str, command: list[str]) -> float:
    print(f"[bench] {label}: {' '.join(command)}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    print(f"[bench] {label}: {elapsed:.1f} s", flush=True)
    return elapsed


def raw_execution() -> float:
    from execute_notebooks import NOTEBOOKS, execute

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
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    results["cold_build_s"] = timed("cold build", ["make", "book"])
    results["noop_rebuild_s"] = timed("no-op rebuild", ["make", "book"])
    results["build_over_raw_execution"] = results["cold_build_s"] / results["raw_execution_s"]
    if args.tests:
        results["make_test_s"] = timed("make test", ["make", "test"])
    results["machine"] = f"{platform.machine()} {platform.processor() or ''} cores={__import__('os').cpu_count()}".strip()
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with open(out / "book.jsonl", "a") as handle:
        handle.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **results}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

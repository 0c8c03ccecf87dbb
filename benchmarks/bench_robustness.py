"""Benchmark the robustness chapter: the bootstrap of the elimination, and the whole chapter from a cold cache.

    python benchmarks/bench_robustness.py                  # both parts
    python benchmarks/bench_robustness.py --skip-chapter   # the bootstrap only
    python benchmarks/bench_robustness.py --skip-bootstrap # the chapter only

A script that reports times (never a test).  Part 1 times the fast bootstrap of Table 7's whole backward
elimination (:func:`leftbehind.stats.bootstrap_selection.bootstrap_selection`, ``--resamples`` on ``--workers``
processes) and, in the same run, the exact path (:func:`leftbehind.stats.stepwise.backward_lr`, statsmodels, on
copied rows) on ``--subset`` resamples scaled up, and checks that both retain the same variables on each of
those resamples; then Table 8's bootstrap (282 rows) by the lockstep path and by the one-at-a-time path,
interleaved, with the same decisions checked on every resample.  Part 2 computes every section of the chapter (:mod:`leftbehind.chapters.robustness`) with an
empty cache (a temporary ``LEFTBEHIND_CACHE_DIR``), section by section.  Peak memory is the largest resident
set of this process and of its worker processes.  Targets (issue 15): bootstrap <= 8 s, chapter <= 20 s, on
2 cores.  Results are appended to ``benchmarks/results/robustness.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of the largest finished child process."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def bench_bootstrap(args) -> dict:
    from leftbehind.paper.models import design_matrix
    from leftbehind.paper.sensitivity import synthetic_analysis
    from leftbehind.stats.bootstrap_selection import (backward_reference, bootstrap_selection, resample_indices,
                                                      selection_problem)

    analysis = synthetic_analysis()
    lbc = analysis[analysis["lbc"].astype(bool)].reset_index(drop=True)
    design, blocks = design_matrix(lbc)
    y = lbc["nssi"].to_numpy(dtype=float)
    problem = selection_problem(design, y, blocks)
    start, cpu = time.perf_counter(), time.process_time()
    fast = bootstrap_selection(problem, n_boot=args.resamples, workers=args.workers)
    fast_s = time.perf_counter() - start
    print(f"[bench] fast bootstrap of the elimination: {args.resamples:,} resamples, {args.workers} worker(s): "
          f"{fast_s:.1f} s", flush=True)
    start = time.perf_counter()
    same = 0
    for b in range(args.subset):
        exact = backward_reference(design, y, blocks, resample_indices(len(y), fast.seed, b))
        same += sorted(exact.retained) == sorted(v for v, r in zip(fast.variables, fast.retained[b]) if r)
    exact_s = (time.perf_counter() - start) / args.subset * args.resamples
    print(f"[bench] exact path (stepwise.backward_lr, statsmodels), 1 process: {exact_s:.1f} s for "
          f"{args.resamples:,} (scaled from {args.subset}); same retained set on {same}/{args.subset} resamples",
          flush=True)
    ratio = exact_s / fast_s
    own, children = peak_mb()
    print(f"[bench] exact / fast: {ratio:.0f}x; peak memory {own:.0f} MB (workers {children:.0f} MB); "
          f"target <= 8 s: {'met' if fast_s <= 8 else 'NOT met'}", flush=True)
    return {"bootstrap_s": round(fast_s, 2), "exact_s": round(exact_s, 1), "exact_measured_on": args.subset,
            "same_retained": f"{same}/{args.subset}", "ratio_exact_over_fast": round(ratio, 1)}


def bench_table8(args) -> dict:
    """Table 8's bootstrap (282 rows): the lockstep path against the one-resample-at-a-time path, same run."""
    from leftbehind.chapters.robustness import robustness_chapter
    from leftbehind.stats import bootstrap_selection as bs

    cohort = robustness_chapter(n_boot=args.resamples).cohort
    problem = bs.selection_problem(cohort.design8, cohort.y8, cohort.blocks)
    limit, seconds, results = bs.LOCKSTEP_MAX_ROWS, {}, {}
    try:
        for path, rows in (("one at a time", 0), ("lockstep", limit), ("one at a time", 0), ("lockstep", limit)):
            bs.LOCKSTEP_MAX_ROWS = rows  # interleaved, so a drift in the machine's speed hits both alike
            start = time.perf_counter()
            results[path] = bs.bootstrap_selection(problem, n_boot=args.resamples, workers=args.workers)
            seconds.setdefault(path, []).append(time.perf_counter() - start)
    finally:
        bs.LOCKSTEP_MAX_ROWS = limit
    one, together = results["one at a time"], results["lockstep"]
    same = bool((one.retained == together.retained).all() and (one.failed == together.failed).all())
    gap = float(np.nanmax(np.abs(one.final_params - together.final_params)))
    best = {path: min(times) for path, times in seconds.items()}
    print(f"[bench] Table 8 bootstrap ({len(problem.y)} rows, {args.resamples:,} resamples, {args.workers} "
          f"worker(s)): lockstep {best['lockstep']:.1f} s, one at a time {best['one at a time']:.1f} s (best of 2, "
          f"interleaved); ratio {best['one at a time'] / best['lockstep']:.1f}x; same retained and failed "
          f"resamples: {same}; largest estimate difference {gap:.1e}", flush=True)
    return {"table8_lockstep_s": round(best["lockstep"], 2), "table8_one_at_a_time_s": round(best["one at a time"], 2),
            "table8_same_decisions": same, "table8_max_estimate_gap": gap}


def bench_chapter(args) -> dict:
    os.environ["LEFTBEHIND_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-robustness-")
    from leftbehind.chapters.robustness import RobustnessChapter, robustness_chapter

    times = {}
    start = time.perf_counter()
    chapter = robustness_chapter(workers=args.workers)
    times["cohort"] = time.perf_counter() - start
    for section in RobustnessChapter.SECTIONS:
        t = time.perf_counter()
        chapter.facts(section)
        times[section] = time.perf_counter() - t
    total = time.perf_counter() - start
    for name, seconds in times.items():
        print(f"[bench] chapter, cold: {name:<13} {seconds:7.1f} s", flush=True)
    own, children = peak_mb()
    print(f"[bench] chapter, cold, total: {total:.1f} s on {args.workers} worker(s); peak memory {own:.0f} MB "
          f"(workers {children:.0f} MB); target <= 20 s: {'met' if total <= 20 else 'NOT met'}", flush=True)
    return {"chapter_cold_s": round(total, 1), "chapter_sections_s": {k: round(v, 1) for k, v in times.items()}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--subset", type=int, default=10, help="resamples for the exact path")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-chapter", action="store_true")
    parser.add_argument("--skip-bootstrap", action="store_true")
    args = parser.parse_args(argv)
    print(f"[bench] {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} (other processes share the cores)",
          flush=True)
    record = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": platform.platform(), "cpus": os.cpu_count(),
              "load_average": round(os.getloadavg()[0], 1), "resamples": args.resamples, "workers": args.workers}
    if not args.skip_bootstrap:
        record.update(bench_bootstrap(args))
        record.update(bench_table8(args))
    if not args.skip_chapter:
        record.update(bench_chapter(args))
    own, children = peak_mb()
    record.update({"peak_mb": round(own), "peak_worker_mb": round(children)})
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    with open(results / "robustness.jsonl", "a") as out:
        out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

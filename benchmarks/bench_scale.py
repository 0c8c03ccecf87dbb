"""Scale: ``python -m leftbehind analyse RAW --out DIR`` on 1x, 10x and 100x the synthetic export (issue 15, part 3).

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1,10,100] [--rows 2000000] [--exact-at 1,10]

The big exports are the synthetic export (``simulate --seed 2023``, 19,005 questionnaires) stacked with new
ids (``benchmarks/scale_export.py``), written to a temporary folder and deleted afterwards.  Each run is a
fresh process (imports count); wall time, CPU time and peak memory are measured with ``wait4``.  Printed
beside each: the wall-time ratio to 1x and the cost per row relative to 1x (1.0 = linear; below 1 = the
fixed costs -- imports, figures -- are spread over more rows).  ``--rows`` adds one export of exactly that
many rows (the issue's two million).  ``--exact-at`` also runs, at those sizes, the exact paths the fast
ones replace (validation of every cell as text, statsmodels for every elimination fit, pandas ``to_csv``)
in the same run, for the ratio fast / exact.  Targets: two million rows <= 2 min wall and <= 4 GB peak on
two cores.  On a shared machine the wall time depends on the load (printed); the CPU time much less.
Results are appended to ``benchmarks/results/scale.jsonl``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import append, line, run  # noqa: E402
from scale_export import stack_export  # noqa: E402

#: The exact paths, switched on in a child process for the baseline (no switch exists in the package).
EXACT = (
    "import sys; import leftbehind.yingshan.validate as v; import leftbehind.paper.models as m;"
    "import leftbehind.core.fast_csv as f;"
    "v.read_plain_csv = lambda *a, **k: None; m.FAST_FROM_ROWS = float('inf');"
    "f.write_csv = lambda frame, path: frame.to_csv(path, index=False);"
    "from leftbehind.__main__ import main; sys.exit(main(sys.argv[1:]))"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="multiples of the 19,005-row export")
    parser.add_argument("--rows", type=int, default=None, help="also an export of exactly this many rows")
    parser.add_argument("--exact-at", default="1,10", help="sizes at which the exact paths also run ('' for none)")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    exact_at = [int(s) for s in args.exact_at.split(",") if s]
    cli = [sys.executable, "-m", "leftbehind"]
    records = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base = tmp / "raw1.csv"
        run([*cli, "simulate", "--seed", str(args.seed), "--out", str(base)])
        exports = []
        for size in sizes:
            path = base if size == 1 else tmp / f"raw{size}.csv"
            rows = stack_export(base, path, size) if size > 1 else sum(1 for _ in open(base)) - 1
            exports.append((f"{size}x", rows, path, size in exact_at))
        if args.rows:
            copies = -(-args.rows // exports[0][1])
            path = tmp / f"raw{args.rows}.csv"
            exports.append((f"{args.rows:,} rows", stack_export(base, path, copies, args.rows), path, False))
        first = None
        print(f"{'export':<34} {'':>8}   {'':>8}   {'':>8}        ratio to 1x (wall), cost per row vs 1x")
        for label, rows, path, exact in exports:
            fast = run([*cli, "analyse", str(path), "--out", str(tmp / "out")])
            first = first or (rows, fast)
            ratio = fast.wall_s / first[1].wall_s
            per_row = ratio / (rows / first[0])
            print(line(f"{label} ({rows:,} rows)", fast, f"x{ratio:6.1f}, per row {per_row:.2f}"), flush=True)
            record = {"export": label, "rows": rows, "fast": fast, "ratio_to_1x": ratio, "cost_per_row_vs_1x": per_row}
            if exact:
                slow = run([sys.executable, "-c", EXACT, "analyse", str(path), "--out", str(tmp / "out_exact")])
                print(line(f"  exact paths, same export", slow, f"exact / fast = {slow.wall_s / fast.wall_s:.1f}"
                           f" (CPU {slow.cpu_s / fast.cpu_s:.1f})"), flush=True)
                record["exact"] = slow
                record["exact_over_fast"] = slow.wall_s / fast.wall_s
            records.append(record)
            if path != base:
                path.unlink()
    big = max(records, key=lambda r: r["rows"])
    print(f"largest export: {big['rows']:,} rows in {big['fast'].wall_s:.0f} s wall ({big['fast'].cpu_s:.0f} s CPU), "
          f"{big['fast'].peak_mb / 1024:.2f} GB peak (targets: <= 120 s, <= 4 GB on two cores)")
    print(f"appended to {append('scale', {'runs': records})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Make a big export in the raw-data contract by stacking the synthetic export with new ids.

    .venv/bin/python benchmarks/scale_export.py RAW.csv OUT.csv --copies 10 [--rows N]

Copy ``k`` (from 1) of every questionnaire gets the identifier ``<response_id>-<k>`` and the school
``<school_id>-<k>`` (a province of schools, each surveyed once), so ``response_id`` stays unique.
``--rows`` cuts the stacked file to its first N data rows (e.g. exactly 2,000,000).  The file is
synthetic, like the export it is made from; never commit it (it is hundreds of megabytes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def stack_export(source: Path, target: Path, copies: int, rows: int | None = None) -> int:
    """Write ``copies`` stacked copies of ``source`` (new ids) to ``target``; return the number of data rows."""
    lines = Path(source).read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line.split(",", 2) for line in lines[1:]]
    written = 0
    limit = rows if rows is not None else copies * len(body)
    with open(target, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        for k in range(1, copies + 1):
            if written >= limit:
                break
            chunk = body[: limit - written]
            out.write("".join(f"{rid}-{k},{school}-{k},{rest}\n" for rid, school, rest in chunk))
            written += len(chunk)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, required=True)
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args(argv)
    n = stack_export(args.raw, args.out, args.copies, args.rows)
    print(f"wrote {n:,} synthetic questionnaires to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

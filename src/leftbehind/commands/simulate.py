"""``python -m leftbehind simulate``: write the synthetic raw questionnaire export (not real children)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from leftbehind.yingshan.synthetic import DEFAULT_SEED, simulate_raw, write_raw


def add_arguments(parser) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, required=True, help="path of the CSV to write")


def run(args) -> int:
    start = time.perf_counter()
    print(f"simulating the synthetic cohort (seed {args.seed}) ...", file=sys.stderr, flush=True)
    raw = simulate_raw(seed=args.seed)
    write_raw(raw, args.out)
    print(f"wrote {len(raw)} synthetic questionnaires to {args.out} in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)
    return 0

"""Write ``data/examples/student_survey.csv``: a small SYNTHETIC raw export for the adapt-your-survey guide.

Not real children: the rows are drawn from the book's synthetic cohort
(``leftbehind.yingshan.synthetic.simulate_raw``), which does not yet support a small
sample size of its own.  So that the models of Tables 7 and 8 have something to
fit in a few hundred rows, the file keeps every left-behind child who reported
NSSI and draws the rest at random (NSSI is therefore far more common in this
file than in any real survey); it also keeps a few incomplete questionnaires so
the exclusion step has work to do.

    python scripts/make_example_survey.py            # rewrites the file (deterministic)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "examples" / "student_survey.csv"
SEED = 2023
OTHER_PUPILS = 300
INCOMPLETE = 15


def main() -> int:
    from leftbehind.yingshan.pipeline import run_pipeline
    from leftbehind.yingshan.synthetic import simulate_raw, write_raw

    raw = simulate_raw(seed=SEED)
    with tempfile.TemporaryDirectory() as tmp:
        result = run_pipeline(write_raw(raw, Path(tmp) / "raw.csv"))
    analysis = result.analysis
    rng = np.random.default_rng(SEED)
    lbc_cases = analysis.loc[analysis["lbc"] & (analysis["nssi"] == 1), "response_id"]
    others = analysis.loc[~analysis["response_id"].isin(lbc_cases), "response_id"]
    incomplete = result.exclusions["response_id"] if "response_id" in result.exclusions else []
    chosen = set(lbc_cases) | set(rng.choice(others.to_numpy(), size=OTHER_PUPILS, replace=False))
    if len(incomplete):
        chosen |= set(rng.choice(np.asarray(incomplete), size=INCOMPLETE, replace=False))
    example = raw[raw["response_id"].isin(chosen)].reset_index(drop=True)
    write_raw(example, OUT)
    print(f"wrote {len(example)} synthetic questionnaires to {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

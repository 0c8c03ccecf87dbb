"""The survey pipeline: raw export -> validated -> cleaned (counted) -> derived -> scored.

:func:`run_pipeline` is the one call behind ``python -m leftbehind analyse`` and
the book's chapters; it works unchanged on the synthetic cohort and on a real
export in the same contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from leftbehind.clean import exclude, exclusions_by_reason
from leftbehind.codebook import load_codebook
from leftbehind.derive import derive
from leftbehind.scoring import alpha_by_factor, factor_scores
from leftbehind.validate import validate_export

HELP_CATEGORIES = ("none", "refused", "self_help", "professional")


@dataclass
class PipelineResult:
    """Everything the pipeline produces (no raw answers beyond the coping items used for alpha)."""

    analysis: pd.DataFrame
    flow: dict
    exclusions: pd.DataFrame
    alpha: pd.DataFrame
    log: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The JSON keys the ``analyse`` command reports."""
        lbc = self.analysis[self.analysis["lbc"]]
        cases = lbc[lbc["nssi"] == 1]
        counts = cases["help_seeking"].value_counts()
        return {
            "flow": dict(self.flow),
            "lbc": {"n": int(len(lbc)), "nssi": int(len(cases))},
            "help_seeking_lbc": {k: int(counts.get(k, 0)) for k in HELP_CATEGORIES},
        }


def run_pipeline(path: Path, progress: Callable[[str], None] | None = None) -> PipelineResult:
    """Validate, exclude (counted), derive and score the export at ``path``."""
    say = progress or (lambda message: None)
    codebook = load_codebook()
    say(f"validating {path}")
    export = validate_export(Path(path), codebook)
    log = [f"read {len(export.data)} questionnaires from {Path(path).name}"]
    if export.dropped_columns:
        log.append(f"dropped unknown column(s), not carried into any output: {', '.join(export.dropped_columns)}")
    say("excluding incomplete and out-of-range questionnaires")
    cleaned = exclude(export.data, codebook)
    for row in exclusions_by_reason(cleaned.exclusions).itertuples():
        log.append(f"excluded {row.n} ({row.reason}: {row.detail})")
    say("deriving variables and scoring the coping scale")
    analysis = pd.concat([derive(cleaned.kept, codebook), factor_scores(cleaned.kept, codebook)], axis=1)
    alpha = alpha_by_factor(cleaned.kept, codebook)
    log.append(f"analysed {len(analysis)} questionnaires")
    return PipelineResult(analysis=analysis, flow=cleaned.flow, exclusions=cleaned.exclusions, alpha=alpha, log=log)

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

from leftbehind.yingshan.clean import exclude, exclusions_by_reason
from leftbehind.spec.codebook import load_codebook
from leftbehind.yingshan.derive import LEVELS, derive
from leftbehind.core.errors import UserError
from leftbehind.stats.estimable import collect_warnings, warning_summary
from leftbehind.survey.scoring import alpha_by_factor, factor_scores
from leftbehind.yingshan.validate import validate_export

HELP_CATEGORIES = tuple(LEVELS["help_seeking"])
#: Fewer analysable questionnaires than this and nothing can be computed (Cronbach's alpha needs two).
MIN_ANALYSED = 2


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


def run_pipeline(path: Path, progress: Callable[[str], None] | None = None, encoding: str | None = None) -> PipelineResult:
    """Validate, exclude (counted), derive and score the export at ``path`` (CSV or ``.xlsx``).

    ``encoding`` forces the CSV encoding; by default UTF-8 (BOM accepted), then GB18030/GBK.
    """
    say = progress or (lambda message: None)
    codebook = load_codebook()
    say(f"validating {path}")
    export = validate_export(Path(path), codebook, encoding=encoding)
    log = [f"read {len(export.data)} questionnaires from {Path(path).name} ({export.read_info.describe()})"]
    if export.dropped_columns:
        log.append(f"dropped column(s) not in the codebook, not carried into any output: "
                   f"{', '.join(export.dropped_columns)}")
    say("excluding incomplete and out-of-range questionnaires")
    cleaned = exclude(export.data, codebook)
    for row in exclusions_by_reason(cleaned.exclusions).itertuples():
        log.append(f"excluded {row.n} ({row.reason}: {row.detail})")
    if len(cleaned.kept) < MIN_ANALYSED:
        reasons = "; ".join(line.removeprefix("excluded ") for line in log if line.startswith("excluded"))
        blanks = cleaned.exclusions["first_blank"].replace("", pd.NA).dropna().value_counts()
        if len(blanks):
            reasons += "; most often blank: " + ", ".join(f"{name} ({k})" for name, k in blanks.head(3).items())
        raise UserError(
            f"{path}: only {len(cleaned.kept)} of {len(export.data)} questionnaires are complete and in range "
            f"({reasons or 'none excluded'}); at least {MIN_ANALYSED} are needed to analyse anything"
        )
    say("deriving variables and scoring the coping scale")
    with collect_warnings() as caught:
        analysis = pd.concat([derive(cleaned.kept, codebook), factor_scores(cleaned.kept, codebook)], axis=1)
        alpha = alpha_by_factor(cleaned.kept, codebook)
    log += [f"numerical warning while scoring: {line}" for line in warning_summary(caught)]
    log.append(f"analysed {len(analysis)} questionnaires")
    return PipelineResult(analysis=analysis, flow=cleaned.flow, exclusions=cleaned.exclusions, alpha=alpha, log=log)

"""The book's cohort as the robustness checks use it: the left-behind children, those with NSSI, Tables 7 and 8.

The one place the robustness chapter (:mod:`leftbehind.chapters.robustness`) gets Yingshan column names from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from leftbehind.paper.models import design_matrix, table7_nssi_lbc, table8_help_lbc_nssi


@dataclass
class Cohort:
    """The book's cohort as the chapter uses it: LBC, LBC with NSSI, Tables 7 and 8, the designs and blocks."""

    analysis: pd.DataFrame
    lbc: pd.DataFrame
    cases: pd.DataFrame
    table7: dict
    table8: dict
    design7: pd.DataFrame
    design8: pd.DataFrame
    blocks: dict[str, list[str]]

    @classmethod
    def from_analysis(cls, analysis: pd.DataFrame) -> "Cohort":
        lbc = analysis[analysis["lbc"].astype(bool)].reset_index(drop=True)
        cases = lbc[pd.to_numeric(lbc["nssi"]) == 1].reset_index(drop=True)
        design7, blocks = design_matrix(lbc)
        design8, _ = design_matrix(cases)
        return cls(analysis, lbc, cases, table7_nssi_lbc(analysis), table8_help_lbc_nssi(analysis), design7, design8,
                   blocks)

    @property
    def key(self) -> str:
        """A hash of the analysis dataset, so cached results of another cohort are never read for this one."""
        digest = hashlib.sha256(pd.util.hash_pandas_object(self.analysis, index=False).to_numpy().tobytes())
        return digest.hexdigest()

    @property
    def final_columns(self) -> list[str]:
        return [c for v in self.table7["retained"] for c in self.blocks[v]]

    @property
    def school(self) -> pd.Series:
        """Each left-behind child's school (the cluster)."""
        return self.lbc["school_id"]

    @property
    def y7(self) -> pd.Series:
        """Table 7's outcome among the left-behind children: NSSI (0/1)."""
        return self.lbc["nssi"]

    @property
    def y8(self) -> pd.Series:
        """Table 8's outcome among those with NSSI: professional help (0/1, float)."""
        return self.cases["professional"].astype(float)

"""Two groups compared: a contingency-table test for counts, Welch's t-test and Cohen's d for means.

The paper says only "chi-square" and "t-test" (run in SPSS); the choices made here are:

* counts: Pearson's chi-square without continuity correction (SPSS's first line); a 2x2 table with an expected
  count below 5 uses Fisher's exact test instead; larger tables with small expected counts keep the chi-square
  and say so in ``note``;
* means: Welch's t-test (no equal-variance assumption), with Cohen's d on the pooled SD as the effect size.

Used by the paper's Tables 1-6 (:mod:`leftbehind.paper.tables`) and by any spec
(:mod:`leftbehind.stats.group_prevalence`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def compare_counts(table: np.ndarray) -> dict:
    """Test independence in a contingency table (rows = groups, columns = outcome levels).

    Pearson chi-square without continuity correction; Fisher's exact test for a
    2x2 table with any expected count below 5.  Empty rows/columns are dropped.
    """
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return {"test": "not testable", "statistic": np.nan, "df": np.nan, "p": np.nan, "note": "a margin is empty"}
    expected = stats.contingency.expected_freq(table)
    small = bool((expected < 5).any())
    if table.shape == (2, 2) and small:
        result = stats.fisher_exact(table)
        return {"test": "Fisher exact", "statistic": np.nan, "df": np.nan, "p": float(result.pvalue), "note": "expected count < 5"}
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    note = "expected count < 5 in some cells" if small else ""
    return {"test": "chi-square", "statistic": float(chi2), "df": float(dof), "p": float(p), "note": note}


def cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's d of ``a`` minus ``b`` on the pooled standard deviation."""
    n1, n2 = len(a), len(b)
    pooled = np.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    return float((np.mean(a) - np.mean(b)) / pooled)


def compare_means(a: pd.Series, b: pd.Series) -> dict:
    """Welch's t-test of ``a`` vs ``b`` with Cohen's d (``a`` minus ``b``)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    result = stats.ttest_ind(a, b, equal_var=False)
    return {
        "test": "Welch t",
        "statistic": float(result.statistic),
        "df": float(result.df),
        "p": float(result.pvalue),
        "difference": float(np.mean(a) - np.mean(b)),
        "cohens_d": cohens_d(a, b),
    }

"""Many tests, one table: Holm and Benjamini-Hochberg adjusted p-values.

Tables 5 and 6 compare seven coping factors and two composites across several
groups, so some "significant" differences are expected by chance alone.  This
module adds, beside each raw p-value, the Holm (family-wise error) and the
Benjamini-Hochberg (false discovery rate) adjusted p-values, computed by
:func:`statsmodels.stats.multitest.multipletests`.  Adjustment is done within a
*family* of tests (by default the whole table; pass ``family`` to adjust, e.g.,
each comparison separately).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

#: Adjusted column name -> statsmodels method name.
METHODS = {"p_holm": "holm", "p_bh": "fdr_bh"}


def adjust_pvalues(pvalues, method: str) -> np.ndarray:
    """Adjusted p-values for one family (``method`` as in ``multipletests``: "holm", "fdr_bh", ...)."""
    values = np.asarray(pvalues, dtype=float)
    if np.isnan(values).any():
        raise ValueError("p-values must not be missing; drop untested rows first")
    return multipletests(values, method=method)[1]


def add_adjusted_pvalues(table: pd.DataFrame, p_column: str = "p", family: str | list[str] | None = None,
                         alpha: float = 0.05) -> pd.DataFrame:
    """A copy of ``table`` with ``p_holm`` and ``p_bh`` beside ``p_column`` and a count of who stays significant.

    Rows are adjusted within groups of ``family`` (column name(s)) or all
    together.  Adds boolean ``significant_raw``, ``significant_holm``,
    ``significant_bh`` at level ``alpha``.
    """
    if p_column not in table.columns:
        raise KeyError(f"table has no p-value column {p_column!r}")
    out = table.copy()
    groups = [np.arange(len(out))] if family is None else list(out.reset_index(drop=True).groupby(family, sort=False).indices.values())
    for column, method in METHODS.items():
        adjusted = np.empty(len(out))
        for positions in groups:
            adjusted[positions] = adjust_pvalues(out[p_column].to_numpy()[positions], method)
        out[column] = adjusted
    position = out.columns.get_loc(p_column)
    ordered = list(out.columns[: position + 1]) + list(METHODS) + [c for c in out.columns[position + 1:] if c not in METHODS]
    out = out[ordered]
    out["significant_raw"] = out[p_column] < alpha
    out["significant_holm"] = out["p_holm"] < alpha
    out["significant_bh"] = out["p_bh"] < alpha
    return out


def significance_counts(adjusted: pd.DataFrame) -> dict[str, int]:
    """How many tests are significant raw, after Holm, after BH (from :func:`add_adjusted_pvalues`)."""
    return {
        "tests": int(len(adjusted)),
        "raw": int(adjusted["significant_raw"].sum()),
        "holm": int(adjusted["significant_holm"].sum()),
        "bh": int(adjusted["significant_bh"].sum()),
    }

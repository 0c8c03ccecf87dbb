"""Coping scale scores (item means) and internal consistency (Cronbach's alpha).

No library in the book's environment computes Cronbach's alpha, so it is
written here from its definition and tested against a worked textbook example:

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the total)

(sample variances, ddof = 1; complete cases only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leftbehind.spec.codebook import Codebook, load_codebook


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``items`` (rows = respondents), complete rows only."""
    values = items.dropna().to_numpy(dtype=float)
    n, k = values.shape
    if k < 2 or n < 2:
        raise ValueError("Cronbach's alpha needs at least two items and two respondents")
    item_variances = values.var(axis=0, ddof=1).sum()
    total_variance = values.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_variances / total_variance))


def factor_scores(raw: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Each coping factor as the mean of its items (1-4), then the two orientation means of factor means."""
    codebook = codebook or load_codebook()
    scores = pd.DataFrame(index=raw.index)
    for factor, items in codebook.factor_items().items():
        scores[factor] = raw[items].astype(float).mean(axis=1)
    for orientation, entry in codebook.orientations.items():
        scores[orientation] = scores[entry["factors"]].mean(axis=1)
    return scores


def alpha_by_factor(raw: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Cronbach's alpha, number of items, and mean item score per factor."""
    codebook = codebook or load_codebook()
    rows = []
    for factor, items in codebook.factor_items().items():
        block = raw[items].astype(float)
        rows.append({
            "factor": factor,
            "label": codebook.factors[factor]["label"],
            "items": f"{items[0]}–{items[-1]}",
            "n_items": len(items),
            "mean": float(np.nanmean(block.to_numpy())),
            "alpha": cronbach_alpha(block),
        })
    return pd.DataFrame(rows)

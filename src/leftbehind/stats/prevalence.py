"""Prevalence with 95 % confidence intervals, from a count and a total.

Two intervals are reported because they answer slightly different needs: the
Wilson score interval has close to nominal coverage and is the usual choice;
the Clopper–Pearson ("exact", beta) interval never undercovers and is what many
statistical packages print.  Both come from statsmodels' ``proportion_confint``.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from leftbehind.core.errors import UserError

METHODS = {"wilson": "Wilson score", "beta": "Clopper–Pearson (exact)"}


def prevalence_interval(count: int, total: int, method: str = "wilson", alpha: float = 0.05) -> tuple[float, float]:
    """The (low, high) confidence limits for ``count / total`` as proportions."""
    if not (0 <= count <= total) or total <= 0:
        raise UserError(f"prevalence: count {count} and total {total} must satisfy 0 ≤ count ≤ total, total > 0")
    if method not in METHODS:
        raise UserError(f"prevalence: method must be one of {sorted(METHODS)}, got {method!r}")
    low, high = proportion_confint(count, total, alpha=alpha, method=method)
    return float(low), float(high)


def wilson_percent(count: int, total: int) -> tuple[float, float]:
    """95 % Wilson score limits for ``count / total`` in percent; ``(nan, nan)`` for an empty group."""
    if total == 0:
        return (float("nan"), float("nan"))
    low, high = prevalence_interval(count, total, "wilson")
    return 100 * low, 100 * high


def prevalence_table(count: int, total: int, alpha: float = 0.05) -> pd.DataFrame:
    """Prevalence in percent with Wilson and Clopper–Pearson limits, one row per method."""
    rows = []
    for method, label in METHODS.items():
        low, high = prevalence_interval(count, total, method, alpha)
        rows.append(
            {"method": label, "count": count, "total": total, "percent": 100 * count / total,
             "ci_low_percent": 100 * low, "ci_high_percent": 100 * high}
        )
    return pd.DataFrame(rows)

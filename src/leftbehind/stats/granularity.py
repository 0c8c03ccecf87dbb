"""Granularity checks: which integer counts could have produced a printed share?

A percentage printed with ``d`` decimals stands for every exact value within
half a printed unit of it.  With a known denominator ``n`` only the fractions
``k / n`` exist, so a printed share is *consistent* when at least one integer
``k`` lands in that window (the idea behind the GRIM test of Brown and Heathers,
2017).  Both rounding conventions are accepted: the window is closed at both
ends, so a value exactly half-way rounds either way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: slack for floating-point error at the window's edges
EPSILON = 1e-9


def printed_window(printed: float, decimals: int) -> tuple[float, float]:
    """The closed interval of exact values that print as ``printed`` at ``decimals`` places."""
    half = 0.5 * 10.0**-decimals
    return printed - half - EPSILON, printed + half + EPSILON


def rounds_to(exact, printed: float, decimals: int):
    """True where ``exact`` (scalar or array) prints as ``printed`` at ``decimals`` places."""
    low, high = printed_window(printed, decimals)
    exact = np.asarray(exact, dtype=float)
    return (exact >= low) & (exact <= high)


def consistent_numerators(printed_percent: float, decimals: int, denominator: int) -> list[int]:
    """Every integer ``k`` in ``0..denominator`` whose ``100 k / denominator`` prints as ``printed_percent``."""
    if denominator <= 0:
        raise ValueError(f"denominator must be positive, got {denominator}")
    k = np.arange(denominator + 1)
    return [int(v) for v in k[rounds_to(100.0 * k / denominator, printed_percent, decimals)]]


def consistent_denominators(printed_percent: float, decimals: int, denominators) -> pd.DataFrame:
    """Reverse search: for each candidate denominator, the integer numerators consistent with the share.

    Returns one row per denominator that admits at least one numerator, with the
    smallest and largest such numerator and how many there are.
    """
    n = np.asarray(list(denominators), dtype=int)
    low, high = printed_window(printed_percent, decimals)
    k_min = np.ceil(low * n / 100.0).astype(int)
    k_max = np.floor(high * n / 100.0).astype(int)
    k_min = np.clip(k_min, 0, None)
    k_max = np.minimum(k_max, n)
    ok = k_max >= k_min
    return pd.DataFrame(
        {"denominator": n[ok], "numerator_min": k_min[ok], "numerator_max": k_max[ok], "count": (k_max - k_min + 1)[ok]}
    ).reset_index(drop=True)


def grim_mean_consistent(printed_mean: float, decimals: int, n: int, items: int = 1) -> bool:
    """GRIM: can a mean of ``n`` integer answers (each on ``items`` items) print as ``printed_mean``?"""
    scale = n * items
    low, high = printed_window(printed_mean, decimals)
    return int(np.floor(high * scale)) >= int(np.ceil(low * scale))

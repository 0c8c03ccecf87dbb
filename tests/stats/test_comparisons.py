"""leftbehind.stats.comparisons (and the Wilson limits in percent) checked against hand computations and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from leftbehind.stats.comparisons import cohens_d, compare_counts, compare_means
from leftbehind.stats.prevalence import wilson_percent


def test_wilson_matches_closed_form():
    k, n, z = 282, 6096, stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    low, high = wilson_percent(k, n)
    assert low == pytest.approx(100 * (centre - half), rel=1e-9)
    assert high == pytest.approx(100 * (centre + half), rel=1e-9)


def test_compare_counts_pearson_by_hand():
    table = np.array([[30, 70, 50], [20, 90, 40]])
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    chi2 = ((table - expected) ** 2 / expected).sum()
    result = compare_counts(table)
    assert result["test"] == "chi-square"
    assert result["statistic"] == pytest.approx(chi2)
    assert result["df"] == 2
    assert result["p"] == pytest.approx(stats.chi2.sf(chi2, 2))


def test_compare_counts_uncorrected_2x2_and_fisher_when_small():
    big = np.array([[40, 60], [25, 75]])
    expected = big.sum(1, keepdims=True) * big.sum(0, keepdims=True) / big.sum()
    assert compare_counts(big)["statistic"] == pytest.approx(((big - expected) ** 2 / expected).sum())
    small = np.array([[1, 9], [6, 4]])
    result = compare_counts(small)
    assert result["test"] == "Fisher exact"
    assert result["p"] == pytest.approx(stats.fisher_exact(small).pvalue)


def test_cohens_d_worked_example():
    # means 3 and 5, both SDs sqrt(2.5): d = -2 / sqrt(2.5)
    assert cohens_d(np.array([1, 2, 3, 4, 5.0]), np.array([3, 4, 5, 6, 7.0])) == pytest.approx(-2 / np.sqrt(2.5))


def test_compare_means_is_welch():
    a = np.array([2.1, 2.5, 3.0, 2.2, 2.8, 3.1])
    b = np.array([1.9, 2.0, 2.4, 2.1])
    expected = stats.ttest_ind_from_stats(a.mean(), a.std(ddof=1), len(a), b.mean(), b.std(ddof=1), len(b), equal_var=False)
    result = compare_means(a, b)
    assert result["statistic"] == pytest.approx(expected.statistic)
    assert result["p"] == pytest.approx(expected.pvalue)
    assert result["difference"] == pytest.approx(a.mean() - b.mean())


def test_wilson_percent_of_an_empty_group_is_missing_not_an_error():
    assert all(np.isnan(v) for v in wilson_percent(0, 0))

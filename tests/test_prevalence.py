"""Prevalence intervals checked against independent formulas."""

import math

import pytest
from scipy.stats import beta, norm

from leftbehind.errors import UserError
from leftbehind.prevalence import prevalence_interval, prevalence_table


def wilson_by_formula(k, n, z):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_wilson_matches_textbook_formula():
    low, high = prevalence_interval(282, 6096, "wilson")
    f_low, f_high = wilson_by_formula(282, 6096, norm.ppf(0.975))
    assert low == pytest.approx(f_low, abs=1e-12) and high == pytest.approx(f_high, abs=1e-12)
    assert 100 * low == pytest.approx(4.13, abs=0.01) and 100 * high == pytest.approx(5.18, abs=0.01)


def test_clopper_pearson_matches_beta_quantiles():
    low, high = prevalence_interval(282, 6096, "beta")
    assert low == pytest.approx(beta.ppf(0.025, 282, 6096 - 282 + 1), rel=1e-9)
    assert high == pytest.approx(beta.ppf(0.975, 283, 6096 - 282), rel=1e-9)


def test_exact_interval_is_wider_than_wilson_here():
    table = prevalence_table(282, 6096).set_index("method")
    wilson = table.loc["Wilson score"]
    exact = table.loc["Clopper–Pearson (exact)"]
    assert exact["ci_high_percent"] - exact["ci_low_percent"] > wilson["ci_high_percent"] - wilson["ci_low_percent"]
    assert wilson["percent"] == pytest.approx(100 * 282 / 6096)


def test_bad_input_raises_user_error():
    with pytest.raises(UserError, match="count 7 and total 5"):
        prevalence_interval(7, 5)
    with pytest.raises(UserError, match="method"):
        prevalence_interval(1, 5, "agresti")

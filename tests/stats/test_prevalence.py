"""Prevalence intervals checked against independent formulas."""

import math

import pytest
from scipy.stats import beta, norm

from leftbehind.core.errors import UserError
from leftbehind.stats.prevalence import prevalence_interval, prevalence_table


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


# --- Tests that would notice (issue 14, item 8): table values, edges 0/n, n/n, n = 1, n = 0 -------------------------


def test_table_limits_are_the_interval_limits_in_percent():
    table = prevalence_table(282, 6096).set_index("method")
    z = norm.ppf(0.975)
    w_low, w_high = wilson_by_formula(282, 6096, z)
    assert table.loc["Wilson score", "ci_low_percent"] == pytest.approx(100 * w_low, rel=1e-12)
    assert table.loc["Wilson score", "ci_high_percent"] == pytest.approx(100 * w_high, rel=1e-12)
    exact = table.loc["Clopper–Pearson (exact)"]
    assert exact["ci_low_percent"] == pytest.approx(100 * beta.ppf(0.025, 282, 6096 - 282 + 1), rel=1e-9)
    assert exact["ci_high_percent"] == pytest.approx(100 * beta.ppf(0.975, 283, 6096 - 282), rel=1e-9)
    assert list(table["count"]) == [282, 282] and list(table["total"]) == [6096, 6096]


def test_table_passes_alpha_through():
    table = prevalence_table(30, 200, alpha=0.10).set_index("method")
    w_low, w_high = wilson_by_formula(30, 200, norm.ppf(0.95))
    assert table.loc["Wilson score", "ci_low_percent"] == pytest.approx(100 * w_low, rel=1e-12)
    assert table.loc["Wilson score", "ci_high_percent"] == pytest.approx(100 * w_high, rel=1e-12)


def test_none_and_all_are_valid_edges():
    # 0 of n: both lower limits are exactly 0; the exact upper limit is 1 - (alpha/2)^(1/n)
    n = 40
    assert prevalence_interval(0, n, "beta") == pytest.approx((0.0, 1 - 0.025 ** (1 / n)), abs=1e-12)
    w_low, w_high = prevalence_interval(0, n, "wilson")
    assert w_low == pytest.approx(0.0, abs=1e-15)
    assert w_high == pytest.approx(wilson_by_formula(0, n, norm.ppf(0.975))[1], rel=1e-12)
    # n of n: the mirror image
    assert prevalence_interval(n, n, "beta") == pytest.approx((0.025 ** (1 / n), 1.0), abs=1e-12)
    w_low, w_high = prevalence_interval(n, n, "wilson")
    assert w_high == pytest.approx(1.0, abs=1e-15)
    assert w_low == pytest.approx(wilson_by_formula(n, n, norm.ppf(0.975))[0], rel=1e-12)
    # a single child is a valid sample
    assert prevalence_interval(1, 1, "beta") == pytest.approx((0.025, 1.0), abs=1e-12)
    assert prevalence_interval(0, 1, "beta") == pytest.approx((0.0, 0.975), abs=1e-12)
    table = prevalence_table(0, n)
    assert list(table["percent"]) == [0.0, 0.0]


@pytest.mark.parametrize("count,total", [(0, 0), (-1, 5), (6, 5), (1, -3)])
def test_impossible_counts_raise_user_error(count, total):
    with pytest.raises(UserError, match=f"count {count} and total {total}"):
        prevalence_interval(count, total)

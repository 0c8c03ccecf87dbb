"""The 2×2 reconstruction: worked examples, a unique and an empty solution set, statsmodels agreement."""

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table2x2

from leftbehind.reconstruction import (
    Z_EXACT,
    compare_ci_methods,
    implied_prevalences,
    reconstruct_two_by_two,
    tables_from_printed_shares,
    woolf_interval,
)


def test_woolf_matches_statsmodels_table2x2():
    rng = np.random.default_rng(20230427)
    for _ in range(50):
        a, b, c, d = rng.integers(1, 3000, size=4)
        odds, low, high = woolf_interval(a, b, c, d, z=Z_EXACT)
        table = Table2x2(np.array([[a, b], [c, d]]))
        sm_low, sm_high = table.oddsratio_confint(alpha=0.05, method="normal")
        assert float(odds) == pytest.approx(table.oddsratio, rel=1e-12)
        assert float(low) == pytest.approx(sm_low, rel=1e-12)
        assert float(high) == pytest.approx(sm_high, rel=1e-12)


def test_woolf_by_hand():
    # 183·3122 / (2692·99) = 2.14375; SE = √(1/183 + 1/2692 + 1/99 + 1/3122) = 0.12750
    odds, low, high = woolf_interval(183, 2692, 99, 3122, z=1.96)
    assert float(odds) == pytest.approx(571326 / 266508)
    se = np.sqrt(1 / 183 + 1 / 2692 + 1 / 99 + 1 / 3122)
    assert float(low) == pytest.approx(np.exp(np.log(571326 / 266508) - 1.96 * se))
    assert round(float(low), 2) == 1.67 and round(float(high), 2) == 2.75


def test_empty_cell_gives_nan_without_correction():
    odds, low, high = woolf_interval(0, 10, 5, 10)
    assert np.isnan(odds) and np.isnan(low)
    odds, _, _ = woolf_interval(0, 10, 5, 10, correction=0.5)
    assert float(odds) == pytest.approx(0.5 * 10.5 / (10.5 * 5.5))


def test_girls_vs_boys_has_a_unique_table():
    sol = reconstruct_two_by_two(2.14, (1.67, 2.75), total=6096, cases=282, exposed=2875)
    assert len(sol) == 1
    assert sol.loc[0, ["a", "b", "c", "d"]].tolist() == [183, 2692, 99, 3122]
    # the neighbours miss the printed OR: 182 → 2.11, 184 → 2.18
    for a in (182, 184):
        odds, _, _ = woolf_interval(a, 2875 - a, 282 - a, 3221 - (282 - a))
        assert round(float(odds), 2) != 2.14


def test_unique_table_also_under_exact_z():
    sol = reconstruct_two_by_two(2.14, (1.67, 2.75), total=6096, cases=282, exposed=2875, z=Z_EXACT)
    assert sol[["a", "b", "c", "d"]].values.tolist() == [[183, 2692, 99, 3122]]


def test_no_table_fits_an_incoherent_ci():
    # OR 2.14 with the margins above cannot have a CI as wide as 1.50–3.00
    sol = reconstruct_two_by_two(2.14, (1.50, 3.00), total=6096, cases=282, exposed=2875)
    assert sol.empty and list(sol.columns) == ["a", "b", "c", "d", "or", "ci_low", "ci_high"]


def test_small_worked_example_matches_brute_force():
    # total 60, 20 cases, exposed 30: check every a by a plain loop
    target = woolf_interval(12, 18, 8, 22)
    printed = tuple(round(float(x), 2) for x in target)
    sol = reconstruct_two_by_two(printed[0], printed[1:], total=60, cases=20, exposed=30)
    brute = []
    for a in range(1, 20):
        o, lo, hi = (round(float(x), 2) for x in woolf_interval(a, 30 - a, 20 - a, 30 - (20 - a)))
        if (o, lo, hi) == printed:
            brute.append(a)
    assert sol["a"].tolist() == brute == [12]


def test_boarder_search_over_unknown_group_size():
    sol = reconstruct_two_by_two(1.71, (1.33, 2.18), total=6096, cases=282, exposed=range(1, 6096))
    assert len(sol) == 14
    size = sol["a"] + sol["b"]
    assert size.min() == 1659 and size.max() == 3090
    assert (sol["a"] + sol["c"] == 282).all() and (sol[["a", "b", "c", "d"]].sum(axis=1) == 6096).all()
    assert sol["or"].round(2).eq(1.71).all() and sol["ci_low"].round(2).eq(1.33).all()
    # each solution, recomputed independently by statsmodels (exact z), stays within a rounding step
    for row in sol.to_dict("records"):
        table = Table2x2(np.array([[row["a"], row["b"]], [row["c"], row["d"]]]))
        assert table.oddsratio == pytest.approx(row["or"], rel=1e-12)


def test_alternative_methods_change_the_solution_sets():
    girls = compare_ci_methods(2.14, (1.67, 2.75), total=6096, cases=282, exposed=2875).set_index("CI method")
    assert girls["tables"].tolist() == [1, 1, 0, 0]
    boarders = compare_ci_methods(1.71, (1.33, 2.18), total=6096, cases=282, exposed=range(1, 6096))
    assert boarders["tables"].tolist() == [14, 15, 16, 16]


def test_implied_prevalences():
    sol = reconstruct_two_by_two(2.14, (1.67, 2.75), total=6096, cases=282, exposed=2875)
    prev = implied_prevalences(sol).iloc[0]
    assert prev["exposed_pct"] == pytest.approx(100 * 183 / 2875)
    assert prev["unexposed_pct"] == pytest.approx(100 * 99 / 3221)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        reconstruct_two_by_two(2.0, (1.0, 3.0), total=100, cases=10, exposed=50, method="cornfield")
    with pytest.raises(ValueError):
        reconstruct_two_by_two(2.0, (1.0, 3.0), total=100, cases=10, exposed=100)


def test_logistic_regression_wald_interval_equals_woolf():
    # a single yes/no predictor: the logistic Wald CI for exp(B) is the Woolf interval (exact z)
    import statsmodels.api as sm

    a, b, c, d = 183, 2692, 99, 3122
    exposed = np.array([1, 1, 0, 0])
    outcome = np.array([1, 0, 1, 0])
    weights = np.array([a, b, c, d])
    fit = sm.GLM(outcome, sm.add_constant(exposed), family=sm.families.Binomial(), freq_weights=weights).fit(tol=1e-12)
    low, high = np.exp(fit.conf_int(alpha=0.05)[1])
    odds, w_low, w_high = woolf_interval(a, b, c, d, z=Z_EXACT)
    assert np.exp(fit.params[1]) == pytest.approx(float(odds), rel=1e-8)
    assert low == pytest.approx(float(w_low), rel=1e-8) and high == pytest.approx(float(w_high), rel=1e-8)


# --- tables from printed shares and a printed χ² -----------------------------------------------------------------

def pearson_by_formula(a, b, c, d, yates=False):
    """Pearson's χ² for a 2×2 table written out: N(|ad − bc| − [N/2])² / (row and column totals)."""
    n = a + b + c + d
    diff = abs(a * d - b * c) - (n / 2 if yates else 0)
    return n * diff**2 / ((a + b) * (c + d) * (a + c) * (b + d))


def test_zhou_2022_counts_are_recovered_from_the_printed_chi2():
    # Zhou et al. 2022: 16.4 % of 3,359 LBC vs 13.0 % of 1,667 controls, χ² = 10.232
    found = tables_from_printed_shares(3359, 1667, 16.4, 13.0, pct_decimals=1, chi2=10.232, chi2_decimals=3)
    assert list(zip(found["a"], found["c"])) == [(550, 216), (550, 217), (551, 216), (551, 217), (552, 216), (552, 217)]
    fit = found[found["consistent"]]
    assert list(zip(fit["a"], fit["b"], fit["c"], fit["d"])) == [(551, 2808, 216, 1451)]
    assert bool(fit["pearson_matches"].iloc[0]) and not bool(fit["yates_matches"].iloc[0])
    assert fit["chi2_pearson"].iloc[0] == pytest.approx(pearson_by_formula(551, 2808, 216, 1451))
    assert round(pearson_by_formula(550, 2809, 217, 1450), 1) == 9.7  # the fact sheet's "about 9.7" for 550/217
    for row in found.itertuples():  # scipy's Yates equals the textbook formula when every |O − E| exceeds 0.5
        assert row.chi2_yates == pytest.approx(pearson_by_formula(row.a, row.b, row.c, row.d, yates=True))
    assert not tables_from_printed_shares(3359, 1667, 16.4, 13.0, chi2=10.232, chi2_decimals=3, variant="yates")["consistent"].any()
    assert tables_from_printed_shares(3359, 1667, 16.4, 13.0, chi2=10.232, chi2_decimals=3, variant="pearson")["consistent"].sum() == 1


def test_a_yates_statistic_is_recognised():
    exact = pearson_by_formula(30, 70, 15, 85, yates=True)
    found = tables_from_printed_shares(100, 100, 30, 15, pct_decimals=0, chi2=round(exact, 2), chi2_decimals=2)
    fit = found[found["consistent"]]
    assert list(zip(fit["a"], fit["c"])) == [(30, 15)] and bool(fit["yates_matches"].iloc[0])
    assert not fit["pearson_matches"].iloc[0]


def test_without_a_chi2_every_table_that_fits_the_shares_is_kept():
    found = tables_from_printed_shares(2772, 2982, 11.51, 9.66, pct_decimals=2)
    assert list(zip(found["a"], found["c"])) == [(319, 288)] and found["consistent"].all()
    assert found["pearson_matches"].isna().all()
    per_group = tables_from_printed_shares(3359, 1667, 16.4, 13.0, pct_decimals=(1, 1))
    assert len(per_group) == 6
    mixed = tables_from_printed_shares(2772, 2982, 11.5, 9.66, pct_decimals=(1, 2))
    assert sorted(set(mixed["a"])) == list(range(318, 320 + 1)) and set(mixed["c"]) == {288}


def test_shares_of_zero_and_one_hundred_percent():
    found = tables_from_printed_shares(40, 60, 0.0, 100.0, pct_decimals=1)
    assert list(zip(found["a"], found["b"], found["c"], found["d"])) == [(0, 40, 60, 0)]
    assert found["chi2_pearson"].iloc[0] == pytest.approx(100.0)  # perfect separation: χ² = N
    empty_column = tables_from_printed_shares(40, 60, 0.0, 0.0, pct_decimals=1, chi2=0.0, chi2_decimals=1)
    assert np.isnan(empty_column["chi2_pearson"].iloc[0]) and not empty_column["consistent"].any()
    assert tables_from_printed_shares(40, 60, 0.0, 0.0, pct_decimals=1)["consistent"].all()


def test_an_unprinted_share_searches_every_count_of_that_group():
    exact = round(pearson_by_formula(12, 8, 5, 15), 2)
    found = tables_from_printed_shares(20, 20, None, 25.0, pct_decimals=(None, 0), chi2=exact, chi2_decimals=2)
    assert len(found) == 21 and set(found["c"]) == {5}
    fit = found[found["consistent"]]
    assert 12 in set(fit["a"]) and len(fit) <= 2  # χ² is symmetric in the direction of the difference


def test_no_table_fits_an_impossible_chi2():
    found = tables_from_printed_shares(3359, 1667, 16.4, 13.0, chi2=50.0, chi2_decimals=1)
    assert len(found) == 6 and not found["consistent"].any()


@pytest.mark.parametrize("kwargs, message", [
    ({"n_exposed": 0}, "exposed: group size must be a positive whole number"),
    ({"n_unexposed": 10.5}, "unexposed: group size"),
    ({"pct_decimals": None}, "needs its number of decimals"),
    ({"chi2": 3.0, "chi2_decimals": None}, "a printed χ² needs its number of decimals"),
    ({"chi2": -1.0, "chi2_decimals": 1}, "cannot be negative"),
    ({"variant": "williams"}, "variant must be one of"),
    ({"pct_exposed": None, "pct_unexposed": None, "n_exposed": 1000, "n_unexposed": 1000}, "too many to test"),
])
def test_bad_arguments_raise_clear_errors(kwargs, message):
    arguments = {"n_exposed": 100, "n_unexposed": 100, "pct_exposed": 30.0, "pct_unexposed": 15.0, "pct_decimals": 0}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        tables_from_printed_shares(**arguments)

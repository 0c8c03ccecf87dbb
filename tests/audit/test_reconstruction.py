"""The 2×2 reconstruction: worked examples, a unique and an empty solution set, statsmodels agreement."""

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import Table2x2

from leftbehind.audit.reconstruction import (
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


# --- Tests that would notice (issue 14, item 8): sort order, Haldane zero cells, split_at_largest_gap, the figure --

import pandas as pd  # noqa: E402

from leftbehind.audit.reconstruction import (  # noqa: E402
    Z_TEXTBOOK,
    or_grid,
    solution_sets_figure,
    solution_sets_alt,
    split_at_largest_gap,
)


def _brute_force(printed, total, cases, sizes, decimals, correction=0.0, z=1.96):
    """Plain loops and the closed rounding window; no numpy broadcasting, no shared code."""
    import math

    half = 0.5 * 10 ** -decimals + 1e-9
    found = []
    for n_exposed in sizes:
        for a in range(cases + 1):
            b, c = n_exposed - a, cases - a
            d = total - n_exposed - c
            if b < 0 or d < 0:
                continue
            cells = [v + correction for v in (a, b, c, d)]
            if min(cells) <= 0:
                continue
            log_or = math.log(cells[0] * cells[3] / (cells[1] * cells[2]))
            se = math.sqrt(sum(1 / v for v in cells))
            values = (math.exp(log_or), math.exp(log_or - z * se), math.exp(log_or + z * se))
            if all(abs(v - p) <= half for v, p in zip(values, printed)):
                found.append((n_exposed, a))
    return sorted(found)


def test_solutions_sorted_by_exposed_size_then_a_whatever_the_search_order():
    sizes = list(range(99, 0, -1))  # searched largest first
    sol = reconstruct_two_by_two(2.0, (1.0, 4.0), total=100, cases=30, exposed=sizes, decimals=0)
    pairs = list(zip((sol["a"] + sol["b"]).tolist(), sol["a"].tolist()))
    expected = _brute_force((2.0, 1.0, 4.0), 100, 30, sizes, 0)
    assert len(expected) == 48 and len({s for s, _ in expected}) == 45 and pairs == expected
    assert sol.index.tolist() == list(range(len(sol)))
    assert (sol["a"] + sol["c"] == 30).all() and (sol[["a", "b", "c", "d"]].sum(axis=1) == 100).all()
    assert sol.dtypes[["a", "b", "c", "d"]].eq("int64").all()


def test_haldane_method_admits_empty_cells():
    # a table with an empty cell: only the +0.5 method can reproduce its printed OR and CI
    a, b, c, d = 6, 0, 10, 24
    odds, low, high = woolf_interval(a, b, c, d, correction=0.5)
    assert float(odds) == pytest.approx(6.5 * 24.5 / (0.5 * 10.5))
    se = np.sqrt(1 / 6.5 + 1 / 0.5 + 1 / 10.5 + 1 / 24.5)
    assert float(low) == pytest.approx(float(odds) * np.exp(-1.96 * se))
    printed = tuple(round(float(v), 1) for v in (odds, low, high))
    sol = reconstruct_two_by_two(printed[0], printed[1:], total=40, cases=16, exposed=range(1, 40), decimals=1,
                                 method="woolf_haldane")
    expected = _brute_force(printed, 40, 16, range(1, 40), 1, correction=0.5)
    assert list(zip((sol["a"] + sol["b"]).tolist(), sol["a"].tolist())) == expected
    assert (6, 6) in expected
    plain = reconstruct_two_by_two(printed[0], printed[1:], total=40, cases=16, exposed=range(1, 40), decimals=1)
    assert not ((plain["b"] == 0) | (plain["c"] == 0)).any()
    assert list(zip((plain["a"] + plain["b"]).tolist(), plain["a"].tolist())) == \
        _brute_force(printed, 40, 16, range(1, 40), 1)


def test_z_is_used_for_the_limits():
    _, low, high = woolf_interval(20, 30, 10, 40, z=1.0)
    se = np.sqrt(1 / 20 + 1 / 30 + 1 / 10 + 1 / 40)
    assert float(low) == pytest.approx((20 * 40 / 300) * np.exp(-se))
    assert float(high) == pytest.approx((20 * 40 / 300) * np.exp(se))
    assert Z_TEXTBOOK == 1.96 and Z_EXACT == pytest.approx(1.959963984540054)


@pytest.mark.parametrize("kwargs,message", [
    ({"cases": 0, "total": 100, "exposed": 50}, "0 < cases < total"),
    ({"cases": 100, "total": 100, "exposed": 50}, "0 < cases < total"),
    ({"cases": 10, "total": 100, "exposed": 0}, "strictly between 0 and total"),
    ({"cases": 10, "total": 100, "exposed": [5, 100]}, "strictly between 0 and total"),
])
def test_bad_margins_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        reconstruct_two_by_two(2.0, (1.0, 3.0), **kwargs)


def test_edges_of_the_margins_are_allowed():
    # cases = 1 and total - 1, exposed = 1 and total - 1 are valid searches
    assert reconstruct_two_by_two(2.0, (1.0, 3.0), total=10, cases=1, exposed=1).empty
    assert reconstruct_two_by_two(2.0, (1.0, 3.0), total=10, cases=9, exposed=9).empty
    same = reconstruct_two_by_two(2.14, (1.67, 2.75), total=6096, cases=282, exposed=np.int64(2875))
    assert same["a"].tolist() == [183]


def test_compare_ci_methods_ranges_match_the_solutions():
    kwargs = dict(total=6096, cases=282, exposed=range(1, 6096))
    table = compare_ci_methods(1.71, (1.33, 2.18), **kwargs).set_index("CI method")
    sol = reconstruct_two_by_two(1.71, (1.33, 2.18), **kwargs)
    row = table.loc["Woolf, z = 1.96 (assumed)"]
    size = sol["a"] + sol["b"]
    assert [row["a from"], row["a to"], row["exposed from"], row["exposed to"]] == \
        [sol["a"].min(), sol["a"].max(), size.min(), size.max()]
    exact = reconstruct_two_by_two(1.71, (1.33, 2.18), z=Z_EXACT, **kwargs)
    assert table.loc["Woolf, exact z = 1.959964", "tables"] == len(exact)
    haldane = reconstruct_two_by_two(1.71, (1.33, 2.18), method="woolf_haldane", z=Z_EXACT, **kwargs)
    assert table.loc["Woolf + 0.5 in every cell, exact z", "tables"] == len(haldane)
    assert table.loc["Woolf + 0.5 in every cell, exact z", "a from"] == haldane["a"].min()
    empty = compare_ci_methods(2.14, (1.50, 3.00), total=6096, cases=282, exposed=2875)
    assert empty["tables"].tolist() == [0, 0, 0, 0] and empty["a from"].isna().all()
    assert empty["exposed to"].isna().all()


def test_or_grid_and_implied_prevalences_by_hand():
    grid = or_grid(60, 20, 30, [10, 12])
    odds, low, high = woolf_interval(12, 18, 8, 22)
    assert grid["a"].tolist() == [10, 12]
    assert grid.iloc[1].tolist() == pytest.approx([12, float(odds), float(low), float(high)])
    assert grid.loc[0, "or"] == pytest.approx(10 * 20 / (20 * 10))
    prev = implied_prevalences(pd.DataFrame({"a": [3], "b": [7], "c": [1], "d": [9]})).iloc[0]
    assert prev[["exposed_n", "exposed_pct", "unexposed_pct"]].tolist() == pytest.approx([10, 30.0, 10.0])


def _solutions(sizes_and_a):
    rows = [{"a": a, "b": size - a, "c": 5 - a, "d": 0} for size, a in sizes_and_a]
    return pd.DataFrame(rows)


def test_split_at_largest_gap():
    sol = _solutions([(10, 1), (11, 2), (12, 1), (30, 3), (31, 2)])
    low, high = split_at_largest_gap(sol)
    assert (low["a"] + low["b"]).tolist() == [10, 11, 12] and (high["a"] + high["b"]).tolist() == [30, 31]
    assert low.index.tolist() == [0, 1, 2] and high.index.tolist() == [0, 1]
    first, second = split_at_largest_gap(_solutions([(10, 1), (40, 1), (41, 2)]))
    assert len(first) == 1 and len(second) == 2
    two = split_at_largest_gap(_solutions([(10, 1), (20, 1)]))
    assert [len(part) for part in two] == [1, 1]
    one = _solutions([(10, 1)])
    assert len(split_at_largest_gap(one)) == 1 and split_at_largest_gap(one)[0] is one
    none = _solutions([])
    assert len(split_at_largest_gap(none)) == 1


def test_solution_figure_and_its_alt_text():
    girls = reconstruct_two_by_two(2.14, (1.67, 2.75), total=6096, cases=282, exposed=2875)
    boarders = {"Woolf": reconstruct_two_by_two(1.71, (1.33, 2.18), total=6096, cases=282, exposed=range(1, 6096)),
                "none": girls.iloc[:0]}
    printed = {"girls": ("2.14", "1.67", "2.75"), "boarders": ("1.71", "1.33", "2.18")}
    alt = solution_sets_alt(girls, boarders, printed)
    assert "only a = 183 girls with NSSI lands on the printed 2.14" in alt
    assert "OR 1.71 (1.33–2.18)" in alt and "Woolf: 14 tables, 1,659–3,090 boarders" in alt and "none: none" in alt
    assert solution_sets_alt(girls.iloc[:0], {}, printed).count("only no table lands") == 1
    grid = or_grid(6096, 282, 2875, range(150, 220))
    fig, drawn_alt = solution_sets_figure(grid, girls, boarders, printed)
    assert drawn_alt == alt
    left, right = fig.axes
    assert left.lines[0].get_xdata().tolist() == list(range(150, 220))
    assert left.lines[1].get_xdata().tolist() == [183]
    low, high = left.patches[0].get_y(), left.patches[0].get_y() + left.patches[0].get_height()
    assert (low, high) == pytest.approx((2.135, 2.145), abs=1e-8)
    offsets = right.collections[0].get_offsets()
    assert offsets[:, 0].tolist() == (boarders["Woolf"]["a"] + boarders["Woolf"]["b"]).tolist()
    assert offsets[:, 1].tolist() == boarders["Woolf"]["a"].tolist()
    import matplotlib.pyplot as plt

    plt.close(fig)


@pytest.mark.parametrize("cell", range(4))
def test_any_empty_cell_gives_nan_without_correction(cell):
    cells = [5, 7, 9, 11]
    cells[cell] = 0
    assert all(np.isnan(float(v)) for v in woolf_interval(*cells))
    assert all(np.isfinite(float(v)) for v in woolf_interval(*cells, correction=0.5))


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


def test_sort_order_when_neighbouring_sizes_share_values_of_a():
    # wide windows: several a per exposed size, so the order must be by size first, then a (not a blend of both)
    sizes = list(range(199, 0, -1))
    sol = reconstruct_two_by_two(2.0, (1.0, 3.0), total=200, cases=60, exposed=sizes, decimals=0)
    pairs = list(zip((sol["a"] + sol["b"]).tolist(), sol["a"].tolist()))
    assert len(pairs) == 218 and pairs == _brute_force((2.0, 1.0, 3.0), 200, 60, sizes, 0)


# --- Survivors of the second mutation run (issue 14, item 8): tables with no unexposed cases or no unexposed non-cases


@pytest.mark.parametrize("cells", [(16, 14, 0, 10), (6, 24, 10, 0), (15, 15, 1, 9)])
def test_tables_at_the_edge_of_the_margins_are_found(cells):
    # c = 0 (every case exposed), d = 0 (every unexposed pupil a case) and c = 1: only the +0.5 method gives the first
    # two a finite interval; each must be among the solutions, exactly as a plain search over every table finds them
    a, b, c, d = cells
    total, cases, n_exposed = a + b + c + d, a + c, a + b
    printed = tuple(round(float(v), 1) for v in woolf_interval(a, b, c, d, correction=0.5))
    sol = reconstruct_two_by_two(printed[0], printed[1:], total=total, cases=cases, exposed=range(1, total),
                                 decimals=1, method="woolf_haldane")
    expected = _brute_force(printed, total, cases, range(1, total), 1, correction=0.5)
    assert (n_exposed, a) in expected
    assert list(zip((sol["a"] + sol["b"]).tolist(), sol["a"].tolist())) == expected


def test_split_parts_keep_the_solution_columns():
    sol = _solutions([(10, 1), (11, 2), (30, 3)])
    for part in split_at_largest_gap(sol):
        assert list(part.columns) == list(sol.columns)


def test_a_search_just_over_the_candidate_limit_is_refused():
    from leftbehind.audit.reconstruction import tables_from_printed_shares

    with pytest.raises(ValueError, match="200,001 candidate tables: too many"):  # 3 x 66,667 candidates
        tables_from_printed_shares(n_exposed=2, n_unexposed=66_666, chi2=1.0, chi2_decimals=1)


def test_chi2_of_a_table_with_an_empty_margin_is_missing():
    from scipy.stats import chi2_contingency

    from leftbehind.audit.reconstruction import pearson_chi2

    for table in ([[0, 5], [0, 7]], [[0, 0], [3, 4]], [[5, 0], [7, 0]], [[3, 4], [0, 0]]):
        assert np.isnan(pearson_chi2(table, False)) and np.isnan(pearson_chi2(table, True)), table
    for table in ([[1, 5], [0, 7]], [[0, 1], [3, 4]]):  # a margin of one is not empty
        assert pearson_chi2(table, False) == pytest.approx(chi2_contingency(np.array(table), correction=False)[0])


def test_small_groups_and_a_whole_number_chi2_are_accepted():
    from leftbehind.audit.reconstruction import tables_from_printed_shares

    one = tables_from_printed_shares(n_exposed=1, n_unexposed=3)
    assert list(zip(one["a"], one["c"])) == [(a, c) for a in range(2) for c in range(4)]
    assert list(one.columns) == ["a", "b", "c", "d", "chi2_pearson", "chi2_yates", "pearson_matches",
                                 "yates_matches", "consistent"]
    assert one.index.tolist() == list(range(8))
    whole = tables_from_printed_shares(n_exposed=20, n_unexposed=20, chi2=4.0, chi2_decimals=0, variant="pearson")
    assert whole["consistent"].any()
    assert (whole.loc[whole["consistent"], "chi2_pearson"].round(0) == 4.0).all()

"""leftbehind.stats.group_prevalence: Wilson and exact intervals by group, and the group comparison table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from leftbehind.spec import parse_spec
from leftbehind.stats.group_prevalence import (compare_groups, level_order, prevalence_by_group, prevalence_row,
                                               prevalence_table, prevalence_test)

SPEC = parse_spec({"outcome": {"column": "y", "event": 1},
                   "group": {"column": "g", "value": 1, "label": "LB", "rest_label": "not LB"},
                   "categorical": {"sex": "boy"}, "continuous": ["age"]}, Path("s.yaml"))


def data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 300
    group = rng.random(n) < 0.4
    return pd.DataFrame({"y": (rng.random(n) < np.where(group, 0.3, 0.15)).astype(int), "_in_group": group,
                         "sex": rng.choice(["boy", "girl"], n), "age": rng.normal(14, 2, n)})


def test_prevalence_row_against_statsmodels():
    row = prevalence_row(17, 120)
    low, high = proportion_confint(17, 120, method="wilson")
    elow, ehigh = proportion_confint(17, 120, method="beta")
    assert row["pct"] == pytest.approx(100 * 17 / 120)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert (row["exact_ci_low"], row["exact_ci_high"]) == pytest.approx((100 * elow, 100 * ehigh))
    assert prevalence_row(0, 5)["ci_low"] == 0


def test_prevalence_by_group_and_test():
    d = data()
    got = prevalence_by_group(d, SPEC)
    assert set(got) == {"LB", "not LB"}
    assert got["LB"]["n"] == d["_in_group"].sum() and got["LB"]["events"] == d.loc[d["_in_group"], "y"].sum()
    assert got["not LB"]["n"] + got["LB"]["n"] == len(d)
    table = np.array([[d.loc[m, "y"].sum(), (d.loc[m, "y"] == 0).sum()] for m in (d["_in_group"], ~d["_in_group"])])
    assert prevalence_test(d, SPEC)["p"] == pytest.approx(stats.chi2_contingency(table, correction=False)[1])
    assert list(prevalence_table(got, SPEC)["group"]) == ["LB", "not LB"]
    empty = d.assign(_in_group=False)
    assert prevalence_by_group(empty, SPEC)["LB"] is None


def test_compare_groups():
    d = data()
    table = compare_groups(d, SPEC)
    sex = table[table["variable"] == "sex"]
    assert list(sex["level"]) == ["boy", "girl"] and sex["LB n"].sum() == d["_in_group"].sum()
    age = table[table["variable"] == "age"].iloc[0]
    welch = stats.ttest_ind(d.loc[d["_in_group"], "age"], d.loc[~d["_in_group"], "age"], equal_var=False)
    assert age["p"] == pytest.approx(welch.pvalue) and age["test"] == "Welch t"


def test_level_order():
    assert level_order(["10", "9", "12"]) == ["9", "10", "12"]
    assert level_order(["b", "a", "10"]) == ["10", "a", "b"]


def test_the_group_column_is_not_compared_with_itself():
    spec = parse_spec({"outcome": {"column": "y", "event": 1},
                       "group": {"column": "sex", "value": "girl", "label": "girls", "rest_label": "boys"},
                       "categorical": {"sex": "boy"}, "continuous": ["age"]}, Path("s.yaml"))
    d = data()
    d["_in_group"] = d["sex"] == "girl"
    assert list(compare_groups(d, spec)["variable"]) == ["age"]


# --- Tests that would notice (issue 14, item 8): every cell of the comparison table, edges of the intervals ---


def test_compare_groups_cells_against_pandas_and_scipy():
    d = data()
    table = compare_groups(d, SPEC)
    group = d["_in_group"]
    sex = table[table["variable"] == "sex"].set_index("level")
    counts = pd.crosstab(d["sex"], group)
    shares = 100 * pd.crosstab(d["sex"], group, normalize="columns")
    chi2, p, _, _ = stats.chi2_contingency(counts.to_numpy(), correction=False)
    for level in ("boy", "girl"):
        assert sex.loc[level, "LB n"] == counts.loc[level, True]
        assert sex.loc[level, "not LB n"] == counts.loc[level, False]
        assert sex.loc[level, "LB %"] == pytest.approx(shares.loc[level, True], rel=1e-12)
        assert sex.loc[level, "not LB %"] == pytest.approx(shares.loc[level, False], rel=1e-12)
        assert sex.loc[level, "statistic"] == pytest.approx(chi2, rel=1e-12)
        assert sex.loc[level, "p"] == pytest.approx(p, rel=1e-12)
        assert sex.loc[level, "test"] == "chi-square" and np.isnan(sex.loc[level, "cohens_d"])
    assert str(table["LB n"].dtype) == "Int64" and str(table["not LB n"].dtype) == "Int64"
    age = table[table["variable"] == "age"].iloc[0]
    a, b = d.loc[group, "age"].to_numpy(), d.loc[~group, "age"].to_numpy()
    assert age["level"] == "mean (SD)"
    assert age["LB mean"] == pytest.approx(a.mean()) and age["not LB mean"] == pytest.approx(b.mean())
    assert age["LB sd"] == pytest.approx(a.std(ddof=1)) and age["not LB sd"] == pytest.approx(b.std(ddof=1))
    welch = stats.ttest_ind(a, b, equal_var=False)
    assert age["statistic"] == pytest.approx(welch.statistic, rel=1e-12)
    pooled = np.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    assert age["cohens_d"] == pytest.approx((a.mean() - b.mean()) / pooled, rel=1e-12)


def test_compare_groups_with_an_empty_or_tiny_group():
    d = data()
    empty = compare_groups(d.assign(_in_group=False), SPEC)
    sex = empty[empty["variable"] == "sex"]
    assert sex["LB n"].tolist() == [0, 0] and sex["LB %"].tolist() == [0.0, 0.0]
    assert sex["not LB %"].sum() == pytest.approx(100.0)
    assert empty.loc[empty["variable"] == "age", "test"].item() == "not testable"
    everyone = compare_groups(d.assign(_in_group=True), SPEC)
    sex = everyone[everyone["variable"] == "sex"]
    assert sex["not LB n"].tolist() == [0, 0] and sex["not LB %"].tolist() == [0.0, 0.0]
    assert sex["LB %"].sum() == pytest.approx(100.0)
    # a continuous candidate needs two rows on each side for Welch's t: two are enough, one is not
    for size, testable in ((2, True), (1, False)):
        tiny = d.assign(_in_group=np.arange(len(d)) < size)
        table = compare_groups(tiny, SPEC)
        assert table.loc[table["variable"] == "sex", "LB %"].sum() == pytest.approx(100.0)  # shares of a group of 1 or 2
        row = table.set_index("variable").loc["age"]
        assert (row["test"] == "Welch t") is testable
        assert bool(np.isnan(row["p"])) is not testable
        rest = d.assign(_in_group=np.arange(len(d)) >= size)  # the same, with the rest tiny
        table = compare_groups(rest, SPEC)
        assert table.loc[table["variable"] == "sex", "not LB %"].sum() == pytest.approx(100.0)
        row = table.set_index("variable").loc["age"]
        assert (row["test"] == "Welch t") is testable


@pytest.mark.parametrize(("events", "n"), [(0, 12), (12, 12), (1, 1), (3, 40)])
def test_prevalence_row_at_the_edges_against_statsmodels(events, n):
    row = prevalence_row(events, n)
    low, high = proportion_confint(events, n, method="wilson")
    elow, ehigh = proportion_confint(events, n, method="beta")
    assert row["n"] == n and row["events"] == events and row["pct"] == pytest.approx(100 * events / n)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high), abs=1e-10)
    assert (row["exact_ci_low"], row["exact_ci_high"]) == pytest.approx((100 * elow, 100 * ehigh), abs=1e-10)
    assert 0 <= row["exact_ci_low"] <= row["pct"] <= row["exact_ci_high"] <= 100


def test_everyone_in_the_group_leaves_the_rest_empty():
    d = data().assign(_in_group=True)
    got = prevalence_by_group(d, SPEC)
    assert got["not LB"] is None and got["LB"]["n"] == len(d)
    table = prevalence_table(got, SPEC)
    assert table["group"].tolist() == ["LB"]
    assert table.loc[0, "pct"] == pytest.approx(100 * d["y"].mean())


def test_prevalence_test_counts_events_and_non_events_per_group():
    d = data()
    g = d["_in_group"]
    table = [[d.loc[g, "y"].sum(), (~d.loc[g, "y"].astype(bool)).sum()],
             [d.loc[~g, "y"].sum(), (~d.loc[~g, "y"].astype(bool)).sum()]]
    chi2, p, _, _ = stats.chi2_contingency(np.array(table), correction=False)
    result = prevalence_test(d, SPEC)
    assert result["statistic"] == pytest.approx(chi2, rel=1e-12) and result["p"] == pytest.approx(p, rel=1e-12)


def test_level_order_sorts_numbers_numerically_and_text_alphabetically():
    assert level_order([2.0, 10.0, 1.0]) == ["1.0", "2.0", "10.0"]
    assert level_order(["b", "a", "b"]) == ["a", "b"]
    assert level_order([]) == []

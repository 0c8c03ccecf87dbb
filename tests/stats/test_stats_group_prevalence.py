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

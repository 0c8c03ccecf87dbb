"""Tables 1-6 checked against hand computations and independent library calls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from fake_analysis import make_fake_analysis
from leftbehind.paper import tables


@pytest.fixture(scope="module")
def data():
    return make_fake_analysis(n=5000, seed=3)


def test_table1_counts_and_age(data):
    result = tables.table1_demographics(data)
    girls = result.cells.query("variable == 'gender' and level == 'girl'").iloc[0]
    assert girls["lbc_n"] == ((data["gender"] == "girl") & data["lbc"]).sum()
    assert girls["lbc_pct"] == pytest.approx(100 * (data.loc[data["lbc"], "gender"] == "girl").mean())
    age = result.tests.set_index("comparison").loc["t1:age"]
    welch = stats.ttest_ind(data.loc[data["lbc"], "age"], data.loc[~data["lbc"], "age"], equal_var=False)
    assert age["p"] == pytest.approx(welch.pvalue)
    stage = result.tests.set_index("comparison").loc["t1:stage"]
    chi2 = stats.chi2_contingency(pd.crosstab(data["lbc"], data["stage"]), correction=False)
    assert stage["statistic"] == pytest.approx(chi2.statistic)


def test_table2_prevalence_ci_and_crude_or(data):
    result = tables.table2_nssi_prevalence(data)
    lbc = data[data["lbc"]]
    overall = result.cells.iloc[0]
    assert overall["lbc_cases"] == lbc["nssi"].sum()
    assert overall["lbc_pct"] == pytest.approx(100 * lbc["nssi"].mean())
    low, high = tables.wilson(int(lbc["nssi"].sum()), len(lbc))
    assert (overall["lbc_ci_low"], overall["lbc_ci_high"]) == pytest.approx((low, high))
    tests = result.tests.set_index("comparison")
    g = lbc["gender"] == "girl"
    a, b = lbc.loc[g, "nssi"].sum(), (1 - lbc.loc[g, "nssi"]).sum()
    c, d = lbc.loc[~g, "nssi"].sum(), (1 - lbc.loc[~g, "nssi"]).sum()
    odds = (a * d) / (b * c)
    se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    row = tests.loc["t2:gender:within_lbc"]
    assert row["odds_ratio"] == pytest.approx(odds)
    assert row["or_ci_low"] == pytest.approx(np.exp(np.log(odds) - 1.959964 * se), rel=1e-5)
    junior = result.cells.query("variable == 'stage' and level == 'junior'").iloc[0]
    expected = 100 * data.loc[data["lbc"] & (data["stage"] == "junior"), "nssi"].mean() - 100 * data.loc[~data["lbc"] & (data["stage"] == "junior"), "nssi"].mean()
    assert tests.loc["t2:stage=junior:lbc_vs_nlbc", "difference"] == pytest.approx(expected)
    assert "t2:boarder:within_lbc" in tests.index and np.isfinite(tests.loc["t2:boarder:within_lbc", "odds_ratio"])


def test_table3_shares_sum_to_100(data):
    result = tables.table3_help_seeking(data)
    assert result.cells["lbc_pct"].sum() == pytest.approx(100)
    assert result.cells["lbc_n"].sum() == (data["lbc"] & (data["nssi"] == 1)).sum()
    assert result.tests.iloc[0]["df"] == 3


def test_table4_is_restricted_to_nssi(data):
    result = tables.table4_professional_help(data)
    overall = result.cells.iloc[0]
    assert overall["lbc_n"] == (data["lbc"] & (data["nssi"] == 1)).sum()
    assert overall["lbc_cases"] == (data["lbc"] & (data["help_seeking"] == "professional")).sum()


def test_table5_and_6_directions_and_values(data):
    t5 = tables.table5_coping(data)["lbc_vs_nlbc"]
    row = t5.cells.set_index("score").loc["problem_solving"]
    assert row["lbc_mean"] == pytest.approx(data.loc[data["lbc"], "problem_solving"].mean())
    assert row["cohens_d"] < 0  # the fake data lower problem-solving among LBC
    assert len(t5.tests) == len(tables.COPING_SCORES)
    t6 = tables.table6_coping_nssi_help(data)["professional_in_lbc_nssi"]
    n = t6.cells.iloc[0]
    assert n["professional_n"] + n["not_professional_n"] == (data["lbc"] & (data["nssi"] == 1)).sum()


def test_care_cascade_counts(data):
    cascade = tables.care_cascade(data)
    lbc = data[data["lbc"]]
    assert list(cascade["n"]) == [
        len(lbc),
        lbc["nssi"].sum(),
        lbc["help_seeking"].isin(["self_help", "professional"]).sum(),
        (lbc["help_seeking"] == "professional").sum(),
    ]
    assert cascade["pct_of_previous"].iloc[1] == pytest.approx(100 * lbc["nssi"].mean())
    fig, alt = tables.cascade_figure(cascade)
    assert f"{cascade['n'].iloc[3]:,}" in alt
    # counts of people on a linear axis from zero, so the last stage is drawn at its true size
    assert fig.axes[0].get_xscale() == "linear" and fig.axes[0].get_xlim()[0] == 0

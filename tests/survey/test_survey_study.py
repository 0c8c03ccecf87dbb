"""leftbehind.survey.study: one spec-driven run, its reading views and the facts a page glues."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leftbehind.spec import parse_spec
from leftbehind.survey.study import analyse_study
from spec_surveys import make_data


@pytest.fixture(scope="module")
def result():
    spec = parse_spec({"outcome": {"column": "y", "event": "yes"},
                       "group": {"column": "g", "value": 1, "label": "in", "rest_label": "out"},
                       "categorical": {"sex": "boy", "grade": 7}, "continuous": ["sleep", "noise"]}, Path("s.yaml"))
    data = make_data().astype(str)
    data.loc[:4, "sleep"] = ""
    return analyse_study(data, spec, "t.csv")


def test_facts_follow_the_results(result):
    facts = result.facts()
    assert facts["n_read"] == 800 and facts["n_analysed"] == 795 and facts["n_excluded"] == 5
    assert facts["excluded_text"] == "5 rows were excluded because a value the analysis uses was blank (sleep: 5)"
    assert facts["direction"] == ("higher" if facts["group_pct"] > facts["rest_pct"] else "lower")
    assert facts["group_n"] + facts["rest_n"] == 795
    assert facts["retained_text"] == ", ".join(result.model["retained"])


def test_views_are_text_at_the_shown_precision(result):
    prevalence = result.prevalence_view()
    assert list(prevalence.index) == ["in", "out"]
    row = result.prevalence["in"]
    assert prevalence.loc["in", "95 % CI (Wilson)"] == f"{row['ci_low']:.1f} to {row['ci_high']:.1f}"
    terms = result.terms_view()
    assert len(terms) == len(result.model["terms"]) and terms["OR"].str.fullmatch(r"\d+\.\d\d").all()
    comparison = result.comparison_view()
    assert set(comparison["variable"]) == {"sex", "grade", "sleep", "noise"}


def test_every_table_carries_the_tier(result):
    for table in (result.prevalence_table(), result.comparison_table(), result.terms_table(), result.flow_table()):
        assert (table["data_tier"] == "real").all()
    summary = result.summary("t.csv")
    assert summary["tier"] == "real" and any("data tier: real" in line for line in summary["log"])


def test_log_names_a_model_that_cannot_be_fitted():
    spec = parse_spec({"outcome": {"column": "y", "event": "yes"},
                       "group": {"column": "g", "value": 1, "label": "in", "rest_label": "out"},
                       "categorical": {"sex": "boy"}}, Path("s.yaml"))
    data = make_data().assign(sex="boy").astype(str)
    run = analyse_study(data, spec, "t.csv")
    assert "model not estimable: sex never varies" in "\n".join(run.log)
    assert run.facts()["retained_text"] == "nothing (the model could not be fitted)"
    assert isinstance(run.terms_view(), pd.DataFrame) and run.terms_view().empty

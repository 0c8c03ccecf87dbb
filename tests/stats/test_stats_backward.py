"""leftbehind.stats.backward: spec-driven elimination agrees with statsmodels; impossible models are named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from spec_surveys import make_data

from leftbehind.spec import parse_spec
from leftbehind.stats.backward import fit_backward_spec, steps_table, terms_table
from leftbehind.survey.prepare import prepare


def spec_of(**extra):
    base = {"outcome": {"column": "y", "event": "yes"},
            "group": {"column": "g", "value": 1, "label": "in", "rest_label": "out"},
            "categorical": {"sex": "boy", "grade": 7}, "continuous": ["sleep", "noise"]}
    return parse_spec({**base, **extra}, Path("s.yaml"))


def fit(data: pd.DataFrame, spec) -> dict:
    return fit_backward_spec(prepare(data, spec, "t.csv").data, spec)


def test_terms_match_a_direct_statsmodels_fit():
    data = make_data()
    spec = spec_of()
    model = fit(data, spec)
    assert model["estimable"], model["reason"]
    assert "sex" in model["retained"] and "grade" in model["retained"] and "sleep" in model["retained"]
    direct = data.assign(y=(data["y"] == "yes").astype(int), grade=data["grade"].astype(int).astype(str))
    formula = "y ~ " + " + ".join(
        {"sex": "C(sex, Treatment('boy'))", "grade": "C(grade, Treatment('7'))"}.get(v, v) for v in model["retained"])
    result = smf.logit(formula, direct).fit(disp=0)
    ci = result.conf_int()
    for name, term in model["terms"].items():
        if "[" in name:
            variable, level = name[:-1].split("[")
            ref = {"sex": "boy", "grade": "7"}[variable]
            key = f"C({variable}, Treatment('{ref}'))[T.{level}]"
        else:
            key = name
        assert term["or"] == pytest.approx(np.exp(result.params[key]), rel=1e-5)
        assert term["ci_low"] == pytest.approx(np.exp(ci.loc[key, 0]), rel=1e-5)
        assert term["ci_high"] == pytest.approx(np.exp(ci.loc[key, 1]), rel=1e-5)
    assert {"grade[8]", "grade[12]", "sex[girl]"} <= set(model["terms"])  # whole-number codes, no decimals
    table = terms_table(model, spec)
    assert list(table["term"]) == list(model["terms"])
    assert table.loc[table["term"] == "sex[girl]", "label"].item() == "sex: girl (vs boy)"
    steps = steps_table(model)
    assert steps["removed"].sum() == len(spec.candidates) - len(model["retained"])


def test_model_within_group_uses_only_the_group():
    data = make_data()
    model = fit(data, spec_of(model_within="group"))
    assert model["n"] == int((data["g"] == 1).sum())
    assert model["within"] == "group"


@pytest.mark.parametrize("change, variable, words", [
    (lambda d: d.assign(grade=d["grade"].clip(lower=9)), "grade",
     "reference level 7 does not occur among the 800 modelled rows (levels present: 9, 10, 11, 12)"),
    (lambda d: d.assign(sex="boy"), "sex", "sex never varies among the 800 modelled rows (all boy)"),
    (lambda d: d.assign(noise=1.0), "noise", "noise never varies"),
    (lambda d: d.assign(y=np.where(d["sex"] == "girl", "no", d["y"])), "sex", "sex[girl] has no events"),
    (lambda d: d.assign(noise=d["sleep"] * 2), "noise", "noise is collinear with sex, grade, sleep"),
    (lambda d: d.assign(y="no", g=d["g"]).pipe(lambda x: x.assign(y=np.where(x.index == 0, "yes", "no"))), "sex",
     "has no events"),
])
def test_not_estimable_names_the_variable(change, variable, words):
    model = fit(change(make_data()), spec_of())
    assert model["estimable"] is False
    assert model["variable"] == variable
    assert words in model["reason"]
    assert model["terms"] == {} and model["retained"] == []


def test_outcome_that_never_varies_in_the_group():
    data = make_data()
    data.loc[data["g"] == 1, "y"] = "no"
    model = fit(data, spec_of(model_within="group"))
    assert not model["estimable"] and "the outcome y never varies" in model["reason"]


def test_continuous_separation_is_named():
    data = make_data()
    data["noise"] = np.where(data["y"] == "yes", 1.0, 0.0) + np.random.default_rng(1).normal(0, 0.01, len(data))
    model = fit(data, spec_of())
    assert not model["estimable"]
    assert "noise" in model["reason"] and ("separation" in model["reason"] or "fit failed" in model["reason"])

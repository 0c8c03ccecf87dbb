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


# --- Tests that would notice (issue 14, item 8): edges of the checks, and what the fit's troubles leave in the notes ---

import dataclasses  # noqa: E402
import warnings  # noqa: E402

import leftbehind.stats.backward as backward  # noqa: E402


def test_a_two_valued_continuous_candidate_is_modelled():
    data = make_data()
    data["noise"] = np.random.default_rng(2).integers(0, 2, len(data)).astype(float)  # 0/1 entered as a number
    model = fit(data, spec_of())
    assert model["estimable"], model["reason"]
    assert "noise" in model["candidates"]


def test_collinearity_through_the_constant_is_named():
    # noise = 5 - 2 * sleep adds nothing once the constant and sleep are in: only visible with the constant included
    model = fit(make_data().pipe(lambda d: d.assign(noise=5 - 2 * d["sleep"])), spec_of())
    assert model["estimable"] is False and model["variable"] == "noise"
    assert "noise is collinear with sex, grade, sleep and the constant" in model["reason"]


def test_no_rows_in_the_group_is_not_estimable():
    # prepare refuses a group value that never occurs, so the empty group is made after preparing
    spec = spec_of(model_within="group")
    prepared = prepare(make_data(), spec, "t.csv").data.assign(_in_group=False)
    model = fit_backward_spec(prepared, spec)
    assert model["estimable"] is False and model["n"] == 0
    assert model["reason"] == "no rows to model (model_within: group)"


def _with_backward_lr(monkeypatch, wrap):
    real = backward.backward_lr

    def patched(*args, **kwargs):
        return wrap(real(*args, **kwargs))

    monkeypatch.setattr(backward, "backward_lr", patched)


def test_numerical_warnings_while_fitting_become_a_note(monkeypatch):
    def warn(result):
        warnings.warn("overflow in exp", RuntimeWarning)
        warnings.warn("old API", DeprecationWarning)
        return result

    _with_backward_lr(monkeypatch, warn)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped fit_backward_spec would fail here
        model = fit(make_data(), spec_of())
    assert model["estimable"]
    assert model["notes"] == ["the numerical library warned while fitting (RuntimeWarning); check the standard "
                              "errors before reading the odds ratios"]


def test_only_deprecation_warnings_leave_no_note(monkeypatch):
    def warn(result):
        warnings.warn("old API", DeprecationWarning)
        return result

    _with_backward_lr(monkeypatch, warn)
    model = fit(make_data(), spec_of())
    assert model["estimable"] and model["notes"] == []


def test_unconverged_steps_are_noted(monkeypatch):
    _with_backward_lr(monkeypatch, lambda result: dataclasses.replace(result, not_converged=[1, 3]))
    model = fit(make_data(), spec_of())
    assert model["estimable"]
    assert model["notes"] == ["fits at step(s) 1, 3 did not converge (a variable nearly separated the outcome at "
                              "that step)"]

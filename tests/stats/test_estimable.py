"""Not-estimable models found from counts, and numerical warnings in plain words."""

import warnings

import numpy as np
import pandas as pd

from leftbehind.stats.estimable import (MIN_EVENTS, check_logistic, collect_warnings, collinear_columns, rank_problems,
                                  warning_summary)

LEVELS = {"edu": ["low", "mid", "high"]}


def check(y, edu, score=None):
    continuous = {} if score is None else {"score": pd.Series(score)}
    return check_logistic(np.asarray(y), {"edu": pd.Series(edu, dtype=object)}, continuous, LEVELS, "nssi")


def test_a_fittable_design_has_no_problems():
    y = [0, 0, 1, 1] * 15
    edu = ["low", "mid", "high"] * 20
    assert check(y, edu, score=np.linspace(1, 4, 60)) == []


def test_constant_outcome_and_too_few_events():
    [problem] = check([0] * 40, ["low", "mid"] * 20)
    assert problem.reason == "constant_outcome" and problem.variable == "nssi"
    [problem] = check([1] * (MIN_EVENTS - 1) + [0] * 50, (["low", "mid", "high"] * 20)[: MIN_EVENTS + 49])
    assert problem.reason == "too_few_events" and f"at least {MIN_EVENTS}" in problem.detail


def test_empty_category_separation_and_constant_score_are_named():
    y = [0, 0, 1, 1] * 15
    edu = ["low", "mid"] * 30  # nobody in "high"
    problems = check(y, edu, score=[2.5] * 60)
    found = {(p.reason, p.variable) for p in problems}
    assert found == {("empty_category", "edu"), ("constant_variable", "score")}
    assert "--merge edu=mid,high" in problems[0].remedy and "--drop edu" in problems[0].remedy
    edu = ["low", "mid", "high"] * 20
    y = [0 if e == "high" else i % 2 for i, e in enumerate(edu)]  # no event among "high": separation
    [problem] = check(y, edu)
    assert problem.reason == "separation" and "none have the outcome" in problem.detail


def test_collinear_columns_are_found_and_named():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2, 50).astype(float)
    design = pd.DataFrame({"a": a, "b": rng.normal(size=50), "not_a": 1 - a})
    assert collinear_columns(design) == ["not_a"]
    [problem] = rank_problems(design, {"first": ["a"], "second": ["b"], "third": ["not_a"]})
    assert problem.reason == "rank_deficient" and problem.variable == "third"


def test_warnings_are_collected_and_summarised_in_plain_words():
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    with collect_warnings() as caught:
        np.exp(np.array([1000.0]))
        warnings.warn("Maximum Likelihood optimization failed to converge", ConvergenceWarning)
        warnings.warn("Maximum Likelihood optimization failed to converge", ConvergenceWarning)
    lines = warning_summary(caught)
    assert any("overflowed" in line and "(1 time)" in line for line in lines)
    assert any("did not converge" not in line and "stopped before it converged (2 times)" in line for line in lines)

"""Backward LR elimination checked against an independent brute-force reference.

The reference below builds its own design with statsmodels' formula interface
(``C(var, Treatment(ref))``), refits every candidate removal at every step and
picks the removal with the largest likelihood-ratio p; it shares no code with
:mod:`leftbehind.stepwise`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from fake_analysis import make_fake_analysis
from leftbehind.models import CATEGORICAL, design_matrix
from leftbehind.stepwise import P_REMOVE, backward_lr, lr_test


def _term(variable: str) -> str:
    if variable in CATEGORICAL:
        return f"C({variable}, Treatment('{CATEGORICAL[variable][0]}'))"
    return variable


def _formula_fit(data: pd.DataFrame, outcome: str, variables: list[str]):
    rhs = " + ".join(_term(v) for v in variables) or "1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return smf.logit(f"{outcome} ~ {rhs}", data=data).fit(disp=0, maxiter=200)


def brute_force_path(data: pd.DataFrame, outcome: str, candidates: list[str], p_remove: float = 0.10):
    """Reference elimination: returns [(removed or None, -2LL, {variable: p})] per step."""
    current = list(candidates)
    path = []
    while True:
        full = _formula_fit(data, outcome, current)
        pvalues = {}
        for v in current:
            reduced = _formula_fit(data, outcome, [w for w in current if w != v])
            lr = 2 * (full.llf - reduced.llf)
            pvalues[v] = stats.chi2.sf(lr, full.df_model - reduced.df_model)
        worst = max(current, key=lambda v: pvalues[v]) if current else None
        removed = worst if worst is not None and pvalues[worst] > p_remove else None
        path.append((removed, -2 * full.llf, pvalues))
        if removed is None:
            return path
        current.remove(removed)


@pytest.fixture(scope="module")
def worked_example():
    data = make_fake_analysis(n=3000, seed=11)
    return data[data["lbc"]].reset_index(drop=True)


def test_path_matches_brute_force_reference(worked_example):
    data = worked_example
    design, blocks = design_matrix(data)
    ours = backward_lr(design, data["nssi"], blocks)
    reference = brute_force_path(data, "nssi", list(blocks))
    assert len(ours.steps) == len(reference)
    assert len(ours.steps) >= 5  # the example really eliminates several variables, blocks included
    assert any(s.removed in ("father_edu", "mother_edu", "stage", "family") for s in ours.steps if s.removed)
    for step, (removed, minus_2ll, pvalues) in zip(ours.steps, reference):
        assert step.removed == removed
        assert step.minus_2ll == pytest.approx(minus_2ll, rel=1e-7)
        for variable, p in pvalues.items():
            assert step.tests[variable]["p"] == pytest.approx(p, rel=1e-5, abs=1e-9)


def test_final_fit_equals_plain_statsmodels(worked_example):
    data = worked_example
    design, blocks = design_matrix(data)
    ours = backward_lr(design, data["nssi"], blocks)
    plain = _formula_fit(data, "nssi", ours.retained)
    assert ours.fit.llf == pytest.approx(plain.llf, rel=1e-9)
    assert sorted(np.round(ours.fit.params, 6)) == sorted(np.round(plain.params.to_numpy(), 6))


def test_lr_test_worked_numbers():
    # LR = 2 * (-100 - -103.2) = 6.4 on 2 df -> p = exp(-3.2)
    result = lr_test(-100.0, -103.2, 2)
    assert result["lr"] == pytest.approx(6.4)
    assert result["p"] == pytest.approx(np.exp(-3.2))


def test_reentry_flags_use_entry_threshold(worked_example):
    data = worked_example
    design, blocks = design_matrix(data)
    ours = backward_lr(design, data["nssi"], blocks)
    removed = [s.removed for s in ours.steps if s.removed]
    assert sorted(ours.reentry) == sorted(removed)
    for name, test in ours.reentry.items():
        plain_with = _formula_fit(data, "nssi", ours.retained + [name])
        assert test["p"] == pytest.approx(stats.chi2.sf(2 * (plain_with.llf - ours.fit.llf), len(blocks[name])), rel=1e-5, abs=1e-9)
        assert test["would_reenter"] == float(test["p"] < 0.05)


def _random_problem(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(300, 900))
    k = int(rng.integers(3, 8))
    design = pd.DataFrame(rng.normal(size=(n, k)), columns=[f"x{i}" for i in range(k)])
    group = rng.integers(0, 3, size=n)
    design["g[b]"] = (group == 1).astype(float)
    design["g[c]"] = (group == 2).astype(float)
    beta = rng.normal(0, 0.4, size=k) * (rng.random(k) < 0.5)
    eta = -0.5 + design.iloc[:, :k].to_numpy() @ beta + 0.3 * design["g[c]"]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    blocks = {f"x{i}": [f"x{i}"] for i in range(k)}
    blocks["g"] = ["g[b]", "g[c]"]
    return design, y, blocks


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31 - 1))
def test_elimination_properties_on_random_data(seed):
    design, y, blocks = _random_problem(seed)
    result = backward_lr(design, y, blocks)
    final = result.steps[-1]
    assert final.removed is None
    assert sorted(final.variables) == sorted(result.retained)
    for name in result.retained:
        assert final.tests[name]["p"] <= P_REMOVE
    for before, after in zip(result.steps, result.steps[1:]):
        largest = max(t["p"] for t in before.tests.values())
        assert before.removed is not None
        assert before.tests[before.removed]["p"] == largest > P_REMOVE
        assert after.variables == [v for v in before.variables if v != before.removed]
        assert after.minus_2ll >= before.minus_2ll - 1e-8  # removing parameters never improves the fit
    for step in result.steps:
        for name, test in step.tests.items():
            assert test["df"] == len(blocks[name])
            assert test["lr"] >= 0


def test_rank_deficient_design_is_rejected():
    design, y, blocks = _random_problem(3)
    design["dup"] = design["x0"] * 2
    blocks["dup"] = ["dup"]
    with pytest.raises(ValueError, match="rank deficient"):
        backward_lr(design, y, blocks)


def test_separated_category_does_not_stop_the_elimination():
    rng = np.random.default_rng(5)
    n = 400
    design = pd.DataFrame({"x": rng.normal(size=n), "rare": (rng.random(n) < 0.08).astype(float)})
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 0.8 * design["x"])))).astype(float)
    y[design["rare"] == 1] = 0.0  # quasi-complete separation: no events in the rare category
    result = backward_lr(design, y, {"x": ["x"], "rare": ["rare"]})
    assert np.isfinite(result.steps[0].minus_2ll)
    plain_without = _formula_fit(pd.DataFrame({"y": y, "x": design["x"]}), "y", ["x"])
    lr = result.steps[0].tests["rare"]["lr"]
    assert lr == pytest.approx(2 * (-result.steps[0].minus_2ll / 2 - plain_without.llf), rel=1e-3)
    assert lr > 5  # an empty category is informative, not noise


def test_missing_values_are_named_not_an_svd_failure():
    rng = np.random.default_rng(3)
    design = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    design.loc[5, "b"] = np.nan
    with pytest.raises(ValueError, match=r"missing values in b"):
        backward_lr(design, rng.integers(0, 2, 40), {"a": ["a"], "b": ["b"]})

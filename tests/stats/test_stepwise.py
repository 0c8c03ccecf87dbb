"""Backward LR elimination checked against an independent brute-force reference.

The reference below builds its own design with statsmodels' formula interface
(``C(var, Treatment(ref))``), refits every candidate removal at every step and
picks the removal with the largest likelihood-ratio p; it shares no code with
:mod:`leftbehind.stats.stepwise`.
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
from leftbehind.paper.models import CATEGORICAL, design_matrix
from leftbehind.stats.stepwise import P_REMOVE, backward_lr, lr_test


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


# --- Tests that would notice (issue 14, item 8): convergence record, the fallback fit, thresholds, small records ----

import statsmodels.api as sm  # noqa: E402

from leftbehind.stats import stepwise  # noqa: E402
from leftbehind.stats.stepwise import P_ENTER, Step, _fit, _start_without  # noqa: E402


def _small_problem():
    """x0 strong, x1 weak, x2 and the 3-level g pure noise; 600 rows (fast)."""
    rng = np.random.default_rng(20231)
    n = 600
    design = pd.DataFrame(rng.normal(size=(n, 3)), columns=["x0", "x1", "x2"])
    group = rng.integers(0, 3, size=n)
    design["g[b]"] = (group == 1).astype(float)
    design["g[c]"] = (group == 2).astype(float)
    eta = -0.4 + 1.0 * design["x0"] + 0.25 * design["x1"]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    blocks = {"x0": ["x0"], "x1": ["x1"], "x2": ["x2"], "g": ["g[b]", "g[c]"]}
    return design, y, blocks


def _llf(design, y, columns):
    x = np.column_stack([np.ones(len(y))] + [design[c].to_numpy() for c in columns])
    return sm.Logit(y, x).fit(disp=0).llf


def test_small_path_against_independent_refits():
    design, y, blocks = _small_problem()
    result = backward_lr(design, y, blocks)
    current = list(blocks)
    for step in result.steps:
        assert step.variables == current
        cols = [c for v in current for c in blocks[v]]
        full = _llf(design, y, cols)
        assert step.minus_2ll == pytest.approx(-2 * full, rel=1e-9)
        for name in current:
            reduced = _llf(design, y, [c for v in current if v != name for c in blocks[v]])
            lr = 2 * (full - reduced)
            assert step.tests[name]["lr"] == pytest.approx(lr, rel=1e-6, abs=1e-9)
            assert step.tests[name]["p"] == pytest.approx(stats.chi2.sf(lr, len(blocks[name])), rel=1e-6, abs=1e-12)
        if step.removed:
            current = [v for v in current if v != step.removed]
    assert result.retained == current and "x0" in result.retained and "g" not in result.retained
    assert result.columns == ["const"] + [c for v in result.retained for c in blocks[v]]
    assert result.not_converged == []
    assert result.fit.llf == pytest.approx(_llf(design, y, result.columns[1:]), rel=1e-9)
    for name, test in result.reentry.items():
        wider = _llf(design, y, result.columns[1:] + blocks[name])
        lr = 2 * (wider - result.fit.llf)
        assert test["lr"] == pytest.approx(lr, rel=1e-6, abs=1e-9)
        assert test["df"] == len(blocks[name])
        assert test["would_reenter"] == float(test["p"] < P_ENTER)


def test_steps_table_and_step_records():
    design, y, blocks = _small_problem()
    result = backward_lr(design, y, blocks)
    table = result.steps_table()
    assert len(table) == sum(len(s.tests) for s in result.steps)
    assert table["removed"].sum() == len(result.steps) - 1
    first = result.steps[0]
    row = table[(table["step"] == 1) & (table["variable"] == "g")].iloc[0]
    assert row["df"] == 2 and row["p"] == first.tests["g"]["p"] and row["lr_chi2"] == first.tests["g"]["lr"]
    assert row["minus_2ll_step"] == first.minus_2ll and row["removed"] == (first.removed == "g")
    record = first.as_dict()
    assert record["step"] == 1 and record["variables"] == list(blocks) and record["removed"] == first.removed
    assert record["tests"]["g"] == {"lr": first.tests["g"]["lr"], "df": 2.0, "p": first.tests["g"]["p"]}
    assert Step(3, ["a"], 10.0, {}, None).as_dict() == {"step": 3, "variables": ["a"], "minus_2ll": 10.0,
                                                       "tests": {}, "removed": None}


def test_removal_threshold_is_strict_and_can_empty_the_model():
    design, y, blocks = _small_problem()
    first = backward_lr(design, y, blocks).steps[0]
    worst = max(first.tests.values(), key=lambda t: t["p"])["p"]
    # p exactly at the threshold stays in the model ("exceeds p_remove" removes)
    at = backward_lr(design, y, blocks, p_remove=worst)
    assert at.steps[0].removed is None and len(at.steps) == 1 and at.retained == list(blocks)
    # with p_remove below every p, everything goes; the last step has no variables and no tests
    everything = backward_lr(design, y, blocks, p_remove=-1.0)
    assert everything.retained == [] and everything.steps[-1].variables == [] and everything.steps[-1].tests == {}
    assert everything.steps[-1].removed is None and len(everything.steps) == len(blocks) + 1
    assert everything.columns == ["const"] and sorted(everything.reentry) == sorted(blocks)
    assert everything.fit.llf == pytest.approx(_llf(design, y, []), rel=1e-9)


def test_lr_statistic_is_never_negative():
    assert lr_test(-100.0, -99.5, 1) == {"lr": 0.0, "df": 1.0, "p": 1.0}


def test_warm_start_moves_the_dropped_columns_into_the_constant():
    params = {0: 1.0, 1: 2.0, 2: 3.0, 3: -4.0}
    means = np.array([1.0, 0.5, 0.25, 0.5])
    np.testing.assert_allclose(_start_without(params, [0, 1], [2, 3], means), [1.0 + 0.75 - 2.0, 2.0])
    np.testing.assert_allclose(_start_without(params, [0, 2], [1], means), [2.0, 3.0])


def _separated():
    rng = np.random.default_rng(5)
    n = 400
    design = pd.DataFrame({"x": rng.normal(size=n), "rare": (rng.random(n) < 0.08).astype(float)})
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 0.8 * design["x"])))).astype(float)
    y[design["rare"] == 1] = 0.0
    return design, y


def _mark_unconverged(monkeypatch, n_columns):
    """Let every fit with ``n_columns`` design columns report non-convergence (real data rarely do here)."""
    real = stepwise._fit

    def fit(y, x, start=None):
        result = real(y, x, start)
        if x.shape[1] == n_columns:
            result.mle_retvals["converged"] = False
        return result

    monkeypatch.setattr(stepwise, "_fit", fit)


def test_unconverged_current_model_is_listed(monkeypatch):
    design, y = _separated()
    _mark_unconverged(monkeypatch, 3)  # the model with both variables
    result = backward_lr(design, y, {"x": ["x"], "rare": ["rare"]})
    assert result.retained == ["x", "rare"] and result.not_converged == [1]


def test_unconverged_reduced_model_is_listed(monkeypatch):
    design, y = _separated()
    _mark_unconverged(monkeypatch, 2)  # the one-variable models fitted for the LR tests
    result = backward_lr(design, y, {"x": ["x"], "rare": ["rare"]})
    assert result.not_converged == [1]
    monkeypatch.undo()
    design, y, blocks = _small_problem()
    _mark_unconverged(monkeypatch, 99)  # none
    assert backward_lr(design, y, blocks).not_converged == []


class _FakeFit:
    def __init__(self, llf, converged):
        self.llf = llf
        self.mle_retvals = {"converged": converged}


def _fake_logit(results):
    calls = []

    class FakeLogit:
        def __init__(self, y, x, check_rank=False):
            pass

        def fit(self, **options):
            calls.append(options)
            outcome = results[len(calls) - 1]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

    return FakeLogit, calls


def test_fit_tries_warm_start_then_newton_then_bfgs(monkeypatch):
    fits = [np.linalg.LinAlgError("singular"), _FakeFit(float("nan"), True), _FakeFit(-12.0, False)]
    fake, calls = _fake_logit(fits)
    monkeypatch.setattr(stepwise, "Logit", fake)
    fit = _fit(np.zeros(3), np.ones((3, 1)), start=np.array([0.5]))
    assert fit is fits[2]
    assert [c["method"] for c in calls] == ["newton", "newton", "bfgs"]
    assert calls[0]["start_params"].tolist() == [0.5] and calls[0]["maxiter"] == 50
    assert calls[1]["maxiter"] == 100 and calls[2]["maxiter"] == 2000 and "start_params" not in calls[1]


def test_fit_returns_the_first_converged_and_else_the_best(monkeypatch):
    fits = [_FakeFit(-10.0, False), _FakeFit(-9.0, True), _FakeFit(-1.0, True)]
    fake, calls = _fake_logit(fits)
    monkeypatch.setattr(stepwise, "Logit", fake)
    assert _fit(np.zeros(3), np.ones((3, 1)), start=np.array([0.0])) is fits[1] and len(calls) == 2
    fits = [_FakeFit(-10.0, False), _FakeFit(-9.0, False), _FakeFit(-11.0, False)]
    fake, calls = _fake_logit(fits)
    monkeypatch.setattr(stepwise, "Logit", fake)
    assert _fit(np.zeros(3), np.ones((3, 1)), start=np.array([0.0])) is fits[1]
    fits = [_FakeFit(-9.0, False), _FakeFit(-10.0, False)]
    fake, calls = _fake_logit(fits)
    monkeypatch.setattr(stepwise, "Logit", fake)
    assert _fit(np.zeros(3), np.ones((3, 1))) is fits[0] and len(calls) == 2


def test_fit_with_no_finite_likelihood_is_an_error(monkeypatch):
    fake, _ = _fake_logit([_FakeFit(float("-inf"), True), np.linalg.LinAlgError("singular")])
    monkeypatch.setattr(stepwise, "Logit", fake)
    with pytest.raises(RuntimeError, match="not finite"):
        _fit(np.zeros(3), np.ones((3, 1)))


def test_spss_default_probabilities():
    # SPSS's documented defaults for backward stepwise: removal 0.10, entry 0.05
    assert P_REMOVE == 0.10 and P_ENTER == 0.05
    design, y, blocks = _small_problem()
    assert backward_lr(design, y, blocks).retained == backward_lr(design, y, blocks, p_remove=0.10).retained


def test_fit_keeps_the_first_of_equally_good_unconverged_attempts(monkeypatch):
    fits = [_FakeFit(-9.0, False), _FakeFit(-9.0, False), _FakeFit(-9.0, False)]
    fake, _ = _fake_logit(fits)
    monkeypatch.setattr(stepwise, "Logit", fake)
    assert _fit(np.zeros(3), np.ones((3, 1)), start=np.array([0.0])) is fits[0]


def test_one_unconverged_reduced_model_is_enough_to_list_the_step(monkeypatch):
    design, y = _separated()
    real = stepwise._fit

    def fit(yy, x, start=None):
        result = real(yy, x, start)
        if x.shape[1] == 2 and np.array_equal(x[:, 1], design["x"].to_numpy()):  # only the model without "rare"
            result.mle_retvals["converged"] = False
        return result

    monkeypatch.setattr(stepwise, "_fit", fit)
    assert backward_lr(design, y, {"x": ["x"], "rare": ["rare"]}).not_converged == [1]


def test_fits_print_nothing_and_warn_nothing(monkeypatch, capsys):
    # the book fails on any stderr output from a cell: an unconverged attempt must stay silent
    real_logit = stepwise.Logit

    class ShortLogit(real_logit):
        def fit(self, **options):
            return super().fit(**{**options, "maxiter": 1})  # every attempt stops unconverged

    monkeypatch.setattr(stepwise, "Logit", ShortLogit)
    design, y = _separated()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = _fit(y, np.column_stack([np.ones(len(y)), design.to_numpy()]))
    assert not fit.mle_retvals["converged"]
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_missing_values_are_named_not_an_svd_failure():
    rng = np.random.default_rng(3)
    design = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    design.loc[5, "b"] = np.nan
    with pytest.raises(ValueError, match=r"missing values in b"):
        backward_lr(design, rng.integers(0, 2, 40), {"a": ["a"], "b": ["b"]})

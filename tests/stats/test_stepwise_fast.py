"""The fast elimination gives the statsmodels elimination's answers to 1e-8: every step's variables, -2LL,
LR statistic, p and removal, the final coefficients and standard errors, and the re-entry report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.paper import models
from leftbehind.paper.models import design_matrix, fit_backward
from leftbehind.stats import stepwise_fast
from leftbehind.stats.fast_logit import single_threaded_blas
from leftbehind.stats.stepwise import backward_lr
from leftbehind.stats.stepwise_fast import backward_lr_fast

TOL = 1e-8


def assert_same(exact, fast):
    assert fast.retained == exact.retained and fast.columns == exact.columns
    assert len(fast.steps) == len(exact.steps)
    for a, b in zip(exact.steps, fast.steps):
        assert (a.variables, a.removed) == (b.variables, b.removed)
        assert b.minus_2ll == pytest.approx(a.minus_2ll, rel=TOL, abs=TOL)
        for name, test in a.tests.items():
            for key in ("lr", "df", "p"):
                assert b.tests[name][key] == pytest.approx(test[key], rel=TOL, abs=TOL), (a.number, name, key)
    np.testing.assert_allclose(fast.fit.params, exact.fit.params, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(fast.fit.bse, exact.fit.bse, rtol=TOL, atol=TOL)
    assert fast.fit.llf == pytest.approx(exact.fit.llf, rel=TOL)
    assert fast.reentry.keys() == exact.reentry.keys()
    for name, test in exact.reentry.items():
        for key, value in test.items():
            assert fast.reentry[name][key] == pytest.approx(value, rel=TOL, abs=TOL)
    assert fast.not_converged == exact.not_converged == []


def both(design, y, blocks, p_remove=0.10):
    with single_threaded_blas():
        return backward_lr(design, y, blocks, p_remove), backward_lr_fast(design, y, blocks, p_remove)


@pytest.mark.parametrize("seed,n", [(21, 8000), (3, 1500), (8, 600)])
def test_fake_cohorts_table7(seed, n):
    data = make_fake_analysis(n=n, seed=seed)
    lbc = data[data["lbc"].astype(bool)]
    design, blocks = design_matrix(lbc)
    exact, fast = both(design, lbc["nssi"].to_numpy(float), blocks)
    assert_same(exact, fast)


@pytest.mark.parametrize("p_remove", [0.05, 0.10, 0.5])
def test_random_correlated_designs(p_remove):
    """Correlated predictors and a three-level factor, so removals reorder the others' p-values."""
    rng = np.random.default_rng(int(p_remove * 100))
    n = 3000
    z = rng.normal(size=(n, 5)) @ rng.normal(size=(5, 5)) * 0.5
    level = rng.integers(0, 3, n)
    design = pd.DataFrame({f"x{i}": z[:, i] for i in range(5)})
    design["f[b]"], design["f[c]"] = (level == 1).astype(float), (level == 2).astype(float)
    eta = -1.0 + 0.4 * z[:, 0] - 0.2 * z[:, 2] + 0.3 * (level == 2)
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    blocks = {f"x{i}": [f"x{i}"] for i in range(5)} | {"f": ["f[b]", "f[c]"]}
    exact, fast = both(design, y, blocks, p_remove)
    assert_same(exact, fast)


def test_separation_is_handed_to_the_statsmodels_path():
    """A category with no events: the fast fits diverge, so the statsmodels path (and its report) is used."""
    rng = np.random.default_rng(5)
    n = 800
    x = rng.normal(size=n)
    group = (rng.random(n) < 0.1).astype(float)
    y = ((rng.random(n) < 0.3) & (group == 0)).astype(float)
    design = pd.DataFrame({"x": x, "g[yes]": group})
    blocks = {"x": ["x"], "g": ["g[yes]"]}
    with single_threaded_blas():
        exact = backward_lr(design, y, blocks)
        fast = backward_lr_fast(design, y, blocks)
    assert fast.retained == exact.retained and fast.not_converged == exact.not_converged
    np.testing.assert_allclose(fast.fit.params, exact.fit.params)


def test_fit_backward_switches_path_by_size_with_the_same_record(monkeypatch):
    data = make_fake_analysis(n=4000, seed=11)
    lbc = data[data["lbc"].astype(bool)]
    calls = []
    original = stepwise_fast._eliminate
    monkeypatch.setattr(stepwise_fast, "_eliminate", lambda *a: calls.append(1) or original(*a))
    exact = fit_backward(lbc, "nssi")
    assert not calls  # below FAST_FROM_ROWS: statsmodels
    monkeypatch.setattr(models, "FAST_FROM_ROWS", 0)
    fast = fit_backward(lbc, "nssi")
    assert calls
    assert_same(exact["_result"], fast["_result"])
    assert fast["retained"] == exact["retained"] and fast["terms"].keys() == exact["terms"].keys()
    for term, values in exact["terms"].items():
        for key, value in values.items():
            assert fast["terms"][term][key] == pytest.approx(value, rel=TOL, abs=TOL)


@pytest.mark.parametrize("table", ["nssi_lbc", "help_lbc_nssi"])
def test_the_books_tables_7_and_8(table):
    """The synthetic cohort's own Tables 7 and 8 (the models ``analyse`` writes), fitted both ways."""
    from leftbehind.paper.sensitivity import synthetic_analysis

    analysis = synthetic_analysis(seed=2023)
    subset = analysis[analysis["lbc"].astype(bool)]
    outcome = "nssi"
    if table == "help_lbc_nssi":
        subset, outcome = subset[subset["nssi"] == 1], "professional"
    design, blocks = design_matrix(subset)
    exact, fast = both(design, subset[outcome].to_numpy(float), blocks)
    assert_same(exact, fast)

"""fast_logit must reproduce statsmodels Logit (log-likelihoods to 1e-8)."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.discrete.discrete_model import Logit

from fake_analysis import make_fake_analysis
from leftbehind.fast_logit import (
    ConvergenceError,
    fit_logit,
    fit_logit_weights,
    fit_without_blocks,
    loglike,
    single_threaded_blas,
)
from leftbehind.models import design_matrix


@pytest.fixture(scope="module")
def problem():
    data = make_fake_analysis(6000, seed=11)
    lbc = data[data["lbc"]].reset_index(drop=True)
    design, blocks = design_matrix(lbc)
    x = np.column_stack([np.ones(len(design)), design.to_numpy(float)])
    position = {c: i + 1 for i, c in enumerate(design.columns)}
    drops = [[position[c] for c in cols] for cols in blocks.values()]
    return x, lbc["nssi"].to_numpy(float), drops


def test_fit_matches_statsmodels(problem):
    x, y, _ = problem
    ours = fit_logit(x, y)
    reference = Logit(y, x).fit(method="newton", disp=0, tol=1e-12)
    assert ours.llf == pytest.approx(reference.llf, abs=1e-8)
    np.testing.assert_allclose(ours.params, reference.params, atol=1e-7)
    np.testing.assert_allclose(ours.bse, reference.bse, rtol=1e-6)


def test_weights_equal_copied_rows(problem):
    x, y, _ = problem
    w = np.random.default_rng(3).integers(0, 4, size=len(y)).astype(float)
    ours = fit_logit(x, y, w)
    copied = Logit(np.repeat(y, w.astype(int)), np.repeat(x, w.astype(int), axis=0)).fit(method="newton", disp=0, tol=1e-12)
    assert ours.llf == pytest.approx(copied.llf, abs=1e-8)
    assert loglike(x, y, copied.params, w) == pytest.approx(copied.llf, abs=1e-8)


def test_reduced_models_match_separate_refits(problem):
    x, y, drops = problem
    w = np.random.default_rng(5).integers(0, 3, size=len(y)).astype(float)
    current = fit_logit(x, y, w)
    with single_threaded_blas():
        llf, params = fit_without_blocks(x, y, w, current, drops)
    for j, cols in enumerate(drops):
        keep = [c for c in range(x.shape[1]) if c not in cols]
        ref = fit_reference(x[:, keep], y, w)
        assert llf[j] == pytest.approx(ref.llf, abs=1e-8), j
        np.testing.assert_allclose(params[keep, j], ref.params, atol=1e-6)
        assert np.all(params[cols, j] == 0)


def fit_reference(x, y, w):
    counts = w.astype(int)
    return Logit(np.repeat(y, counts), np.repeat(x, counts, axis=0)).fit(method="newton", disp=0, tol=1e-12)


def test_many_weight_vectors(problem):
    x, y, _ = problem
    rng = np.random.default_rng(9)
    weights = np.stack([np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)) for _ in range(4)])
    params, llf, converged = fit_logit_weights(x, y, weights)
    assert converged.all()
    for b in range(4):
        ref = fit_reference(x, y, weights[b].astype(float))
        assert llf[b] == pytest.approx(ref.llf, abs=1e-8)
        np.testing.assert_allclose(params[b], ref.params, atol=1e-6)


def test_separation_is_reported():
    x = np.column_stack([np.ones(20), np.arange(20.0)])
    y = (np.arange(20) >= 10).astype(float)
    with pytest.raises(ConvergenceError):
        fit_logit(x, y)
    _, _, converged = fit_logit_weights(x, y, np.ones((2, 20)))
    assert not converged.any()

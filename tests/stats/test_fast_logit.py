"""fast_logit must reproduce statsmodels Logit (log-likelihoods to 1e-8)."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.discrete.discrete_model import Logit

from fake_analysis import make_fake_analysis
from leftbehind.stats.fast_logit import (
    ConvergenceError,
    chord_start,
    fit_logit,
    fit_logit_weights,
    fit_without_blocks,
    loglike,
    single_threaded_blas,
)
from leftbehind.paper.models import design_matrix


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


# --- Tests that would notice (issue 14, item 8): step halving, each ConvergenceError, small helpers ---

import leftbehind.stats.fast_logit as fast_logit  # noqa: E402
from scipy.special import expit as scipy_expit  # noqa: E402

from leftbehind.stats.fast_logit import LogitFit, _expit, _softplus  # noqa: E402


@pytest.fixture(scope="module")
def small():
    """500 rows: a constant, a strong predictor (log-OR 1.5) and a noise column."""
    rng = np.random.default_rng(7)
    n = 500
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 1.5 * x[:, 1])))).astype(float)
    return x, y


def _statsmodels(x, y):
    return Logit(y, x).fit(method="newton", disp=0, tol=1e-12)


def test_small_fit_and_its_information(small):
    x, y = small
    ours = fit_logit(x, y)
    ref = _statsmodels(x, y)
    assert ours.llf == pytest.approx(ref.llf, abs=1e-9)
    np.testing.assert_allclose(ours.params, ref.params, atol=1e-8)
    np.testing.assert_allclose(ours.information, -ref.model.hessian(ref.params), rtol=1e-8)
    np.testing.assert_allclose(ours.bse, ref.bse, rtol=1e-7)
    assert 3 <= ours.iterations <= 10
    assert ours.llf == loglike(x, y, ours.params)


def count_loglike_calls(monkeypatch) -> list:
    """Patch ``fast_logit.loglike`` to record each evaluation; return the (growing) list of calls."""
    calls = []
    real = fast_logit.loglike

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(fast_logit, "loglike", counting)
    return calls


def test_warm_start_far_away_needs_step_halving(small, monkeypatch):
    x, y = small
    ref = _statsmodels(x, y)
    calls = count_loglike_calls(monkeypatch)
    fit = fit_logit(x, y, start=np.array([5.0, -20.0, 5.0]))
    assert fit.llf == pytest.approx(ref.llf, abs=1e-9)
    np.testing.assert_allclose(fit.params, ref.params, atol=1e-8)
    # one evaluation at the start and one per iteration, plus the halvings: more than that means steps were halved
    assert len(calls) > 1 + fit.iterations


def test_each_convergence_failure_says_why(small):
    x, y = small
    with pytest.raises(ConvergenceError, match="singular information matrix"):
        fit_logit(np.column_stack([x, x[:, 1]]), y)
    with pytest.raises(ConvergenceError, match="no convergence in 2 Newton iterations"):
        fit_logit(x, y, maxiter=2)
    # quasi-complete separation: no events where the indicator is 1
    quasi = np.column_stack([x[:, :2], (x[:, 2] > 1.5).astype(float)])
    yq = np.where(quasi[:, 2] == 1, 0.0, y)
    with pytest.raises(ConvergenceError, match="no convergence in 100"):
        fit_logit(quasi, yq)
    # started near the diverging solution with a loose tolerance, the steps settle but the estimate is huge
    near = fit_logit(quasi[:, :2], yq).params
    start = np.array([near[0], near[1], -60.0])
    with pytest.raises(ConvergenceError, match="estimates diverge"):
        fit_logit(quasi, yq, start=start, tol=1.5)
    params, _, converged = fit_logit_weights(quasi, yq, np.ones((2, len(yq))), start=start, tol=1.5)
    assert not converged.any() and np.all(params[:, 2] < -50)
    # the same loose tolerance on a well-behaved problem converges (the flag is about divergence only)
    params, _, converged = fit_logit_weights(x, y, np.ones((1, len(y))), tol=1.5)
    assert converged.all()


def test_stalled_chord_iterations_finish_with_newton(small):
    x, y = small
    current = fit_logit(x, y)
    exact = fit_logit(x[:, [0, 2]], y)
    llf, params = fit_without_blocks(x, y, None, current, [[1]], maxiter=1)
    assert llf[0] == pytest.approx(exact.llf, abs=1e-9)
    np.testing.assert_allclose(params[[0, 2], 0], exact.params, atol=1e-7)
    assert params[1, 0] == 0


def test_loglike_of_many_parameter_vectors(small):
    x, y = small
    betas = np.array([[0.0, 0.1, -0.2], [1.0, 0.0, 0.5]]).T
    w = np.arange(len(y)) % 3
    together = loglike(x, y, betas, w)
    assert together.shape == (2,)
    for j in range(2):
        eta = x @ betas[:, j]
        assert together[j] == pytest.approx(np.sum(w * (y * eta - np.logaddexp(0, eta))), rel=1e-12)
        assert loglike(x, y, betas[:, j], w) == pytest.approx(together[j], rel=1e-12)


def test_softplus_and_expit_at_extremes():
    eta = np.array([-800.0, -30.0, 0.0, 29.0, 30.0, 31.0, 60.0, 800.0])
    np.testing.assert_allclose(_softplus(eta.copy()), np.logaddexp(0, eta), rtol=1e-15, atol=0)
    np.testing.assert_allclose(_expit(eta), scipy_expit(eta), rtol=1e-12, atol=0)
    assert _expit(np.array([-800.0]))[0] == 0.0 and _expit(np.array([800.0]))[0] == 1.0


def test_weighted_fits_from_a_warm_start(small):
    x, y = small
    rng = np.random.default_rng(1)
    weights = np.stack([rng.integers(0, 3, len(y)) for _ in range(3)]).astype(float)
    start = fit_logit(x, y).params
    params, llf, converged = fit_logit_weights(x, y, weights, start=start)
    assert converged.all() and params.shape == (3, 3) and llf.shape == (3,)
    for b in range(3):
        ref = fit_logit(x, y, weights[b])
        assert llf[b] == pytest.approx(ref.llf, abs=1e-9)
        np.testing.assert_allclose(params[b], ref.params, atol=1e-8)


def test_weights_with_a_singular_information_fall_back_to_least_squares(small):
    x, y = small
    weights = np.ones((2, len(y)))
    weights[1, :] = 0.0
    weights[1, :3] = 1.0  # three rows for three parameters: the information is singular or nearly so
    collinear = np.column_stack([x, x[:, 1]])
    params, _, converged = fit_logit_weights(collinear, y, weights[:1])
    assert params.shape == (1, 4) and np.all(np.isfinite(params))
    assert fit_logit_weights(x, y, weights[1:])[0].shape == (1, 3)


def _openblas_threads() -> int | None:
    """numpy's OpenBLAS thread count, read through its own C getter (None where it is not found)."""
    import ctypes

    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line and "numpy" in line and ".so" in line})
    for path in paths:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, name):
                getter = getattr(lib, name)
                getter.restype = ctypes.c_int
                return getter()
    return None


def test_single_threaded_blas_restores_the_thread_count():
    before = _openblas_threads()
    if before is None:
        pytest.skip("numpy's OpenBLAS is not loaded here; the context manager does nothing")
    with single_threaded_blas() as ctx:
        inside = _openblas_threads()
    assert isinstance(ctx, single_threaded_blas)
    assert inside == 1 and _openblas_threads() == before
    # also when the caller's count is not the default
    ctx._set(2)
    with single_threaded_blas():
        assert _openblas_threads() == 1
    assert _openblas_threads() == 2
    ctx._set(before)


def test_logit_fit_standard_errors_from_the_information():
    fit = LogitFit(params=np.zeros(2), llf=-1.0, information=np.array([[4.0, 0.0], [0.0, 25.0]]), iterations=1)
    np.testing.assert_allclose(fit.bse, [0.5, 0.2])


def test_divergence_threshold_is_an_absolute_estimate_of_50(small):
    # the quasi-separated column moves by about -1.29 per step: from -48.5 it stops at -49.8 (kept), from -49.2 at
    # -50.5 (rejected as diverging); the threshold is documented as |beta| > 50
    x, y = small
    quasi = np.column_stack([x[:, :2], (x[:, 2] > 1.5).astype(float)])
    yq = np.where(quasi[:, 2] == 1, 0.0, y)
    near = fit_logit(quasi[:, :2], yq).params
    kept = fit_logit(quasi, yq, start=np.array([near[0], near[1], -48.5]), tol=1.5)
    assert -50 < kept.params[2] < -49.5
    with pytest.raises(ConvergenceError, match="estimates diverge"):
        fit_logit(quasi, yq, start=np.array([near[0], near[1], -49.2]), tol=1.5)
    params, _, converged = fit_logit_weights(quasi, yq, np.ones((2, len(yq))), tol=1.5,
                                             start=np.array([near[0], near[1], -48.5]))
    assert converged.all() and np.all((params[:, 2] > -50) & (params[:, 2] < -49.5))
    params, _, converged = fit_logit_weights(quasi, yq, np.ones((1, len(yq))), tol=1.5,
                                             start=np.array([near[0], near[1], -49.2]))
    assert not converged.any() and -51 < params[0, 2] < -50


def test_iterations_are_counted_from_one(small, monkeypatch):
    x, y = small
    calls = count_loglike_calls(monkeypatch)
    fit = fit_logit(x, y)
    assert len(calls) == 1 + fit.iterations  # no halving from zero here: one evaluation per iteration
    monkeypatch.undo()
    assert fit_logit(x, y, maxiter=fit.iterations).iterations == fit.iterations


def test_single_threaded_blas_lets_exceptions_through():
    with pytest.raises(ZeroDivisionError):
        with single_threaded_blas():
            1 / 0


# --- Survivors of the second mutation run (issue 14, item 8) ---


def test_maxiter_caps_the_newton_iterations(small):
    # exactly as many iterations as the fit needs are enough (above); one fewer is not
    x, y = small
    needed = fit_logit(x, y).iterations
    with pytest.raises(ConvergenceError, match=f"no convergence in {needed - 1} Newton iterations"):
        fit_logit(x, y, maxiter=needed - 1)


def test_a_rejected_newton_step_is_halved(small, monkeypatch):
    # from beta = 0 every p is 1/2: the first Newton step is (X'X / 4)^-1 X'(y - 1/2), computed here independently;
    # when the full step is (made to look) worse, the next candidate is the same step halved
    x, y = small
    step = np.linalg.solve(0.25 * x.T @ x, x.T @ (y - 0.5))
    real = fast_logit.loglike
    seen = []

    def second_is_worse(xx, yy, beta, w=None):
        seen.append(np.array(beta, dtype=float).copy())
        return -np.inf if len(seen) == 2 else real(xx, yy, beta, w)

    monkeypatch.setattr(fast_logit, "loglike", second_is_worse)
    fit = fit_logit(x, y)
    monkeypatch.undo()
    np.testing.assert_allclose(seen[1], step, rtol=1e-10)
    np.testing.assert_allclose(seen[2], step / 2, rtol=1e-10)
    np.testing.assert_allclose(fit.params, _statsmodels(x, y).params, atol=1e-8)


def _conditional_start(current, keep, drop):
    """The documented start of a reduced fit: beta_keep + H_kk^-1 H_kd beta_drop (H the current information)."""
    info = current.information
    start = np.zeros(len(current.params))
    start[keep] = current.params[keep] + np.linalg.solve(info[np.ix_(keep, keep)],
                                                         info[np.ix_(keep, drop)] @ current.params[drop])
    return start


def test_chord_start_is_the_conditional_estimate_with_each_kept_blocks_inverse(small):
    x, y = small
    current = fit_logit(x, y)
    kept, solvers, beta = chord_start(current, [[1], [2], [1, 2]])
    assert kept.tolist() == [[True, False, True], [True, True, False], [True, False, False]]
    for j, (keep, drop) in enumerate((([0, 2], [1]), ([0, 1], [2]), ([0], [1, 2]))):
        np.testing.assert_allclose(beta[:, j], _conditional_start(current, keep, drop), atol=1e-12)
        block = np.linalg.inv(current.information[np.ix_(keep, keep)])
        np.testing.assert_allclose(solvers[j][np.ix_(keep, keep)], block, rtol=1e-10)
        assert not solvers[j][drop].any() and not solvers[j][:, drop].any()


def test_chord_start_from_one_inverse_matches_each_blocks_own_inverse(problem):
    # blocks of one, two and more columns, padded to a common width inside chord_start
    x, y, drops = problem
    assert len({len(d) for d in drops}) > 1
    current = fit_logit(x, y)
    kept, solvers, beta = chord_start(current, drops)
    for j, drop in enumerate(drops):
        keep = [c for c in range(x.shape[1]) if c not in drop]
        block = np.linalg.inv(current.information[np.ix_(keep, keep)])
        np.testing.assert_allclose(solvers[j][np.ix_(keep, keep)], block, rtol=1e-9, atol=1e-12 * np.abs(block).max())
        np.testing.assert_allclose(beta[:, j], _conditional_start(current, keep, drop), atol=1e-10)
        assert not kept[j, drop].any() and kept[j, keep].all()


def test_symmetric_coefficient_at_zero_does_not_stop_the_others():
    # every row appears twice, with z = +1 and z = -1: the estimate for z is exactly 0 at every iteration, so its
    # Newton step is 0 from the start; the fit must still run until every coefficient has settled
    rng = np.random.default_rng(12)
    n = 200
    x1 = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.4 + 1.2 * x1)))).astype(float)
    x = np.column_stack([np.ones(2 * n), np.tile(x1, 2), np.repeat([1.0, -1.0], n)])
    yy = np.tile(y, 2)
    counts = np.tile(rng.integers(0, 3, n), 2).astype(float)
    params, llf, converged = fit_logit_weights(x, yy, np.stack([np.ones(2 * n), counts]))
    assert converged.all()
    for b, w in enumerate((None, counts)):
        ref = fit_logit(x, yy, w)
        assert abs(ref.params[2]) < 1e-12
        np.testing.assert_allclose(params[b], ref.params, atol=1e-8)
        assert llf[b] == pytest.approx(ref.llf, abs=1e-9)


def test_single_threaded_blas_does_nothing_where_openblas_is_not_found(monkeypatch):
    import io

    before = _openblas_threads()
    monkeypatch.setattr(fast_logit, "open", lambda *args, **kwargs: io.StringIO(""), raising=False)
    with single_threaded_blas() as ctx:
        inside = _openblas_threads()
    assert isinstance(ctx, single_threaded_blas)
    assert inside == before and _openblas_threads() == before


def test_chord_fit_from_the_full_sample_is_the_same_fit_on_resamples(problem, monkeypatch):
    x, y, _ = problem
    full = fit_logit(x, y)
    rng = np.random.default_rng(3)
    calls = []
    monkeypatch.setattr(fast_logit, "fit_logit", lambda *a, **k: calls.append(1) or fit_logit(*a, **k))
    for _ in range(3):
        w = np.bincount(rng.integers(0, len(y), len(y)), minlength=len(y)).astype(float)
        chord = fast_logit.fit_logit_chord(x, y, w, full.params)
        newton = fit_logit(x, y, w, start=full.params)
        assert chord.llf == pytest.approx(newton.llf, abs=1e-9)
        np.testing.assert_allclose(chord.params, newton.params, atol=1e-8)
        np.testing.assert_allclose(chord.information, newton.information, rtol=1e-8)
        assert chord.iterations > newton.iterations  # cheap iterations, more of them
    assert not calls  # no fallback was needed from a good start


def test_chord_fit_hands_over_to_newton_when_steps_stop_shrinking(small, monkeypatch):
    x, y = small
    calls = []
    real = fast_logit.fit_logit
    monkeypatch.setattr(fast_logit, "fit_logit", lambda *a, **k: calls.append(k.get("start")) or real(*a, **k))
    far = np.array([4.0, -6.0, 5.0])
    fit = fast_logit.fit_logit_chord(x, y, None, far, newton=1)
    assert calls and np.allclose(calls[0], far)  # restarted from the start, with step halving
    assert fit.llf == pytest.approx(real(x, y).llf, abs=1e-9)
    separated = np.column_stack([np.ones(20), np.arange(20.0)])
    with pytest.raises(ConvergenceError):
        fast_logit.fit_logit_chord(separated, (np.arange(20) >= 10).astype(float), None, np.zeros(2))

"""Eliminations in lockstep decide as the one-at-a-time path and as statsmodels, resample by resample."""

from __future__ import annotations

import numpy as np
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.paper.models import design_matrix
from leftbehind.stats import bootstrap_selection as bs
from leftbehind.stats import bounded_elimination as be
from leftbehind.stats import lockstep_elimination as le
from leftbehind.stats.fast_logit import ConvergenceError, fit_logit


def _problem(n, seed, outcome="professional"):
    """A Table 8-sized problem: the cases among the left-behind children of a fake survey of ``n`` pupils."""
    data = make_fake_analysis(n, seed=seed)
    cases = data[data["lbc"] & (data["nssi"] == 1)].reset_index(drop=True)
    design, blocks = design_matrix(cases)
    return design, cases[outcome].astype(float).to_numpy(), blocks


@pytest.fixture(scope="module")
def small():
    design, y, blocks = _problem(9000, seed=4)
    return design, y, blocks, bs.selection_problem(design, y, blocks)


def _weights(n, seed, count):
    return np.stack([np.bincount(bs.resample_indices(n, seed, b), minlength=n) for b in range(count)]).astype(float)


def _lockstep(problem, weights, p_remove=0.10, start="fit"):
    if isinstance(start, str):
        start = fit_logit(problem.x, problem.y).params
    return le.eliminate_lockstep(problem.x, problem.y, weights, [problem.blocks[v] for v in problem.variables],
                                 start, p_remove)


def _one_by_one(problem, w, p_remove=0.10):
    try:
        return bs.backward_fast(problem, w, p_remove, start=fit_logit(problem.x, problem.y).params)
    except (ConvergenceError, np.linalg.LinAlgError):
        return None


def _compare(problem, result, weights, p_remove=0.10):
    """Every resample: the same variables kept (or both failed) and the same estimates, as backward_fast."""
    decided = 0
    for b, w in enumerate(weights):
        reference = _one_by_one(problem, w, p_remove)
        if reference is None:
            assert result.failed[b], b
            continue
        assert not result.failed[b] and not result.handed_over[b], b
        kept = [v for v, r in zip(problem.variables, result.retained[b]) if r]
        assert kept == reference.retained, b
        np.testing.assert_allclose(result.final_params[b], reference.final_params, atol=1e-8, equal_nan=True)
        np.testing.assert_allclose(result.full_params[b], reference.full_params, atol=1e-8)
        decided += 1
    return decided


def test_same_decisions_as_one_resample_at_a_time(small):
    *_, problem = small
    weights = _weights(len(problem.y), 17, 40)
    for p_remove in (0.10, 0.5, 0.01):
        result = _lockstep(problem, weights, p_remove)
        assert _compare(problem, result, weights, p_remove) >= 30, p_remove


def test_same_retained_sets_as_statsmodels(small):
    design, y, blocks, problem = small
    weights = _weights(len(y), 23, 12)
    result = _lockstep(problem, weights)
    compared = 0
    for b in range(len(weights)):
        rows = bs.resample_indices(len(y), 23, b)
        if result.failed[b]:
            with pytest.raises((RuntimeError, ValueError, np.linalg.LinAlgError)):
                bs.backward_reference(design, y, blocks, rows)
            continue
        reference = bs.backward_reference(design, y, blocks, rows)
        assert [v for v, r in zip(problem.variables, result.retained[b]) if r] == reference.retained, b
        finite = np.isfinite(result.final_params[b])
        np.testing.assert_allclose(result.final_params[b][finite], reference.fit.params, atol=1e-6)
        compared += 1
    assert compared >= 8


def test_resamples_that_separate_fail_as_they_do_one_at_a_time():
    # a smaller survey: fewer cases, and some resamples separate (the full model's estimates run off)
    design, y, blocks = _problem(5000, seed=8)
    problem = bs.selection_problem(design, y, blocks)
    weights = _weights(len(y), 5, 60)
    result = _lockstep(problem, weights)
    assert result.failed.any() and not result.failed.all()
    _compare(problem, result, weights)


def test_slow_fits_finish_with_newton_and_the_same_decisions(small, monkeypatch):
    *_, problem = small
    weights = _weights(len(problem.y), 29, 15)
    monkeypatch.setattr(le, "CHORD_ITERATIONS", 2)  # the open fits cannot converge by chord steps: fit_logit
    refits = []
    original = le.fit_logit
    monkeypatch.setattr(le, "fit_logit", lambda *a, **k: refits.append(1) or original(*a, **k))
    assert _compare(problem, _lockstep(problem, weights), weights) >= 10
    assert refits


def test_newton_matrices_from_the_first_iteration_without_dual_bounds(small, monkeypatch):
    *_, problem = small
    weights = _weights(len(problem.y), 31, 15)
    monkeypatch.setattr(le, "REFRESH_EVERY", 1)
    assert _compare(problem, _lockstep(problem, weights), weights) >= 10


def test_no_start_or_uncovered_columns_hand_every_resample_over(small):
    *_, problem = small
    weights = _weights(len(problem.y), 3, 4)
    result = _lockstep(problem, weights, start=None)
    assert (result.handed_over | result.failed).all() and not result.retained.any()
    narrower = bs.SelectionProblem(problem.x, problem.y, problem.columns,
                                   {v: c for v, c in list(problem.blocks.items())[1:]}, problem.block_labels)
    result = _lockstep(narrower, weights)
    assert (result.handed_over | result.failed).all()


def test_bootstrap_uses_lockstep_for_small_samples_with_the_same_results(small, monkeypatch):
    *_, problem = small
    assert len(problem.y) <= bs.LOCKSTEP_MAX_ROWS
    together = bs.bootstrap_selection(problem, n_boot=20, seed=9, chunk=8)
    monkeypatch.setattr(bs, "LOCKSTEP_MAX_ROWS", 0)
    alone = bs.bootstrap_selection(problem, n_boot=20, seed=9, chunk=8)
    np.testing.assert_array_equal(together.retained, alone.retained)
    np.testing.assert_array_equal(together.failed, alone.failed)
    np.testing.assert_allclose(together.final_params, alone.final_params, atol=1e-8, equal_nan=True)
    calls = []
    monkeypatch.setattr(bs, "eliminate_lockstep", lambda *a, **k: calls.append(1))
    bs.bootstrap_selection(problem, n_boot=3, seed=9)
    assert not calls  # above the limit (0 rows here), one resample at a time


def test_dual_bound_with_one_weight_vector_per_column():
    rng = np.random.default_rng(0)
    eta = rng.normal(size=(50, 3))
    delta = 0.01 * rng.normal(size=(50, 3))
    weights = rng.integers(0, 3, size=(50, 3)).astype(float)
    log_1pe, p, q = be.logistic_pieces(eta)
    together = be.loglike_dual_bound(eta, p, q, log_1pe, delta, weights)
    for c in range(3):
        pieces = be.logistic_pieces(eta[:, [c]])
        alone = be.loglike_dual_bound(eta[:, [c]], pieces[1], pieces[2], pieces[0], delta[:, [c]], weights[:, c])
        assert together[c] == pytest.approx(alone[0], rel=1e-12)

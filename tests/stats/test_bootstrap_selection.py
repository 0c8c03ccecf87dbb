"""The fast bootstrap of the backward elimination agrees with the reference implementation."""

from __future__ import annotations

import numpy as np
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.stats.bootstrap_selection import (
    backward_fast,
    backward_reference,
    bootstrap_selection,
    cache_key,
    cached_bootstrap,
    resample_indices,
    selection_problem,
)
from leftbehind.stats.fast_logit import ConvergenceError
from leftbehind.paper.models import design_matrix


def _inputs(n, seed, outcome="nssi", nssi_only=False):
    data = make_fake_analysis(n, seed=seed)
    rows = data["lbc"] & (data["nssi"] == 1) if nssi_only else data["lbc"]
    subset = data[rows].reset_index(drop=True)
    design, blocks = design_matrix(subset)
    return design, subset[outcome].astype(float).to_numpy(), blocks


@pytest.fixture(scope="module")
def nssi_inputs():
    return _inputs(4000, seed=21)


def test_full_sample_same_path_as_stepwise(nssi_inputs):
    design, y, blocks = nssi_inputs
    fast = backward_fast(selection_problem(design, y, blocks))
    reference = backward_reference(design, y, blocks)
    assert fast.retained == reference.retained
    assert fast.removed == [s.removed for s in reference.steps if s.removed]
    kept = fast.final_params[np.isfinite(fast.final_params)]
    np.testing.assert_allclose(kept, reference.fit.params, atol=1e-6)


def test_same_retained_sets_on_same_resamples(nssi_inputs):
    design, y, blocks = nssi_inputs
    problem = selection_problem(design, y, blocks)
    result = bootstrap_selection(problem, n_boot=12, seed=5)
    assert not result.failed.any()
    for b in range(12):
        rows = resample_indices(len(y), 5, b)
        reference = backward_reference(design, y, blocks, rows)
        assert [v for v, kept in zip(result.variables, result.retained[b]) if kept] == reference.retained, b
        # every decision on the way, not only the end: the same variables removed in the same order
        fast = backward_fast(problem, np.bincount(rows, minlength=len(y)).astype(float))
        assert fast.removed == [s.removed for s in reference.steps if s.removed], b
        finite = np.isfinite(result.final_params[b])
        np.testing.assert_allclose(result.final_params[b][finite], reference.fit.params, atol=1e-6)


def test_small_sample_model_agrees_or_fails_like_reference():
    """Table 8-sized data (a few hundred rows, few events): agreement, or both fail to fit."""
    design, y, blocks = _inputs(9000, seed=4, outcome="professional", nssi_only=True)
    problem = selection_problem(design, y, blocks)
    compared = 0
    for b in range(6):
        rows = resample_indices(len(y), 17, b)
        try:
            fast = backward_fast(problem, np.bincount(rows, minlength=len(y)).astype(float))
        except ConvergenceError:
            with pytest.raises((RuntimeError, ValueError, np.linalg.LinAlgError)):
                backward_reference(design, y, blocks, rows)
            continue
        assert fast.retained == backward_reference(design, y, blocks, rows).retained
        compared += 1
    assert compared >= 4


def test_retention_and_summary_shapes(nssi_inputs):
    design, y, blocks = nssi_inputs
    result = bootstrap_selection(selection_problem(design, y, blocks), n_boot=10, seed=2)
    retention = result.retention()
    assert list(retention.index) == list(blocks)
    assert retention["gender"] == 1.0  # a strong effect in the fake data
    summary = result.odds_ratio_summary()
    assert (summary["or_full_low"] <= summary["or_full_median"]).all()
    assert (summary["or_full_median"] <= summary["or_full_high"]).all()
    assert result.model_frequencies()["share"].sum() <= 1.0


def test_resamples_do_not_depend_on_workers(nssi_inputs):
    design, y, blocks = nssi_inputs
    problem = selection_problem(design, y, blocks)
    one = bootstrap_selection(problem, n_boot=6, seed=3, chunk=2)
    two = bootstrap_selection(problem, n_boot=6, seed=3, chunk=4, workers=2)
    np.testing.assert_array_equal(one.retained, two.retained)
    np.testing.assert_allclose(one.final_params, two.final_params, equal_nan=True)


def test_cache_roundtrip_and_key(nssi_inputs, tmp_path, monkeypatch):
    monkeypatch.setenv("LEFTBEHIND_CACHE_DIR", str(tmp_path))
    design, y, blocks = nssi_inputs
    problem = selection_problem(design, y, blocks)
    first = cached_bootstrap(problem, n_boot=4, seed=8)
    assert len(list((tmp_path / "bootstrap_selection").glob("*.npz"))) == 1
    second = cached_bootstrap(problem, n_boot=4, seed=8)
    np.testing.assert_array_equal(first.retained, second.retained)
    np.testing.assert_array_equal(first.full_params, second.full_params)
    assert cache_key(problem, 4, 8, 0.1) != cache_key(problem, 4, 9, 0.1)
    assert cache_key(problem, 4, 8, 0.1) != cache_key(problem, 4, 8, 0.2)

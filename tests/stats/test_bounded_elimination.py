"""The bounded elimination step decides exactly as the exact rule on converged fits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from fake_analysis import make_fake_analysis
from leftbehind.paper.models import design_matrix
from leftbehind.stats import bounded_elimination as be
from leftbehind.stats import fast_logit
from leftbehind.stats.bootstrap_selection import backward_fast, resample_indices, selection_problem
from leftbehind.stats.fast_logit import _expit, fit_logit, fit_without_blocks


@pytest.fixture(scope="module")
def problem():
    data = make_fake_analysis(6000, seed=11)
    lbc = data[data["lbc"]].reset_index(drop=True)
    design, blocks = design_matrix(lbc)
    return selection_problem(design, lbc["nssi"].to_numpy(float), blocks)


def _exact_step(x, y, w, fit, drops, p_remove):
    """The exact rule, independently: every reduced model to convergence, the largest p (first on a tie)."""
    llf, params = fit_without_blocks(x, y, w, fit, drops, tol=1e-10)
    df = np.array([len(d) for d in drops])
    p = stats.chi2.sf(np.maximum(2 * (fit.llf - llf), 0), df)
    worst = int(np.argmax(p))
    return (worst if p[worst] > p_remove else None), llf, params, 2 * (fit.llf - llf)


def _replay(problem, w, p_remove):
    """Walk the elimination with the exact rule; return the variables removed, in order."""
    keep = np.flatnonzero(w)
    x, y, w = problem.x[keep], problem.y[keep], w[keep]
    current = problem.variables
    removed = []
    while current:
        cols = [0] + [c for v in current for c in problem.blocks[v]]
        local = {c: i for i, c in enumerate(cols)}
        drops = [[local[c] for c in problem.blocks[v]] for v in current]
        fit = fit_logit(x[:, cols], y, w)
        worst, *_ = _exact_step(x[:, cols], y, w, fit, drops, p_remove)
        if worst is None:
            break
        removed.append(current[worst])
        current = [v for v in current if v != current[worst]]
    return removed


def _dual_pieces(eta, delta):
    log_1pe, p, q = be.logistic_pieces(eta)
    return eta, p, q, log_1pe, delta


def _entropy_dual(p, delta, w):
    """The dual objective itself, with logarithms: sum w [a log a + (1 - a) log(1 - a)], a = p + delta."""
    a = p + delta
    return w @ (a * np.log(a) + (1 - a) * np.log1p(-a))


def test_primal_and_dual_bounds_bracket_the_maximum(problem):
    x, y = problem.x, problem.y
    current = fit_logit(x, y)
    p_current = _expit(x @ current.params)
    v = p_current * (1 - p_current)
    for drop in ([1], [4, 5], [x.shape[1] - 1]):
        keep = [i for i in range(x.shape[1]) if i not in drop]
        exact = fit_logit(x[:, keep], y).llf
        h = current.information[np.ix_(keep, keep)]
        beta = current.params[keep] + np.linalg.solve(h, current.information[np.ix_(keep, drop)] @ current.params[drop])
        gaps = []
        for _ in range(4):  # chord iterations from the conditional estimate
            eta = x[:, keep] @ beta
            p = _expit(eta)
            step = np.linalg.solve(h, x[:, keep].T @ (y - p))
            delta = v * (x[:, keep] @ step)
            primal = float(y @ eta - np.logaddexp(0, eta).sum())
            entropy = _entropy_dual(p, delta, np.ones(len(y)))
            dual = be.loglike_dual_bound(*_dual_pieces(eta[:, None], delta[:, None]), np.ones(len(y)))[0]
            assert primal <= exact + 1e-9 <= entropy + 2e-9  # weak duality, with the logarithms
            assert entropy <= dual + 1e-9  # the Taylor bound is above the dual objective it replaces
            gaps.append(dual - primal)
            beta = beta + step
        assert gaps[-1] < 1e-6 and gaps[-1] < gaps[0]  # the bounds close in on the maximum


def test_taylor_bound_is_tight_for_small_dual_steps_and_exact_at_zero():
    rng = np.random.default_rng(2)
    eta = rng.normal(0, 4, size=(200, 1))
    p = _expit(eta[:, 0])
    delta = 1e-3 * p * (1 - p) * rng.normal(size=200)
    w = rng.integers(1, 4, 200).astype(float)
    bound = be.loglike_dual_bound(*_dual_pieces(eta, delta[:, None]), w)[0]
    exact = _entropy_dual(p, delta, w)
    assert exact <= bound <= exact + 1e-7
    at_zero = be.loglike_dual_bound(*_dual_pieces(eta, np.zeros((200, 1))), w)[0]
    assert at_zero == pytest.approx(_entropy_dual(p, 0 * p, w), abs=1e-9)
    # far out in the tails (p within 1e-300 of 0 or 1) the bound stays finite and accurate
    eta = np.array([[-700.0], [700.0], [0.0]])
    bound = be.loglike_dual_bound(*_dual_pieces(eta, np.zeros((3, 1))), np.ones(3))[0]
    assert bound == pytest.approx(2 * 0.5 * np.log(0.5), abs=1e-9)


def test_dual_bound_is_infinite_where_the_dual_point_leaves_the_unit_interval():
    eta = np.zeros((2, 2))
    delta = np.array([[0.1, 0.6], [-0.1, -0.6]])
    bound = be.loglike_dual_bound(*_dual_pieces(eta, delta), np.ones(2))
    assert np.isfinite(bound[0]) and bound[1] == np.inf
    assert bound[0] >= _entropy_dual(np.full(2, 0.5), delta[:, 0], np.ones(2))
    # one side only: a below 0 (1 - a fine), or 1 - a below 0 (a fine), in one column of several
    for outside in (-0.6, 0.6):
        delta = np.array([[0.1, outside], [-0.1, 0.0], [0.0, 0.1]])
        bound = be.loglike_dual_bound(*_dual_pieces(np.zeros((3, 2)), delta), np.ones(3))
        assert np.isfinite(bound[0]) and bound[1] == np.inf, outside


def test_logistic_pieces_in_both_tails_and_a_vanishing_curvature():
    eta = np.array([[-800.0], [-30.0], [0.0], [40.0], [800.0]])
    log_1pe, p, q = be.logistic_pieces(eta)
    np.testing.assert_allclose(log_1pe[:, 0], np.logaddexp(0, -eta[:, 0]), rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(p[:, 0], _expit(eta[:, 0]), rtol=1e-15)
    np.testing.assert_allclose(q[:, 0], _expit(-eta[:, 0]), rtol=1e-15)
    assert q[0, 0] == 1.0 and p[0, 0] == 0.0 and np.isfinite(log_1pe).all()
    # p = 0 exactly in the first row: that column has no bound (a must lie inside (0, 1)), and computing the
    # columns together divides no 0 by 0 (a warning would fail the book's build)
    two = np.column_stack([eta[:, 0], np.zeros(5)])
    pieces = [np.column_stack([piece[:, 0], half]) for piece, half in
              zip(be.logistic_pieces(eta), be.logistic_pieces(np.zeros((5, 1))))]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bound = be.loglike_dual_bound(two, pieces[1], pieces[2], pieces[0], np.zeros((5, 2)), np.ones(5))
    assert bound[0] == np.inf
    assert bound[1] == pytest.approx(5 * np.log(0.5), abs=1e-12)


def test_each_step_is_the_exact_rules_step(problem):
    x, y = problem.x, problem.y
    fit = fit_logit(x, y)
    drops = [list(c) for c in problem.blocks.values()]
    for p_remove in (0.10, 0.5, 0.9, 1e-6):
        exact, llf, params, lr = _exact_step(x, y, np.ones(len(y)), fit, drops, p_remove)
        step = be.choose_removal(x, y, np.ones(len(y)), fit, drops, p_remove)
        assert step.index == exact, p_remove
        assert np.all(step.lr_low <= lr + 1e-9)  # lower bounds, every one
        assert step.evaluated == len(drops)  # without carried bounds, every candidate is looked at once
        if exact is not None:
            assert step.llf == pytest.approx(llf[exact], abs=1e-9)
            assert step.lr_low[exact] == pytest.approx(lr[exact], abs=1e-5)  # exact, less the margin
            np.testing.assert_allclose(step.params, params[:, exact], atol=1e-8)


def test_whole_eliminations_match_the_exact_rule_on_every_resample(problem):
    n = len(problem.y)
    for b in range(40):
        w = np.bincount(resample_indices(n, 3, b), minlength=n).astype(float)
        assert backward_fast(problem, w).removed == _replay(problem, w, 0.10), b


def test_carried_bound_holds_and_skips_far_candidates(problem):
    x, y = problem.x, problem.y
    fit = fit_logit(x, y)
    drops = [list(c) for c in problem.blocks.values()]
    _, llf, _, lr = _exact_step(x, y, np.ones(len(y)), fit, drops, 0.10)
    a = int(np.argmin(lr))  # remove the weakest, then every other LR drops by at most LR_a
    keep = [i for i in range(x.shape[1]) if i not in drops[a]]
    fit_a = fit_logit(x[:, keep], y)
    local = {c: i for i, c in enumerate(keep)}
    drops_a = [[local[c] for c in d] for j, d in enumerate(drops) if j != a]
    *_, lr_a = _exact_step(x[:, keep], y, np.ones(len(y)), fit_a, drops_a, 0.10)
    np.testing.assert_array_less(np.delete(lr, a) - lr[a] - 1e-9, lr_a)
    # a floor at the exact values settles every candidate with p <= p_remove without fitting it
    step = be.choose_removal(x[:, keep], y, np.ones(len(y)), fit_a, drops_a, 0.10, lr_floor=lr_a - 1e-6)
    removable = stats.chi2.sf(lr_a, [len(d) for d in drops_a]) > 0.10
    assert step.evaluated == removable.sum()
    # floors far above every threshold: nothing is fitted and nothing removed
    none = be.choose_removal(x[:, keep], y, np.ones(len(y)), fit_a, drops_a, 0.10, lr_floor=np.full(len(drops_a), 99.0))
    assert none.index is None and none.evaluated == 0 and np.isnan(none.llf)


def test_stalled_chord_iterations_finish_with_newton(problem, monkeypatch):
    x, y = problem.x, problem.y
    fit = fit_logit(x, y)
    drops = [list(c) for c in problem.blocks.values()]
    exact, llf, *_ = _exact_step(x, y, np.ones(len(y)), fit, drops, 0.10)
    assert exact is not None
    refits = []
    monkeypatch.setattr(fast_logit, "fit_logit", lambda *a, **k: refits.append(1) or fit_logit(*a, **k))
    monkeypatch.setattr(be, "CHORD_ITERATIONS", 1)
    step = be.choose_removal(x, y, np.ones(len(y)), fit, drops, 0.10)
    assert refits  # one chord iteration cannot converge the removed variable's fit: Newton finished it
    assert step.index == exact
    assert step.llf == pytest.approx(llf[exact], abs=1e-9)


def _tied_problem():
    """Two candidates with the same LR statistic to rounding: every row appears again with x1 and x2 swapped."""
    rng = np.random.default_rng(5)
    n = 400
    z = rng.normal(size=(n, 3))
    y = (rng.random(n) < _expit(-1 + 0.3 * z[:, 0] + 0.3 * z[:, 1] + 1.2 * z[:, 2])).astype(float)
    x = np.column_stack([np.ones(2 * n), np.concatenate([z[:, 0], z[:, 1]]), np.concatenate([z[:, 1], z[:, 0]]),
                         np.concatenate([z[:, 2], z[:, 2]])])
    return x, np.concatenate([y, y])


def test_a_tie_is_decided_by_the_exact_rule_on_converged_fits(monkeypatch):
    # Two LR statistics equal to rounding (5.7e-13 apart here): the bounds, 1e-6 wide, cannot split them, so both
    # are converged and compared.  Which of the two is larger is decided by rounding, in any implementation
    # (statsmodels' included), so the test asks for one of the pair, at the exact largest LR, without Newton.
    x, y = _tied_problem()
    fit = fit_logit(x, y)
    drops = [[1], [2], [3]]
    exact, llf, params, lr = _exact_step(x, y, np.ones(len(y)), fit, drops, 0.001)
    assert abs(lr[0] - lr[1]) < 1e-8 and exact in (0, 1)
    refits = []
    monkeypatch.setattr(fast_logit, "fit_logit", lambda *a, **k: refits.append(1) or fit_logit(*a, **k))
    step = be.choose_removal(x, y, np.ones(len(y)), fit, drops, 0.001)
    assert step.index in (0, 1) and not refits  # both converged by chord steps
    assert 2 * (fit.llf - step.llf) == pytest.approx(lr[exact], abs=1e-9)
    np.testing.assert_allclose(step.params, params[:, step.index], atol=1e-8)  # its converged estimates
    # the same tie after the chord iterations stalled: Newton refits, then the same rule
    monkeypatch.setattr(be, "CHORD_ITERATIONS", 1)
    assert be.choose_removal(x, y, np.ones(len(y)), fit, drops, 0.001).index in (0, 1) and refits


def test_converged_ties_go_to_the_first_candidate_and_the_threshold_is_strict():
    df = np.array([1.0, 1.0, 1.0])
    lr = np.array([5.0, 0.5, 0.5])
    llf_current = 0.0
    llf_at = -lr / 2
    low, high = lr - be.MARGIN, lr + be.MARGIN
    alive = be._alive(df, low, high, 0.10)
    assert list(alive) == [1, 2]
    assert be._decide(df, low, high, alive, np.ones(3, bool), llf_at, llf_current, 0.10) == 1
    p_tie = stats.chi2.sf(0.5, 1)
    assert be._decide(df, low, high, alive, np.ones(3, bool), llf_at, llf_current, p_tie) is None
    # not yet converged and the bounds overlap: undecided
    assert be._decide(df, low, high, alive, np.zeros(3, bool), llf_at, llf_current, 0.10) is be._UNDECIDED
    # above p_remove but certainly below another candidate's p: not alive
    low2, high2 = np.array([0.5, 2.0, 9.0]), np.array([0.6, 2.5, 10.0])
    assert list(be._alive(df, low2, high2, 0.10)) == [0]
    # a single contender whose bounds straddle p_remove, not converged: undecided, not removed
    straddle_low, straddle_high = np.array([2.0, 20.0, 20.0]), np.array([3.5, 30.0, 30.0])
    alive = be._alive(df, straddle_low, straddle_high, 0.10)
    assert list(alive) == [0]
    assert be._decide(df, straddle_low, straddle_high, alive, np.zeros(3, bool), llf_at, llf_current,
                      0.10) is be._UNDECIDED
    # nothing can be removed: no contender at all
    assert be._decide(df, low, high, np.array([], int), np.zeros(3, bool), llf_at, llf_current, 0.10) is None

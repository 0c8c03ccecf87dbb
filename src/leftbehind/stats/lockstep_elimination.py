"""Many bootstrap resamples' backward eliminations at once, step by step side by side.

On a small sample (Table 8: 282 children who reported NSSI) one elimination step of
:func:`leftbehind.stats.bootstrap_selection.backward_fast` works on arrays of a few thousand numbers, so its time
goes into the overhead of some 25 numpy calls per step, not into arithmetic.  Here the eliminations of a chunk of
resamples advance together: at each step every resample's candidate fits are columns of one matrix, so a step costs
those calls once for the whole chunk.  The price is that every resample computes all ``n`` rows (a row a resample
did not draw has weight 0), which is why large samples keep the one-at-a-time path
(:data:`leftbehind.stats.bootstrap_selection.LOCKSTEP_MAX_ROWS`).

Each step follows :mod:`leftbehind.stats.bounded_elimination`, on every resample at once:

* a *contender* is a variable of a resample's current model whose p-value may be above ``p_remove`` given the
  carried lower bound on its LR statistic (``LR_j(M - A) >= LR_j(M) - LR_A``); the others cannot be removed now;
* each contender's reduced model is iterated by chord steps from the conditional estimates; at every iterate its
  LR statistic is bracketed by the primal and dual bounds, and it stops as soon as it is certainly not the
  resample's removal (p certainly at most ``p_remove``, or certainly below another contender's);
* the contenders still *open* are fitted to a step below ``tol``, and the one with the largest exact p is removed
  when that p is above ``p_remove`` (the first in candidate order on a tie); its fit becomes the current model.

So every decision is the exact rule's (:func:`leftbehind.stats.stepwise.backward_lr`).  A resample whose full model
does not converge fails, as it does one at a time; one with a reduced model that neither chord steps nor
:func:`~leftbehind.stats.fast_logit.fit_logit` can fit is *handed over* whole to ``backward_fast``, as is every
resample when there is no full-sample start.  ``tests/stats/test_lockstep_elimination.py`` checks the decisions
and estimates against ``backward_fast`` and statsmodels on the same resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from leftbehind.stats.bounded_elimination import MARGIN, logistic_pieces, loglike_dual_bound
from leftbehind.stats.fast_logit import (TOL, ConvergenceError, _expit, _softplus, conditional_starts, fit_logit,
                                         padded_blocks)

#: Iterations before a fit that has not converged is refitted by :func:`~leftbehind.stats.fast_logit.fit_logit`.
CHORD_ITERATIONS = 60
#: Newton steps of the full model before its chord steps (as :func:`~leftbehind.stats.fast_logit.fit_logit_chord`).
NEWTON_STEPS = 2
#: A reduced model still open after this many chord steps (and after each further as many) takes the Hessian at its
#: iterate as its matrix: the current model's matrix converges slowly for a model far from it (measured on Table 8:
#: 1,000 resamples in 9.8 CPU-s with a refresh every 4 steps, 12.3 s without).
REFRESH_EVERY = 4


@dataclass
class LockstepResult:
    """The eliminations of ``B`` resamples (rows)."""

    retained: np.ndarray  # B x variables, bool
    final_params: np.ndarray  # B x columns (NaN = removed)
    full_params: np.ndarray  # B x columns
    failed: np.ndarray  # B bool: rank-deficient resample or separation in the full model
    handed_over: np.ndarray  # B bool: fitted by the per-resample path instead


def eliminate_lockstep(x: np.ndarray, y: np.ndarray, weights: np.ndarray, blocks: list[list[int]],
                       start: np.ndarray | None, p_remove: float, tol: float = TOL) -> LockstepResult:
    """Run the backward elimination on every row of ``weights`` (``B x n`` frequency weights) together.

    ``x`` (n x k) has the constant in column 0, ``blocks[j]`` the columns of candidate ``j`` (in candidate order),
    ``start`` the full-sample estimates.  Rows marked ``handed_over`` are not filled in: the caller runs them one
    by one.
    """
    weights = np.asarray(weights, dtype=float)
    b_count, k = weights.shape[0], x.shape[1]
    m = len(blocks)
    column, used, block = padded_blocks(blocks, k)  # each candidate's columns: padded list, and as a mask
    df = block.sum(axis=1).astype(float)
    failed = np.array([np.linalg.matrix_rank(x[w > 0]) < k for w in weights])
    handed = np.zeros(b_count, dtype=bool)
    final = np.full((b_count, k), np.nan)
    full = np.full((b_count, k), np.nan)
    retained = np.zeros((b_count, m), dtype=bool)
    if start is None or not block.any(axis=0)[1:].all():  # no warm start, or columns outside every candidate
        handed[~failed] = True
        return LockstepResult(retained, final, full, failed, handed)

    rows = np.flatnonzero(~failed)
    current = np.ones((len(rows), k), dtype=bool)
    w = weights[rows]
    outer = (x[:, :, None] * x[:, None, :]).reshape(len(x), k * k)  # each row's x x', for Hessians as one product
    beta, info, v, llf, diverged = _full_models(x, y, w, outer, start, tol)
    failed[rows[diverged]] = True
    running = ~diverged
    full[rows[running]] = beta[running]
    alive = np.ones((len(rows), m), dtype=bool)
    floor = np.zeros((len(rows), m))
    wt = np.ascontiguousarray(w.T)  # n x resamples
    vt = np.ascontiguousarray(v.T)  # the full models' information weights, kept for every step
    while True:
        contend = alive & running[:, None] & (special.chdtrc(df, np.maximum(floor, 0.0)) > p_remove)
        running &= contend.any(axis=1)
        if not running.any():
            break
        bi, ji = np.nonzero(contend)
        kept = current[bi] & ~block[ji]
        live = np.flatnonzero(running)
        inverse = np.zeros((len(rows), k, k))  # each current model's inverse information (zero outside it)
        inverse[live] = _kept_inverse(info[live], current[live])
        solver, start_p = conditional_starts(inverse[bi], beta[bi], column[ji], used[ji], kept)
        beta_p, llf_p, low_p, open_p, stalled = _contest(
            x, y, wt[:, bi], vt[:, bi], outer, solver, start_p, kept, llf[bi], df[ji],
            np.maximum(floor[bi, ji], 0.0), bi, len(rows), p_remove, tol)
        stalled_rows = np.unique(bi[stalled])
        handed[rows[stalled_rows]] = True
        running[stalled_rows] = False
        lr = 2.0 * (llf[bi] - llf_p)
        p = np.full((len(rows), m), -1.0)  # the exact p of every contender still open (all converged)
        p[bi[open_p], ji[open_p]] = special.chdtrc(df[ji[open_p]], np.maximum(lr[open_p], 0.0))
        winner = np.argmax(p, axis=1)  # the first in candidate order on a tie
        remove = np.flatnonzero(running & (p[np.arange(len(rows)), winner] > p_remove))
        running[:] = False
        running[remove] = True
        if not len(remove):
            break
        position = np.full((len(rows), m), -1)
        position[bi, ji] = np.arange(len(bi))
        low = np.maximum(floor, 0.0)
        low[bi, ji] = low_p
        chosen = position[remove, winner[remove]]
        floor[remove] = low[remove] - (lr[chosen] + MARGIN)[:, None]
        alive[remove, winner[remove]] = False
        current[remove] = kept[chosen]
        beta[remove] = beta_p[chosen]
        llf[remove] = llf_p[chosen]
    done = ~handed[rows] & ~failed[rows]
    final[rows[done]] = np.where(current[done], beta[done], np.nan)
    retained[rows[done]] = alive[done]
    return LockstepResult(retained, final, full, failed, handed)


def _loglikes(x: np.ndarray, y: np.ndarray, wt: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Log-likelihood of each column of ``beta`` (k x P) under its own weights (column of ``wt``, n x P)."""
    eta = x @ beta
    return np.einsum("np,np->p", wt, y[:, None] * eta - _softplus(eta))


def _full_models(x, y, w, outer, start, tol):
    """The full model on every resample (rows of ``w``): Newton steps, then chord steps, from ``start``.

    Returns ``(beta, information, v, llf, diverged)``: ``information`` is ``X' diag(w v) X`` with
    ``v = p (1 - p)`` at the estimates.  Where the steps stop shrinking,
    :func:`~leftbehind.stats.fast_logit.fit_logit` finishes, as in
    :func:`~leftbehind.stats.fast_logit.fit_logit_chord`; ``diverged`` marks the fits that fail as they fail there
    (no convergence, or estimates beyond 50 in size: separation), so the resample fails.
    """
    k = x.shape[1]
    count = w.shape[0]
    beta = np.tile(np.asarray(start, dtype=float), (count, 1))
    solver = np.zeros((count, k, k))
    previous = np.full(count, np.inf)
    bad = np.zeros(count, dtype=bool)
    active = np.arange(count)
    for iteration in range(1, CHORD_ITERATIONS + 1):
        p = _expit(beta[active] @ x.T)
        if iteration <= NEWTON_STEPS:
            hessian = ((w[active] * p * (1.0 - p)) @ outer).reshape(len(active), k, k)
            try:
                solver[active] = np.linalg.inv(hessian)
            except np.linalg.LinAlgError:  # one at a time, to find the singular ones
                for i, h in zip(active, hessian):
                    try:
                        solver[i] = np.linalg.inv(h)
                    except np.linalg.LinAlgError:
                        bad[i] = True
        step = np.einsum("bij,bj->bi", solver[active], (w[active] * (y - p)) @ x)
        size = np.max(np.abs(step), axis=1)
        stop = ~(size < 0.9 * previous[active]) | bad[active]
        bad[active[stop]] = True
        beta[active] += np.where(stop[:, None], 0.0, step)
        previous[active] = size
        active = active[~(stop | (size < tol))]
        if not len(active):
            break
    bad[active] = True
    diverged = np.zeros(count, dtype=bool)
    for i in np.flatnonzero(bad):  # as fit_logit_chord: Newton with step halving from the start takes over
        try:
            beta[i] = fit_logit(x, y, w[i], start=start, tol=tol).params
        except (ConvergenceError, np.linalg.LinAlgError):
            diverged[i] = True  # the error backward_fast meets: the resample fails
    diverged |= np.any(np.abs(beta) > 50, axis=1)
    p = _expit(beta @ x.T)
    v = p * (1.0 - p)
    information = ((w * v) @ outer).reshape(count, k, k)
    llf = _loglikes(x, y, np.ascontiguousarray(w.T), beta.T)
    return beta, information, v, llf, diverged


def _kept_inverse(matrices: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The inverse of each matrix's kept block (``kept``: c x k), zero elsewhere."""
    both = kept[:, :, None] & kept[:, None, :]
    diagonal = np.arange(kept.shape[1])
    masked = np.where(both, matrices, 0.0)
    masked[:, diagonal, diagonal] += ~kept  # the identity on the other columns keeps it invertible
    inverse = np.linalg.inv(masked)
    inverse[~both] = 0.0
    return inverse


def _contest(x, y, wt, vt, outer, solver, start, kept, llf_current, df, low, row, rows, p_remove, tol):
    """One elimination step of every resample: which contenders could be removed, and their converged fits.

    Problem ``c`` is a contender's reduced model: weights ``wt[:, c]``, columns ``kept[c]``, resample ``row[c]``
    (of ``rows``), current log-likelihood ``llf_current[c]``, ``df[c]`` degrees of freedom and ``low[c]`` a known
    lower bound on its LR statistic.  Chord iterations run from the conditional estimates ``start`` with the kept
    block's inverse ``solver`` of ``X' diag(w v) X`` (``v = vt[:, c]``); at each iterate the primal and dual bounds
    of :mod:`leftbehind.stats.bounded_elimination` bound each LR statistic from both sides, and a problem stops
    as soon as it is certainly not its resample's removal (p certainly at most ``p_remove``, or certainly below
    another contender's).  The others (*open*) run to a step below ``tol``; every :data:`REFRESH_EVERY`
    iterations a slow one's matrix is replaced by its Hessian at the iterate (no dual bound after that), and one
    that goes non-finite or does not converge is refitted by :func:`~leftbehind.stats.fast_logit.fit_logit`.

    Returns ``(beta P x k, llf P, low P, open P, stalled P)``: ``llf`` is the converged log-likelihood of every
    open problem, ``low`` the lower bounds (exact less :data:`MARGIN` when converged), ``stalled`` open problems
    that ``fit_logit`` could not fit either (their resample is handed over).
    """
    count, k = kept.shape
    coefficients = np.ascontiguousarray(start.T)  # k x P
    wy = wt * y[:, None]
    high = np.full(count, np.inf)
    llf = np.full(count, np.nan)
    converged = np.zeros(count, dtype=bool)
    unfinished = np.zeros(count, dtype=bool)
    dual = np.ones(count, dtype=bool)  # the solver is still the one the dual bound needs
    is_open = np.ones(count, dtype=bool)
    p_high, p_low = special.chdtrc(df, low), np.zeros(count)  # the p-values at the LR bounds
    active = np.arange(count)
    with np.errstate(invalid="ignore", over="ignore"):
        for iteration in range(1, CHORD_ITERATIONS + 1):
            eta = x @ coefficients[:, active]
            if iteration % REFRESH_EVERY == 0:  # the slow ones: Newton's matrix at the iterate from now on
                p = _expit(eta)
                hessian = ((wt[:, active] * (p * (1.0 - p))).T @ outer).reshape(len(active), k, k)
                try:
                    solver[active] = _kept_inverse(hessian, kept[active])
                except np.linalg.LinAlgError:  # singular: these go to fit_logit
                    unfinished[active] = True
                    break
                dual[active] = False
            log_1pe, p, q = logistic_pieces(eta)
            gradient = x.T @ (wy[:, active] - wt[:, active] * p)
            step = np.einsum("pij,jp->ip", solver[active], gradient)
            size = np.max(np.abs(step), axis=0)
            llf_now = np.einsum("np,np->p", wt[:, active], (y[:, None] - 1.0) * eta - log_1pe)
            done = size < tol
            converged[active[done]] = True
            llf[active] = llf_now
            broken = ~np.isfinite(size)
            unfinished[active[broken]] = True
            coefficients[:, active] += np.where(done | broken, 0.0, step)
            high[active] = np.fmin(high[active], 2.0 * (llf_current[active] - llf_now) + MARGIN)
            bounded = dual[active]
            if bounded.any():
                use = active[bounded]
                delta = vt[:, use] * (x @ step[:, bounded])
                upper = loglike_dual_bound(eta[:, bounded], p[:, bounded], q[:, bounded], log_1pe[:, bounded], delta,
                                           wt[:, use])
                low[use] = np.fmax(low[use], 2.0 * (llf_current[use] - upper) - MARGIN)
            p_high[active] = special.chdtrc(df[active], np.maximum(low[active], 0.0))
            p_low[active] = special.chdtrc(df[active], np.maximum(high[active], 0.0))
            is_open = _open(p_high, p_low, row, rows, p_remove)
            active = np.flatnonzero(is_open & ~converged & ~unfinished)
            if not len(active):
                break
    stalled = np.zeros(count, dtype=bool)
    for c in np.flatnonzero(is_open & ~converged):  # not converged: Newton with step halving from the start
        keep = np.flatnonzero(kept[c])
        try:
            refit = fit_logit(x[:, keep], y, wt[:, c], start=start[c, keep], tol=tol)
        except (ConvergenceError, np.linalg.LinAlgError):
            stalled[c] = True
            continue
        coefficients[:, c] = 0.0
        coefficients[keep, c] = refit.params
        llf[c] = refit.llf
        converged[c] = True
    exact = converged & is_open
    low[exact] = 2.0 * (llf_current[exact] - llf[exact]) - MARGIN
    return coefficients.T, llf, low, is_open, stalled


def _open(p_high, p_low, row, rows, p_remove) -> np.ndarray:
    """Problems that may still be their resample's removal: p possibly above ``p_remove`` and possibly the largest.

    ``p_high``/``p_low``: each problem's p-value at the lower/upper bound of its LR statistic.
    """
    best = np.zeros(rows)
    np.maximum.at(best, row, p_low)
    return (p_high > p_remove) & (p_high >= best[row])

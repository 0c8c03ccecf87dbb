"""One step of a backward elimination, decided from bounds instead of every reduced model's exact fit.

A backward elimination step removes the variable whose likelihood-ratio (LR) test has the largest p-value,
if that p-value is above ``p_remove``.  The exact way (:func:`leftbehind.stats.fast_logit.fit_without_blocks`)
fits every reduced model to convergence.  But the decision needs only two facts: *which* variable has the
largest p, and whether that p is above ``p_remove``.  Most candidates are settled long before their fit
converges, by two bounds that hold at any iterate ``b`` of a reduced model:

* **Primal (an upper bound on LR).**  ``llf(b)`` is at most the reduced model's maximum, so
  ``2 (llf_current - llf(b))`` is at least the exact LR statistic.
* **Dual (a lower bound on LR).**  For any ``a`` in (0, 1)^n with ``X_kept' W (y - a) = 0``, Fenchel duality of
  the logistic log-likelihood gives ``max llf <= sum_i w_i [a_i log a_i + (1 - a_i) log(1 - a_i)]``
  (because ``log(1 + e^eta) >= a eta + H(a)`` for every ``a``, ``H`` the binary entropy).  The chord step
  ``s = (X_kept' W V X_kept)^-1 g`` of :func:`~leftbehind.stats.fast_logit.fit_without_blocks`, with ``V`` the
  current model's ``p (1 - p)``, gives such an ``a`` for free: ``a = p(b) + V X_kept s`` satisfies the constraint
  exactly.  Near the optimum the two bounds close in on the exact LR from both sides.

and one more that costs nothing:

* **Carried bound.**  Removing variable ``A`` (LR statistic ``LR_A``) can lower another variable's LR statistic by
  at most ``LR_A``: ``LR_j(M - A) >= LR_j(M) - LR_A``, since the maximum log-likelihood of ``M - A - j`` is at most
  that of ``M - j``.  A variable that was far from removable stays settled, without being refitted, until the
  removed variables' statistics add up to its margin.

A candidate whose p-value is certainly at most ``p_remove``, or certainly below another candidate's, stops
iterating; the rest iterate until one remains whose p is certainly the largest and certainly above ``p_remove``
(it is then fitted to convergence, since it becomes the next current model), or until all remaining have
converged and the exact rule -- the largest p, the first in candidate order on a tie -- decides among them.
Every decision is therefore the exact elimination's decision; the bounds are widened by :data:`MARGIN` so that
rounding cannot make a near-tie look certain.  ``tests/stats/test_bounded_elimination.py`` checks each bound
against converged fits and replays whole eliminations against the exact rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from leftbehind.stats.fast_logit import LogitFit, _expit, chord_start, finish_with_newton, loglike

#: Widening (on the LR scale) of every bound: above rounding error (the dual point's constraint holds to about
#: 1e-9 times the estimates for condition numbers up to 1e6) and far below any LR shown.
MARGIN = 1e-6
#: Chord iterations before a contender switches to full Newton steps.
CHORD_ITERATIONS = 60


@dataclass
class Removal:
    """What one elimination step decided."""

    index: int | None  # position (in the candidate list) of the variable removed; None: nothing removed
    llf: float  # the removed variable's reduced model: maximised log-likelihood (nan when nothing removed)
    params: np.ndarray  # ... and its estimates (k; zeros at the dropped columns)
    lr_low: np.ndarray  # per candidate, a lower bound on its LR statistic (exact, less MARGIN, when converged)
    evaluated: int  # candidates whose reduced model was iterated at all (for benchmarks)


def loglike_dual_bound(eta: np.ndarray, p: np.ndarray, q: np.ndarray, log_1pe: np.ndarray, delta: np.ndarray,
                       w: np.ndarray) -> np.ndarray:
    """Upper bounds on reduced models' maximised log-likelihoods (one per column), without a logarithm.

    At an iterate with linear predictors ``eta`` (n x m), probabilities ``p``, ``q = 1 - p`` (computed as
    ``e p``, ``e = exp(-eta)``, so that it stays accurate where ``p`` is near 1) and ``log_1pe = log(1 + e)``,
    the dual point is ``a = p + delta`` (``delta = V X s`` for the chord step ``s``).  The bound
    ``sum_i w_i f(a_i)``, ``f(a) = a log a + (1 - a) log(1 - a)``, is itself bounded above by Taylor's theorem
    around ``p``: ``f(p) = -log_1pe - q eta``, ``f'(p) = eta``, and ``f''`` = ``1 / (a (1 - a))`` is largest
    at an end of the interval between ``p`` and ``a``, so
    ``f(a) <= f(p) + eta delta + delta^2 / (2 min(p (1 - p), a (1 - a)))``.
    Where some ``a`` leaves (0, 1) the column has no bound (``inf``).  ``w`` is one weight vector, or one
    per column (n x m).
    """
    a, b = p + delta, q - delta  # a and 1 - a
    if a.min() > 0.0 and b.min() > 0.0:  # the usual case, checked without a strided reduction
        inside = np.ones(eta.shape[1], dtype=bool)
    else:
        inside = (a > 0.0).all(axis=0) & (b > 0.0).all(axis=0)
    bound = np.full(eta.shape[1], np.inf)
    if inside.any():
        a *= b
        curvature = np.minimum(p * q, a, out=a)
        b = delta * delta
        with np.errstate(over="ignore", divide="ignore"):  # a vanishing curvature (p within 1e-300 of 0 or 1) gives no bound
            np.divide(b, curvature, out=b, where=b != 0.0)
        b *= 0.5
        b += eta * (delta - q)
        b -= log_1pe
        bound[inside] = w @ b[:, inside] if w.ndim == 1 else np.einsum("nm,nm->m", w[:, inside], b[:, inside])
    return bound


def logistic_pieces(eta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(log(1 + e), p, 1 - p)`` for ``e = exp(-eta)``, each accurate in both tails.

    ``log(1 + e)`` is computed with ``log`` (faster than ``log1p``; where ``e`` underflows, ``eta > 37``, the
    difference is below an ulp of the log-likelihood) and is ``-eta`` where ``e`` overflows (``eta < -709``);
    ``1 - p`` is computed as ``e p``, which stays accurate where ``p`` is near 1, and is 1 where ``e`` overflows.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(-eta)
        log_1pe = np.log(1.0 + e)
        p = 1.0 / (1.0 + e)
        q = e * p
    big = np.isinf(e)
    if big.any():
        log_1pe[big] = -eta[big]
        q[big] = 1.0
    return log_1pe, p, q


def _p_value(df: np.ndarray, lr: np.ndarray) -> np.ndarray:
    return special.chdtrc(df, np.maximum(lr, 0.0))  # the chi-squared survival function


def choose_removal(x: np.ndarray, y: np.ndarray, w: np.ndarray, current: LogitFit, drop: list[list[int]],
                   p_remove: float, lr_floor: np.ndarray | None = None, tol: float = 1e-10,
                   information_weights: np.ndarray | None = None) -> Removal:
    """Decide one backward-elimination step (see the module docstring).

    ``x`` holds the current model's columns, ``current`` its converged fit; ``drop[j]`` lists the columns of
    candidate ``j``; ``lr_floor`` (optional) holds known lower bounds on the candidates' LR statistics (the
    carried bound).  ``current.information`` must be ``X' diag(w v) X`` for the positive row weights
    ``v = information_weights``; by default ``v = p (1 - p)`` at the current estimates (the information
    matrix itself).  Any ``v`` gives valid bounds, so an elimination may keep the full model's ``v`` and pass
    the kept block of the full model's information from step to step instead of recomputing it.
    """
    k, m = x.shape[1], len(drop)
    df = np.array([len(d) for d in drop], dtype=float)
    low = np.zeros(m) if lr_floor is None else np.maximum(np.asarray(lr_floor, dtype=float), 0.0)
    high = np.full(m, np.inf)
    converged = np.zeros(m, dtype=bool)
    contenders = np.flatnonzero(_p_value(df, low) > p_remove)
    evaluated = len(contenders)
    if not len(contenders):
        return Removal(None, np.nan, np.zeros(k), low, 0)

    kept, solvers, beta = chord_start(current, [drop[j] for j in contenders])
    slot = {int(j): i for i, j in enumerate(contenders)}
    if information_weights is None:
        p_current = _expit(x @ current.params)
        v = p_current * (1.0 - p_current)  # the weights (with w) of current.information
    else:
        v = information_weights
    wy = w * y
    llf_at = np.full(m, np.nan)  # the log-likelihood at each contender's latest iterate
    active = contenders.copy()
    decision = _UNDECIDED
    for _ in range(CHORD_ITERATIONS):
        cols = [slot[int(j)] for j in active]
        eta = x @ beta[:, cols]
        log_1pe, p, q = logistic_pieces(eta)
        grad = x.T @ (wy[:, None] - w[:, None] * p)
        step = np.einsum("cij,jc->ic", solvers[cols], grad)
        llf_now = w @ (y[:, None] * eta - eta - log_1pe)
        llf_at[active] = llf_now
        done = np.max(np.abs(step), axis=0) < tol
        converged[active[done]] = True
        beta[:, cols] += np.where(done, 0.0, step)
        # fmin/fmax: an iterate that went non-finite never tightens a bound (the stall branch then decides)
        high[active] = np.fmin(high[active], 2.0 * (current.llf - llf_now) + MARGIN)
        dual = loglike_dual_bound(eta, p, q, log_1pe, v[:, None] * (x @ step), w)
        low[active] = np.fmax(low[active], 2.0 * (current.llf - dual) - MARGIN)
        alive = _alive(df, low, high, p_remove)
        decision = _decide(df, low, high, alive, converged, llf_at, current.llf, p_remove)
        if decision is not _UNDECIDED:
            break
        active = alive[~converged[alive]]
    if decision is _UNDECIDED:
        # the chord iterations stalled: full Newton for the contenders still open, then the exact rule
        for j in _alive(df, low, high, p_remove):
            if converged[j]:
                continue
            c = slot[int(j)]
            llf_at[j] = finish_with_newton(x, y, w, kept[c], beta[:, c], tol)
            converged[j] = True
            low[j] = max(low[j], 2.0 * (current.llf - llf_at[j]) - MARGIN)
            high[j] = min(high[j], 2.0 * (current.llf - llf_at[j]) + MARGIN)
        decision = _decide(df, low, high, _alive(df, low, high, p_remove), converged, llf_at, current.llf, p_remove)
    winner = decision
    if winner is None:
        return Removal(None, np.nan, np.zeros(k), low, evaluated)
    c = slot[int(winner)]
    if not converged[winner]:  # certain to be removed: fit it to convergence, as it becomes the current model
        llf_at[winner] = _converge(x, y, w, solvers[c], beta[:, c], tol)
        if not np.isfinite(llf_at[winner]):  # the chord iterations stalled: full Newton
            llf_at[winner] = finish_with_newton(x, y, w, kept[c], beta[:, c], tol)
        low[winner] = 2.0 * (current.llf - llf_at[winner]) - MARGIN
    return Removal(int(winner), float(llf_at[winner]), beta[:, c].copy(), low, evaluated)


def _converge(x, y, w, solver, beta, tol) -> float:
    """Chord iterations of one reduced model to a step below ``tol`` (``beta`` updated in place); its llf, or nan."""
    wy = w * y
    for _ in range(CHORD_ITERATIONS):
        step = solver @ (x.T @ (wy - w * _expit(x @ beta)))
        beta += step
        if np.max(np.abs(step)) < tol:
            return loglike(x, y, beta, w)
    return np.nan


_UNDECIDED = object()


def _alive(df: np.ndarray, low: np.ndarray, high: np.ndarray, p_remove: float) -> np.ndarray:
    """Candidates that may still be the one removed: p possibly above ``p_remove`` and possibly the largest."""
    p_high, p_low = _p_value(df, low), _p_value(df, high)
    return np.flatnonzero((p_high > p_remove) & (p_high >= p_low.max()))


def _decide(df, low, high, alive, converged, llf_at, llf_current, p_remove):
    """The removal (an index), ``None`` for no removal, or ``_UNDECIDED`` while the bounds cannot tell."""
    if not len(alive):
        return None
    if len(alive) == 1 and _p_value(df[alive], high[alive])[0] > p_remove:
        return int(alive[0])  # certainly the largest p and certainly above p_remove
    if converged[alive].all():  # the exact rule on converged fits (first in candidate order on a tie)
        p = _p_value(df[alive], 2.0 * (llf_current - llf_at[alive]))
        best = int(np.argmax(p))
        return int(alive[best]) if p[best] > p_remove else None
    return _UNDECIDED

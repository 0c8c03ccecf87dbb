"""Fast maximum-likelihood logistic regression for resampling work.

Bootstrapping a whole backward elimination means thousands of logistic fits on
the same design matrix.  Calling :class:`statsmodels.discrete.discrete_model.Logit`
for each costs mostly Python overhead, so this module fits the *same* model as
statsmodels (same log-likelihood, same estimates) with plain numpy:

* **Frequency weights instead of copies.**  A bootstrap resample is the original
  rows with integer counts, so one design matrix ``X`` is reused and a resample
  is just a weight vector ``w``.  The weighted log-likelihood
  ``sum w_i [y_i eta_i - log(1 + exp(eta_i))]`` equals the log-likelihood of the
  resampled (row-copied) data exactly.
* **Newton-Raphson with step halving** (:func:`fit_logit`), started warm.
* **Many reduced models at once** (:func:`fit_without_blocks`): the backward
  elimination needs, at every step, the fit of the current model with each
  variable left out.  All those fits share the rows, so their linear predictors
  are one matrix product.  Each starts from the *conditional* estimate
  ``beta_keep + H_kk^{-1} H_kd beta_drop`` (the quadratic approximation of the
  constrained optimum) and iterates with the current model's information matrix
  held fixed (a chord method: each iteration costs one gradient, no new
  Hessian), until the Newton step is below ``tol``.  Fits that stall fall back to
  full Newton iterations.
* **Many weight vectors at once** (:func:`fit_logit_weights`): the same model on
  many resamples, with the Hessians of all resamples from one matrix product.

Tests check log-likelihoods and estimates against statsmodels to 1e-8.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Convergence tolerance on the largest absolute Newton step.
TOL = 1e-10
MAX_ITER = 100


class ConvergenceError(RuntimeError):
    """The Newton iterations did not converge (separation or collinearity)."""


@dataclass
class LogitFit:
    """Result of a maximum-likelihood logistic fit."""

    params: np.ndarray
    llf: float
    information: np.ndarray  # X' W diag(p(1-p)) X at the estimate (negative Hessian)
    iterations: int

    @property
    def bse(self) -> np.ndarray:
        """Standard errors from the inverse information matrix."""
        return np.sqrt(np.diag(np.linalg.inv(self.information)))


def _weights(w, n: int) -> np.ndarray:
    return np.ones(n) if w is None else np.asarray(w, dtype=float)


def loglike(x: np.ndarray, y: np.ndarray, beta: np.ndarray, w: np.ndarray | None = None) -> np.ndarray | float:
    """Weighted log-likelihood of ``beta`` (a vector, or a ``k x m`` matrix of ``m`` parameter vectors)."""
    w = _weights(w, len(y))
    eta = x @ beta
    softplus = _softplus(np.atleast_1d(eta))
    if eta.ndim == 1:
        return float(w @ (y * eta - softplus))
    return w @ (y[:, None] * eta - softplus)


def _expit(eta: np.ndarray) -> np.ndarray:
    """The logistic function; ``exp`` overflowing to inf gives the correct limit 0."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-eta))


def _softplus(eta: np.ndarray) -> np.ndarray:
    """``log(1 + exp(eta))`` without overflow (``exp`` is much faster than ``logaddexp`` here)."""
    with np.errstate(over="ignore"):
        out = np.log1p(np.exp(eta))
    big = eta > 30.0
    if big.any():
        out[big] = eta[big] + np.log1p(np.exp(-eta[big]))
    return out


def _softplus_from(eta: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``log(1 + exp(eta))`` given ``e = exp(-eta)`` (already computed for the probabilities).

    ``eta + log1p(e)`` is the same function; where ``eta`` is very negative (``e`` huge or infinite) the
    direct form is used instead.
    """
    out = eta + np.log1p(e)
    low = eta < -30.0
    if low.any():
        out[low] = np.log1p(np.exp(eta[low]))
    return out


def fit_logit(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None = None,
    start: np.ndarray | None = None,
    tol: float = TOL,
    maxiter: int = MAX_ITER,
) -> LogitFit:
    """Maximum-likelihood logistic regression of ``y`` on ``x`` (include a constant column yourself).

    ``w`` are frequency weights (bootstrap counts); ``start`` a warm start.
    Newton-Raphson with step halving; raises :class:`ConvergenceError` when the
    estimates do not settle (e.g. complete separation).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = _weights(w, len(y))
    beta = np.zeros(x.shape[1]) if start is None else np.array(start, dtype=float)
    llf = loglike(x, y, beta, w)
    for iteration in range(1, maxiter + 1):
        p = _expit(x @ beta)
        grad = x.T @ (w * (y - p))
        info = (x * (w * p * (1.0 - p))[:, None]).T @ x
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError as err:
            raise ConvergenceError("singular information matrix (collinear columns or separation)") from err
        t = 1.0
        while True:
            candidate = beta + t * step
            new_llf = loglike(x, y, candidate, w)
            if new_llf >= llf - 1e-12 * max(1.0, abs(llf)) or t < 1e-8:
                break
            t *= 0.5
        beta, llf = candidate, new_llf
        if np.max(np.abs(t * step)) < tol:
            p = _expit(x @ beta)
            info = (x * (w * p * (1.0 - p))[:, None]).T @ x
            if np.any(np.abs(beta) > 50):
                raise ConvergenceError("estimates diverge (complete or quasi-complete separation)")
            return LogitFit(beta, llf, info, iteration)
    raise ConvergenceError(f"no convergence in {maxiter} Newton iterations (separation?)")


def fit_logit_chord(x: np.ndarray, y: np.ndarray, w: np.ndarray | None, start: np.ndarray, newton: int = 2,
                    tol: float = TOL, maxiter: int = MAX_ITER) -> LogitFit:
    """:func:`fit_logit` from a good ``start``: ``newton`` Newton steps, then chord steps with the last Hessian.

    A bootstrap resample's estimates are close to the full sample's: after two Newton steps from them the
    Hessian hardly changes, so each further iteration costs one gradient instead of a new Hessian.  When the
    steps stop shrinking (a poor start), :func:`fit_logit` finishes with its step halving and its errors.
    The result is the same maximum-likelihood fit, with the information at the estimate.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = _weights(w, len(y))
    beta = np.array(start, dtype=float)
    wy = w * y
    previous = np.inf
    solver = None
    for iteration in range(1, maxiter + 1):
        p = _expit(x @ beta)
        if iteration <= newton:
            try:
                solver = np.linalg.inv((x * (w * p * (1.0 - p))[:, None]).T @ x)
            except np.linalg.LinAlgError:
                return fit_logit(x, y, w, start=start, tol=tol, maxiter=maxiter)
        step = solver @ (x.T @ (wy - w * p))
        size = np.max(np.abs(step))
        if not size < 0.9 * previous:  # not contracting (or nan): Newton with step halving takes over
            return fit_logit(x, y, w, start=start, tol=tol, maxiter=maxiter)
        beta += step
        previous = size
        if size < tol:
            if np.any(np.abs(beta) > 50):
                raise ConvergenceError("estimates diverge (complete or quasi-complete separation)")
            p = _expit(x @ beta)
            info = (x * (w * p * (1.0 - p))[:, None]).T @ x
            return LogitFit(beta, loglike(x, y, beta, w), info, iteration)
    return fit_logit(x, y, w, start=start, tol=tol, maxiter=maxiter)


def chord_start(current: LogitFit, drop: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the chord iterations of each reduced model start from: ``(kept, solvers, beta)``.

    ``kept`` (m x k, bool): the columns each reduced model keeps; ``solvers`` (m x k x k): the inverse of each
    kept block of ``current.information``, zero elsewhere; ``beta`` (k x m): the conditional estimates
    ``beta_keep + H_kk^{-1} H_kd beta_drop``, the constrained optima of the quadratic approximation.
    One inverse serves every model (:func:`conditional_starts`).
    """
    column, used, dropped = padded_blocks(drop, current.information.shape[0])
    kept = ~dropped
    solvers, beta = conditional_starts(np.linalg.inv(current.information)[None], current.params[None], column, used,
                                       kept)
    return kept, solvers, beta.T


def padded_blocks(blocks: list[list[int]], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocks of columns (of ``k``) as arrays: ``(column, used, mask)``.

    ``column`` (m x width): each block's columns, padded with column 0 to the widest block; ``used`` marks the real
    entries; ``mask`` (m x k, bool) marks each block's columns.
    """
    width = max(len(cols) for cols in blocks)
    column = np.zeros((len(blocks), width), dtype=np.intp)
    used = np.zeros((len(blocks), width), dtype=bool)
    mask = np.zeros((len(blocks), k), dtype=bool)
    for j, cols in enumerate(blocks):
        column[j, :len(cols)], used[j, :len(cols)], mask[j, cols] = cols, True, True
    return column, used, mask


def conditional_starts(inverse: np.ndarray, params: np.ndarray, column: np.ndarray, used: np.ndarray,
                       kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each reduced model's kept-block inverse and conditional estimates, from the inverse of the whole matrix.

    For models ``c`` (leading dimension; ``inverse`` (c x k x k) and ``params`` (c x k) may have it 1, to share
    one current model): ``column[c]`` lists the dropped columns (padded; ``used`` marks the real ones) and
    ``kept[c]`` the others.  With ``G = H^{-1}`` and ``d`` the dropped columns, the block-inverse identities give
    ``H_kk^{-1} = G_kk - G_kd G_dd^{-1} G_dk`` and ``H_kk^{-1} H_kd = -G_kd G_dd^{-1}``, so each model costs a
    ``|d| x |d|`` inverse instead of a ``k x k`` one.  Returns ``(solvers c x k x k, beta c x k)``: zero outside
    the kept block and at the dropped columns.
    """
    width = column.shape[1]
    # G_kd and G_dd of each model, padded to a common width with zero columns in G_kd and the identity in G_dd,
    # which leaves G_kd G_dd^{-1} G_dk unchanged
    g_d = np.where(used[:, None, :], np.take_along_axis(inverse, column[:, None, :], axis=2), 0.0)
    g_dd = np.take_along_axis(np.take_along_axis(inverse, column[:, :, None], axis=1), column[:, None, :], axis=2)
    g_dd = np.where(used[:, :, None] & used[:, None, :], g_dd, np.eye(width)[None, :, :])
    beta_d = np.where(used, np.take_along_axis(params, column, axis=1), 0.0)[:, :, None]
    lead = g_d @ np.linalg.inv(g_dd)  # c x k x width: G_kd G_dd^{-1}
    solvers = inverse - lead @ g_d.transpose(0, 2, 1)
    solvers[~(kept[:, :, None] & kept[:, None, :])] = 0.0
    beta = params - (lead @ beta_d)[:, :, 0]
    beta[~kept] = 0.0
    return solvers, beta


def finish_with_newton(x: np.ndarray, y: np.ndarray, w: np.ndarray, kept: np.ndarray, beta: np.ndarray,
                       tol: float) -> float:
    """Finish one reduced model by :func:`fit_logit` (full Newton, step halving) where chord steps stalled.

    ``kept`` (k, bool) marks its columns of ``x``; ``beta`` (k, zeros at the dropped columns) is the start and is
    overwritten with the estimates.  Returns the maximised log-likelihood.
    """
    keep = np.flatnonzero(kept)
    refit = fit_logit(x[:, keep], y, w, start=beta[keep], tol=tol)
    beta[:] = 0.0
    beta[keep] = refit.params
    return refit.llf


def fit_without_blocks(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None,
    current: LogitFit,
    drop: list[list[int]],
    tol: float = 1e-8,
    maxiter: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Fit, all at once, the current model with each block of columns in ``drop`` left out.

    ``x`` holds the current model's columns and ``current`` its fit; ``drop[j]``
    lists the column positions removed in reduced model ``j``.  Returns
    ``(llf, params)``: the ``m`` maximised log-likelihoods and a ``k x m`` matrix
    of estimates (zeros in the dropped positions).  See the module docstring
    for the method; the answers are the maximum-likelihood fits.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = _weights(w, len(y))
    kept, solvers, beta = chord_start(current, drop)
    active = np.arange(len(drop))
    wy = w * y
    for _ in range(maxiter):
        eta = x @ beta[:, active]
        with np.errstate(over="ignore"):
            e = np.exp(-eta)
        p = 1.0 / (1.0 + e)
        grad = x.T @ (wy[:, None] - w[:, None] * p)
        step = np.einsum("mij,jm->im", solvers[active], grad)
        done = np.max(np.abs(step), axis=0) < tol
        beta[:, active] += step
        if done.all():
            active = active[:0]
            break
        active = active[~done]
    for j in active:  # the chord iterations stalled: finish with full Newton on the kept columns
        finish_with_newton(x, y, w, kept[j], beta[:, j], tol)
    return np.atleast_1d(loglike(x, y, beta, w)), beta


def fit_logit_weights(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    start: np.ndarray | None = None,
    tol: float = TOL,
    maxiter: int = MAX_ITER,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the same model under many weight vectors (rows of ``weights``, shape ``B x n``).

    Returns ``(params B x k, llf B, converged B)``.  All Hessians come from one
    product of the weights with the row-wise outer products of ``x``.  Resamples
    whose fit does not settle (separation) are flagged, not raised.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    weights = np.asarray(weights, dtype=float)
    n, k = x.shape
    b_count = weights.shape[0]
    outer = (x[:, :, None] * x[:, None, :]).reshape(n, k * k)
    beta = np.zeros((b_count, k)) if start is None else np.tile(np.asarray(start, dtype=float), (b_count, 1))
    converged = np.zeros(b_count, dtype=bool)
    active = np.arange(b_count)
    for _ in range(maxiter):
        wa = weights[active]
        p = _expit(beta[active] @ x.T)
        grad = (wa * (y - p)) @ x
        info = ((wa * p * (1.0 - p)) @ outer).reshape(len(active), k, k)
        try:
            step = np.linalg.solve(info, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = np.stack([np.linalg.lstsq(h, g, rcond=None)[0] for h, g in zip(info, grad)])
        beta[active] += step
        done = np.max(np.abs(step), axis=1) < tol
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break
    converged &= np.all(np.abs(beta) < 50, axis=1)
    llf = np.array([loglike(x, y, beta[b], weights[b]) for b in range(b_count)])
    return beta, llf, converged


class single_threaded_blas:
    """Context manager: run numpy's OpenBLAS on one thread, then restore.

    The fits here multiply small matrices; OpenBLAS's thread pool makes them
    *slower* (tens of times, when other processes share the cores).  This finds
    numpy's bundled OpenBLAS in the process's loaded libraries and calls its
    ``set_num_threads``; where that library is not found it does nothing.
    """

    def __enter__(self):
        self._set, self._previous = None, None
        try:
            import ctypes

            with open("/proc/self/maps") as maps:
                paths = sorted({line.split()[-1] for line in maps if "openblas" in line and ".so" in line})
            for path in paths:
                if "numpy" not in path:
                    continue
                lib = ctypes.CDLL(path)
                for suffix in ("scipy_openblas_{}_num_threads64_", "openblas_{}_num_threads"):
                    try:
                        setter, getter = getattr(lib, suffix.format("set")), getattr(lib, suffix.format("get"))
                    except AttributeError:
                        continue
                    setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
                    self._previous, self._set = getter(), setter
                    setter(1)
                    return self
        except OSError:
            pass
        return self

    def __exit__(self, *exc):
        if self._set is not None:
            self._set(self._previous)
        return False

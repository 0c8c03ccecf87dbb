"""How stable is the backward elimination?  Bootstrap the whole procedure.

A variable chosen by backward elimination on one sample might not be chosen on
another sample from the same population.  Following Austin & Tu (2004) and
Heinze, Wallisch & Dunkler (2018), we draw resamples of the rows with
replacement, rerun the *entire* selection (start from every candidate, remove
by likelihood-ratio test while p > 0.10) on each, and record

* per candidate variable, how often it is retained (its *inclusion frequency*;
  categorical variables count as one unit, as they enter and leave as blocks),
* per model term, the distribution of its odds ratio over the resamples in
  which it was retained, and in the full pre-specified model.

Three implementations, one answer:

* :func:`backward_fast` (used for the 1,000 resamples of a large sample): the same rule as
  :func:`leftbehind.stats.stepwise.backward_lr`, with fits from
  :mod:`leftbehind.stats.fast_logit` on one reused design matrix and bootstrap counts
  as frequency weights, each step decided from likelihood bounds
  (:mod:`leftbehind.stats.bounded_elimination`) so that only the candidates near
  the decision are fitted far;
* :func:`leftbehind.stats.lockstep_elimination.eliminate_lockstep` (used for a small sample, up to
  :data:`LOCKSTEP_MAX_ROWS` rows): the same rule and bounds, for a chunk of resamples side by side;
* :func:`backward_reference`: copies the resampled rows and calls
  :func:`leftbehind.stats.stepwise.backward_lr` itself.

Tests check that they retain the same variables on the same resamples.  The
resample ``b`` of seed ``s`` is always drawn from ``numpy.random.default_rng([s, b])``,
so results do not depend on the order or number of worker processes.  Results
are cached on disk (:func:`cached_bootstrap`, :mod:`leftbehind.core.cache`) under ``_build/cache/``, keyed by a
hash of the data, the parameters and this code, so the book build runs the
bootstrap once.
"""

from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind.stats import fast_logit
from leftbehind.stats.bounded_elimination import MARGIN, choose_removal
from leftbehind.stats.fast_logit import ConvergenceError, LogitFit, fit_logit, fit_logit_chord
from leftbehind.stats.lockstep_elimination import eliminate_lockstep
from leftbehind.stats.stepwise import P_REMOVE, backward_lr

#: Default number of bootstrap resamples and seed for the book.
N_BOOT = 1000
SEED = 20230
#: Samples of up to this many rows run a chunk's eliminations side by side
#: (:mod:`leftbehind.stats.lockstep_elimination`); larger ones one resample at a time (:func:`backward_fast`).
#: Both decide exactly; the lockstep path computes every row of every resample (zero weights included), so it
#: pays only while per-call overhead dominates: measured on Table 7's rows, it matched the one-at-a-time path at
#: about 1,000 rows, was twice as fast on Table 8's 282 rows, and three times slower on 6,096 rows.
LOCKSTEP_MAX_ROWS = 800


@dataclass
class SelectionProblem:
    """A candidate design: ``x`` (constant first), ``y`` and each variable's columns in ``x``."""

    x: np.ndarray
    y: np.ndarray
    columns: list[str]  # "const" then the design columns
    blocks: dict[str, list[int]]  # variable -> positions in x (never 0)
    block_labels: dict[str, list[str]]  # variable -> design column labels

    @property
    def variables(self) -> list[str]:
        return list(self.blocks)


def selection_problem(design: pd.DataFrame, outcome, blocks: dict[str, list[str]]) -> SelectionProblem:
    """Build the problem from the same inputs as :func:`leftbehind.stats.stepwise.backward_lr`."""
    x = np.column_stack([np.ones(len(design)), design.to_numpy(dtype=float)])
    position = {name: i + 1 for i, name in enumerate(design.columns)}
    return SelectionProblem(
        x=x,
        y=np.asarray(outcome, dtype=float),
        columns=["const", *design.columns],
        blocks={v: [position[c] for c in cols] for v, cols in blocks.items()},
        block_labels={v: list(cols) for v, cols in blocks.items()},
    )


def resample_indices(n: int, seed: int, b: int) -> np.ndarray:
    """Row indices of bootstrap resample ``b`` (drawn with replacement, reproducible per ``b``)."""
    return np.random.default_rng([seed, b]).integers(0, n, size=n)


@dataclass
class FastSelection:
    """One run of the fast backward elimination."""

    retained: list[str]
    final_params: np.ndarray  # length k, NaN for removed columns
    full_params: np.ndarray  # the full model's estimates
    removed: list[str]  # in removal order


def backward_fast(problem: SelectionProblem, w: np.ndarray | None = None, p_remove: float = P_REMOVE,
                  start: np.ndarray | None = None) -> FastSelection:
    """Backward elimination by LR test with the fast fits; same rule as :func:`leftbehind.stats.stepwise.backward_lr`.

    ``w`` are frequency weights (bootstrap counts); rows with weight 0 are
    skipped; ``start`` (e.g. the full-sample estimates) warm-starts the full
    model (:func:`~leftbehind.stats.fast_logit.fit_logit_chord`).  Each step is decided by
    :func:`leftbehind.stats.bounded_elimination.choose_removal`: a candidate is
    refitted only as far as needed to know it is not the one removed, and a
    candidate far from removable is not refitted again until the variables
    removed since could have brought it near.  The decisions are the exact
    elimination's (ties on the largest p go to the variable first in candidate
    order); the variable removed is always fitted to convergence.
    """
    x, y = problem.x, problem.y
    if w is None:
        w = np.ones(len(y))
    rows = np.flatnonzero(w)
    x, y, w = x[rows], y[rows], np.asarray(w, dtype=float)[rows]
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise ConvergenceError("the resampled design matrix is rank deficient")
    current = problem.variables
    cols = [0] + [c for v in current for c in problem.blocks[v]]
    if start is None:
        fit = fit_logit(x[:, cols], y, w)
    else:
        fit = fit_logit_chord(x[:, cols], y, w, start)
    full = np.full(x.shape[1], np.nan)
    full[cols] = fit.params
    p_full = fast_logit._expit(x[:, cols] @ fit.params)
    v_full = p_full * (1.0 - p_full)  # the weights of the full model's information, kept for every step
    removed: list[str] = []
    floor = np.zeros(len(current))  # carried lower bounds on each candidate's LR statistic
    while current:
        local = {c: i for i, c in enumerate(cols)}
        drops = [[local[c] for c in problem.blocks[v]] for v in current]
        step = choose_removal(x[:, cols], y, w, fit, drops, p_remove, lr_floor=floor, information_weights=v_full)
        if step.index is None:
            break
        name = current[step.index]
        keep = [i for i in range(len(cols)) if i not in drops[step.index]]
        lr_removed = 2.0 * (fit.llf - step.llf) + MARGIN
        floor = np.delete(step.lr_low, step.index) - lr_removed
        # the next current model: the removed variable's reduced fit.  Its "information" is the kept block of the
        # full model's (X' diag(w v_full) X, not the information at these estimates): the bounds of
        # choose_removal hold for any fixed row weights v, and the block costs nothing.
        fit = LogitFit(step.params[keep], step.llf, fit.information[np.ix_(keep, keep)], 0)
        current = [v for v in current if v != name]
        cols = [cols[i] for i in keep]
        removed.append(name)
    final = np.full(x.shape[1], np.nan)
    final[cols] = fit.params
    return FastSelection(current, final, full, removed)


def backward_reference(design: pd.DataFrame, outcome, blocks: dict[str, list[str]], rows: np.ndarray | None = None,
                       p_remove: float = P_REMOVE):
    """The reference: copy the resampled rows and run :func:`leftbehind.stats.stepwise.backward_lr` on them."""
    y = np.asarray(outcome, dtype=float)
    if rows is not None:
        design = design.iloc[rows].reset_index(drop=True)
        y = y[rows]
    return backward_lr(design, y, blocks, p_remove=p_remove)


# ---------------------------------------------------------------------------
# the bootstrap


@dataclass
class BootstrapSelection:
    """Per-resample results: which variables were kept and the estimates."""

    variables: list[str]
    columns: list[str]
    block_labels: dict[str, list[str]]
    retained: np.ndarray  # B x variables, bool
    final_params: np.ndarray  # B x columns (NaN = removed)
    full_params: np.ndarray  # B x columns, full pre-specified model
    failed: np.ndarray  # B bool: fit did not converge (e.g. separation) -> excluded
    n_boot: int
    seed: int
    p_remove: float

    @property
    def n_ok(self) -> int:
        return int((~self.failed).sum())

    def retention(self) -> pd.Series:
        """Share of (successful) resamples in which each variable was retained."""
        ok = ~self.failed
        return pd.Series(self.retained[ok].mean(axis=0), index=self.variables, name="retained_share")

    def model_frequencies(self, top: int = 5) -> pd.DataFrame:
        """The most frequent selected models (sets of variables) and their shares."""
        ok = ~self.failed
        keys = [" + ".join(v for v, r in zip(self.variables, row) if r) or "(constant only)" for row in self.retained[ok]]
        counts = pd.Series(keys).value_counts()
        share = counts / ok.sum()
        return pd.DataFrame({"model": share.index[:top], "share": share.to_numpy()[:top]})

    def odds_ratio_summary(self) -> pd.DataFrame:
        """Per term: bootstrap median and 2.5/97.5 percentiles of the OR, selected-only and full model."""
        ok = ~self.failed
        rows = []
        for j, term in enumerate(self.columns):
            if term == "const":
                continue
            selected = self.final_params[ok, j]
            selected = selected[np.isfinite(selected)]
            full = self.full_params[ok, j]
            row = {"term": term, "retained_share": len(selected) / ok.sum()}
            if len(selected):
                row.update(zip(("or_selected_median", "or_selected_low", "or_selected_high"),
                               np.exp(np.percentile(selected, [50, 2.5, 97.5]))))
            row.update(zip(("or_full_median", "or_full_low", "or_full_high"), np.exp(np.percentile(full, [50, 2.5, 97.5]))))
            rows.append(row)
        return pd.DataFrame(rows).set_index("term")

    def log_or_draws(self, term: str, selected: bool = True) -> np.ndarray:
        """The bootstrap log-ORs of ``term`` (only resamples where it was retained, if ``selected``)."""
        j = self.columns.index(term)
        values = (self.final_params if selected else self.full_params)[~self.failed, j]
        return values[np.isfinite(values)]


def _run_chunk(args) -> tuple:
    problem, seed, b_values, p_remove = args
    n, k = len(problem.y), problem.x.shape[1]
    names = problem.variables

    def weights(b: int) -> np.ndarray:
        return np.bincount(resample_indices(n, seed, b), minlength=n).astype(float)

    with fast_logit.single_threaded_blas():
        try:
            start = fit_logit(problem.x, problem.y).params  # the full-sample estimates warm-start every resample
        except ConvergenceError:
            start = None
        if n <= LOCKSTEP_MAX_ROWS:
            lockstep = eliminate_lockstep(problem.x, problem.y, np.stack([weights(b) for b in b_values]),
                                          [problem.blocks[v] for v in names], start, p_remove)
            retained, final, full = lockstep.retained, lockstep.final_params, lockstep.full_params
            failed = lockstep.failed.copy()
            one_by_one = np.flatnonzero(lockstep.handed_over)
        else:
            retained = np.zeros((len(b_values), len(names)), dtype=bool)
            final = np.full((len(b_values), k), np.nan)
            full = np.full((len(b_values), k), np.nan)
            failed = np.zeros(len(b_values), dtype=bool)
            one_by_one = range(len(b_values))
        for i in one_by_one:
            try:
                result = backward_fast(problem, weights(b_values[i]), p_remove, start=start)
            except (ConvergenceError, np.linalg.LinAlgError):
                failed[i] = True
                continue
            retained[i] = [v in result.retained for v in names]
            final[i], full[i] = result.final_params, result.full_params
    return retained, final, full, failed


def stderr_progress(done: int, total: int) -> None:
    """A one-line progress indicator on stderr (for the command line and benchmarks only)."""
    end = "\n" if done == total else ""
    print(f"\rbootstrap resamples: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)


def bootstrap_selection(problem: SelectionProblem, n_boot: int = N_BOOT, seed: int = SEED, p_remove: float = P_REMOVE,
                        workers: int = 1, progress=None, chunk: int = 50) -> BootstrapSelection:
    """Rerun the backward elimination on ``n_boot`` bootstrap resamples (fast path).

    ``workers`` > 1 spreads chunks of resamples over processes; ``progress`` is
    called as ``progress(done, total)`` after each chunk (pass
    :func:`stderr_progress` on the command line, nothing in notebooks).
    """
    chunks = [list(range(s, min(s + chunk, n_boot))) for s in range(0, n_boot, chunk)]
    tasks = [(problem, seed, c, p_remove) for c in chunks]
    parts, done = [], 0
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part, c in zip(pool.map(_run_chunk, tasks), chunks):
                parts.append(part)
                done += len(c)
                if progress:
                    progress(done, n_boot)
    else:
        for task, c in zip(tasks, chunks):
            parts.append(_run_chunk(task))
            done += len(c)
            if progress:
                progress(done, n_boot)
    retained, final, full, failed = (np.concatenate(a) for a in zip(*parts))
    return BootstrapSelection(problem.variables, problem.columns, problem.block_labels, retained, final, full, failed,
                              n_boot, seed, p_remove)


# ---------------------------------------------------------------------------
# cache

def cache_key(problem: SelectionProblem, n_boot: int, seed: int, p_remove: float) -> list:
    """The parameters that, with the code/data fingerprint (:mod:`leftbehind.core.cache`), identify a bootstrap."""
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(problem.x).tobytes())
    digest.update(np.ascontiguousarray(problem.y).tobytes())
    return [digest.hexdigest(), problem.columns, problem.blocks, n_boot, seed, p_remove]


def cached_bootstrap(problem: SelectionProblem, n_boot: int = N_BOOT, seed: int = SEED, p_remove: float = P_REMOVE,
                     workers: int = 1, progress=None) -> BootstrapSelection:
    """:func:`bootstrap_selection`, read from / written to an ``.npz`` under ``_build/cache/bootstrap_selection/``."""
    from leftbehind.core.cache import cache_path, write_atomically

    path = cache_path("bootstrap_selection", cache_key(problem, n_boot, seed, p_remove), ".npz")
    if path.exists():
        stored = np.load(path)
        return BootstrapSelection(problem.variables, problem.columns, problem.block_labels, stored["retained"],
                                  stored["final_params"], stored["full_params"], stored["failed"], n_boot, seed, p_remove)
    result = bootstrap_selection(problem, n_boot, seed, p_remove, workers=workers, progress=progress)
    write_atomically(path, lambda tmp: np.savez_compressed(tmp, retained=result.retained, final_params=result.final_params,
                                                         full_params=result.full_params, failed=result.failed))
    return result


# ---------------------------------------------------------------------------
# figures


def retention_figure(result: BootstrapSelection, chosen: list[str], names: dict[str, str] | None = None,
                     title: str = ""):
    """Horizontal bars: share of resamples retaining each variable; the variables chosen on the full sample highlighted.

    Returns ``(fig, alt)``; the alt text names the most and least stable variables.
    """
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, legend_above, wrap

    names = names or {}
    share = result.retention().sort_values()
    labels = [names.get(v, v.replace("_", " ")) for v in share.index]
    colours = [OKABE_ITO["blue"] if v in chosen else OKABE_ITO["grey"] for v in share.index]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.3 * len(share) + 1.4))
    ax.barh(labels, 100 * share.to_numpy(), color=colours)
    ax.axvline(50, color=OKABE_ITO["black"], linewidth=0.8, linestyle=":")
    ax.set_xlim(0, 100)
    ax.set_xlabel(wrap(f"% of {result.n_ok:,} bootstrap resamples in which the variable was retained"))
    from matplotlib.patches import Patch

    legend_above(ax, handles=[Patch(color=OKABE_ITO["blue"], label="retained on the full sample"),
                              Patch(color=OKABE_ITO["grey"], label="removed on the full sample")],
                 title=wrap(title) if title else None)
    always = [names.get(v, v) for v in share.index if share[v] >= 0.995]
    unstable = [names.get(v, v) for v in share.index if 0.2 <= share[v] <= 0.8]
    alt = (f"Bar chart of how often each candidate variable survived backward elimination in {result.n_ok:,} bootstrap "
           f"resamples. Retained in at least 99.5 % of resamples: {', '.join(always) or 'none'}. "
           f"Retained in between 20 % and 80 % (unstable): {', '.join(unstable) or 'none'}. "
           f"Least often retained: {names.get(share.index[0], share.index[0])} ({100 * share.iloc[0]:.0f} %).")
    return fig, alt


def odds_ratio_figure(result: BootstrapSelection, terms: list[str], names: dict[str, str] | None = None,
                      full_sample: dict[str, float] | None = None):
    """Box plots of the bootstrap odds ratios (log scale) of ``terms``, over the resamples that retained them.

    ``full_sample`` (term -> OR) marks the full-sample estimates.  Returns ``(fig, alt)``.
    """
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, legend_above, plain_log_axis, wrap

    names = names or {}
    draws = [np.exp(result.log_or_draws(t)) for t in terms]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.42 * len(terms) + 1.4))
    positions = np.arange(len(terms))[::-1]
    ax.boxplot(draws, positions=positions, vert=False, widths=0.55, whis=(2.5, 97.5), showfliers=False,
               medianprops={"color": OKABE_ITO["vermillion"]})
    if full_sample:
        ax.scatter([full_sample[t] for t in terms], positions, marker="D", s=18, color=OKABE_ITO["blue"], zorder=3,
                   label="full-sample estimate")
        legend_above(ax)
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8)
    plain_log_axis(ax)
    ax.set_yticks(positions, [names.get(t, t) for t in terms])
    ax.set_xlabel(wrap("odds ratio (log scale); box = quartiles, whiskers = 2.5th–97.5th percentiles"))
    crossing = [names.get(t, t) for t, d in zip(terms, draws) if len(d) and np.percentile(d, 2.5) < 1 < np.percentile(d, 97.5)]
    alt = (f"Box plots of bootstrap odds ratios for {len(terms)} model terms, each over the resamples in which it was "
           f"retained. Terms whose 2.5th to 97.5th percentile range includes 1: {', '.join(crossing) or 'none'}; "
           f"all other terms stay on one side of 1.")
    return fig, alt

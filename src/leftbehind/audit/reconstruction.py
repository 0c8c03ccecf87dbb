"""Forensic reconstruction of a hidden 2×2 table from a printed odds ratio and its CI.

The paper prints odds ratios with 95 % confidence intervals but not the tables
behind them.  When the margins are (partly) known, only finitely many integer
tables are possible; :func:`reconstruct_two_by_two` lists every one whose odds
ratio *and* both confidence limits round to the printed values.

Cell names follow epidemiology::

                 NSSI   no NSSI
    exposed        a       b        (girls; boarders)
    unexposed      c       d        (boys; non-boarders)

CI methods
----------
``"woolf"``
    The log (Woolf) interval ``exp(ln OR ± z·√(1/a + 1/b + 1/c + 1/d))``.  This is
    what SPSS's Crosstabs "Risk Estimate" prints, and for a single binary
    predictor it equals the Wald interval of SPSS's logistic regression
    (``Exp(B)`` with its 95 % C.I.), so it is our assumption for the paper's SPSS 20 output.  We could not confirm
    which normal quantile SPSS 20 uses internally, so the textbook ``z = 1.96``
    is the default here and the exact quantile :data:`Z_EXACT` the alternative.
``"woolf_haldane"``
    The same interval after adding 0.5 to every cell (Haldane–Anscombe), an
    alternative some software applies always, not only to zero cells.

A printed value ``v`` with ``d`` decimals matches every exact value within half
a printed unit of ``v`` (both ends included, so either rounding rule is allowed).

The same idea works from other printed numbers: :func:`tables_from_printed_shares`
lists every integer table consistent with printed group sizes, percentages
(through :func:`leftbehind.stats.granularity.consistent_numerators`) and a printed
Pearson χ² with or without Yates' correction (computed with
``scipy.stats.chi2_contingency``).  The evidence chapter applies it to other
studies (:func:`leftbehind.context.evidence.recover_counts`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, norm

from leftbehind.stats.granularity import consistent_numerators, rounds_to

#: the textbook 97.5 % normal quantile
Z_TEXTBOOK = 1.96
#: the exact 97.5 % normal quantile (1.959963984…)
Z_EXACT = float(norm.ppf(0.975))
METHODS = ("woolf", "woolf_haldane")
COLUMNS = ["a", "b", "c", "d", "or", "ci_low", "ci_high"]


def woolf_interval(a, b, c, d, z: float = Z_TEXTBOOK, correction: float = 0.0):
    """Odds ratio and Woolf log-interval limits, vectorised over arrays of cells.

    ``correction`` is added to every cell first (0.5 gives Haldane–Anscombe).
    Tables with an empty cell and no correction give ``nan``.
    """
    a, b, c, d = (np.asarray(x, dtype=float) + correction for x in (a, b, c, d))
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = (a > 0) & (b > 0) & (c > 0) & (d > 0)
        log_or = np.where(valid, np.log(a) + np.log(d) - np.log(b) - np.log(c), np.nan)
        se = np.where(valid, np.sqrt(1 / a + 1 / b + 1 / c + 1 / d), np.nan)
    return np.exp(log_or), np.exp(log_or - z * se), np.exp(log_or + z * se)


def reconstruct_two_by_two(
    printed_or: float,
    printed_ci: tuple[float, float],
    *,
    total: int,
    cases: int,
    exposed,
    decimals: int = 2,
    method: str = "woolf",
    z: float = Z_TEXTBOOK,
) -> pd.DataFrame:
    """Every integer 2×2 table consistent with a printed odds ratio and 95 % CI.

    ``total`` and ``cases`` are the known grand total and number with the
    outcome; ``exposed`` is the size of the exposed group, or an iterable of
    candidate sizes when it was not printed (the search then runs over all of
    them at once).  Returns the tables (columns ``a b c d or ci_low ci_high``,
    statistics computed with the same method) sorted by exposed size and ``a``;
    an empty frame means no table is consistent with what was printed.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if not 0 < cases < total:
        raise ValueError(f"need 0 < cases < total, got cases={cases}, total={total}")
    sizes = np.atleast_1d(np.asarray(list(exposed) if not np.isscalar(exposed) else [exposed], dtype=np.int64))
    if ((sizes <= 0) | (sizes >= total)).any():
        raise ValueError("every exposed group size must lie strictly between 0 and total")
    n_exposed = sizes[:, None]
    a = np.arange(cases + 1, dtype=np.int64)[None, :]
    b = n_exposed - a
    c = cases - a
    d = total - n_exposed - c
    possible = (b >= 0) & (d >= 0)
    correction = 0.5 if method == "woolf_haldane" else 0.0
    odds, low, high = woolf_interval(a, b, c, d, z=z, correction=correction)
    match = possible & rounds_to(odds, printed_or, decimals)
    match &= rounds_to(low, printed_ci[0], decimals) & rounds_to(high, printed_ci[1], decimals)
    rows, cols = np.nonzero(match)
    table = pd.DataFrame(
        {
            "a": a[0, cols], "b": b[rows, cols], "c": c[0, cols], "d": d[rows, cols],
            "or": odds[rows, cols], "ci_low": low[rows, cols], "ci_high": high[rows, cols],
        },
        columns=COLUMNS,
    )
    table = table.astype({k: "int64" for k in "abcd"})
    order = (table["a"] + table["b"]).to_numpy() * (cases + 1) + table["a"].to_numpy()
    return table.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


ALTERNATIVES = (
    ("Woolf, z = 1.96 (assumed)", "woolf", Z_TEXTBOOK),
    ("Woolf, exact z = 1.959964", "woolf", Z_EXACT),
    ("Woolf + 0.5 in every cell, z = 1.96", "woolf_haldane", Z_TEXTBOOK),
    ("Woolf + 0.5 in every cell, exact z", "woolf_haldane", Z_EXACT),
)


def compare_ci_methods(printed_or, printed_ci, *, total, cases, exposed, decimals=2) -> pd.DataFrame:
    """How the solution set changes under each CI method in :data:`ALTERNATIVES`.

    One row per method: the number of tables, and the range of ``a`` and of the
    exposed group size ``a + b`` over them.
    """
    rows = []
    for label, method, z in ALTERNATIVES:
        sol = reconstruct_two_by_two(
            printed_or, printed_ci, total=total, cases=cases, exposed=exposed, decimals=decimals, method=method, z=z
        )
        size = sol["a"] + sol["b"]
        rows.append(
            {
                "CI method": label,
                "tables": len(sol),
                "a from": int(sol["a"].min()) if len(sol) else None,
                "a to": int(sol["a"].max()) if len(sol) else None,
                "exposed from": int(size.min()) if len(sol) else None,
                "exposed to": int(size.max()) if len(sol) else None,
            }
        )
    return pd.DataFrame(rows)


def implied_prevalences(solutions: pd.DataFrame) -> pd.DataFrame:
    """For each table, the outcome percentage among the exposed and among the unexposed."""
    return solutions.assign(
        exposed_n=solutions["a"] + solutions["b"],
        exposed_pct=100 * solutions["a"] / (solutions["a"] + solutions["b"]),
        unexposed_pct=100 * solutions["c"] / (solutions["c"] + solutions["d"]),
    )


def solution_sets_alt(girls: pd.DataFrame, boarders_by_method: dict[str, pd.DataFrame], printed: dict) -> str:
    """Alt text for the solution-set figure, stating what each panel shows."""
    g = "; ".join(f"a = {r['a']} girls with NSSI" for r in girls.to_dict("records")) or "no table"
    parts = []
    for label, sol in boarders_by_method.items():
        size = sol["a"] + sol["b"]
        parts.append(f"{label}: {len(sol)} tables, {size.min():,}–{size.max():,} boarders" if len(sol) else f"{label}: none")
    return (f"Two panels. Left: the odds ratio for girls versus boys for every possible number of girls with NSSI; only "
            f"{g} lands on the printed {printed['girls'][0]} with the printed CI. Right: the boarder tables consistent with "
            f"OR {printed['boarders'][0]} ({printed['boarders'][1]}–{printed['boarders'][2]}), by number of boarders and boarders with NSSI. " + "; ".join(parts) + ".")


def solution_sets_figure(girls_grid: pd.DataFrame, girls: pd.DataFrame, boarders_by_method: dict[str, pd.DataFrame],
                       printed: dict, decimals: int = 2):
    """Left: OR against the girls' case count with the printed window; right: boarder solutions by CI method.

    ``printed`` maps ``"girls"`` and ``"boarders"`` to the printed (OR, CI low, CI high) strings.
    """
    from leftbehind.stats.granularity import printed_window

    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, PALETTE, legend_above

    # panels stacked, each the full width of a phone screen; legends above each panel, never over the points
    fig, (left, right) = plt.subplots(2, 1, figsize=(MAX_WIDTH_IN, 7.0))
    left.plot(girls_grid["a"], girls_grid["or"], color=OKABE_ITO["grey"], marker=".", linestyle="none")
    window = printed_window(float(printed["girls"][0]), decimals)
    left.axhspan(*window, color=OKABE_ITO["orange"], alpha=0.4, label=f"printed OR {printed['girls'][0]}")
    left.plot(girls["a"], girls["or"], color=OKABE_ITO["blue"], marker="o", linestyle="none", label="OR and CI match")
    left.set_xlabel("girls with NSSI (a)")
    left.set_ylabel("odds ratio, girls vs boys")
    legend_above(left, ncol=2)
    markers = ["o", "x", "s", "+"]
    for i, (label, sol) in enumerate(boarders_by_method.items()):
        right.scatter(sol["a"] + sol["b"], sol["a"], marker=markers[i % 4], color=PALETTE[i % len(PALETTE)],
                      facecolors="none" if markers[i % 4] in "os" else None, label=label, s=30)
    right.set_xlabel("boarders among the LBC (a + b)")
    right.set_ylabel("boarders with NSSI (a)")
    legend_above(right)
    fig.tight_layout(h_pad=2.5)
    return fig, solution_sets_alt(girls, boarders_by_method, printed)


def or_grid(total: int, cases: int, exposed: int, a_values) -> pd.DataFrame:
    """The Woolf OR and limits for each candidate ``a`` with one exposed group size (for plotting)."""
    a = np.asarray(list(a_values))
    odds, low, high = woolf_interval(a, exposed - a, cases - a, total - exposed - (cases - a))
    return pd.DataFrame({"a": a, "or": odds, "ci_low": low, "ci_high": high})


def split_at_largest_gap(solutions: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a solution set into two clusters at the largest jump in exposed group size (one if ≤ 1 table)."""
    if len(solutions) < 2:
        return [solutions]
    size = (solutions["a"] + solutions["b"]).to_numpy()
    cut = int(np.argmax(np.diff(size))) + 1
    return [solutions.iloc[:cut].reset_index(drop=True), solutions.iloc[cut:].reset_index(drop=True)]


# --- recovering counts from printed shares and a printed χ² -------------------------------------------------------

#: the Pearson χ² variants a paper may have printed for a 2×2 table
CHI2_VARIANTS = ("pearson", "yates")
#: refuse searches larger than this many candidate tables (each gets a scipy χ² call)
MAX_CANDIDATE_TABLES = 200_000


def _candidates(n: int, pct, decimals, name: str) -> list[int]:
    if n is None or int(n) != n or n <= 0:
        raise ValueError(f"{name}: group size must be a positive whole number, got {n!r}")
    if pct is None:
        return list(range(int(n) + 1))
    if decimals is None or int(decimals) != decimals or decimals < 0:
        raise ValueError(f"{name}: a printed percentage needs its number of decimals, got {decimals!r}")
    return consistent_numerators(float(pct), int(decimals), int(n))


def pearson_chi2(table, correction: bool) -> float:
    """Pearson's χ² of a 2×2 table with ``scipy.stats.chi2_contingency`` (``correction`` = Yates).

    scipy's Yates correction moves each observed count 0.5 towards its expected
    value, or less when they are closer than 0.5 (as R's ``chisq.test`` does).
    A table with an empty row or column has no χ² (``nan``).
    """
    table = np.asarray(table, dtype=float)
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return float("nan")
    return float(chi2_contingency(table, correction=correction)[0])


def tables_from_printed_shares(
    n_exposed: int,
    n_unexposed: int,
    pct_exposed: float | None = None,
    pct_unexposed: float | None = None,
    *,
    pct_decimals: int | tuple[int, int] | None = 1,
    chi2: float | None = None,
    chi2_decimals: int | None = None,
    variant: str | None = None,
) -> pd.DataFrame:
    """Every integer 2×2 table consistent with printed group sizes, percentages and a Pearson χ².

    ``n_exposed`` and ``n_unexposed`` are the printed group sizes;
    ``pct_exposed``/``pct_unexposed`` the printed percentages with the outcome
    (``None`` when not printed), at ``pct_decimals`` places (one number, or one
    per group).  ``chi2`` is the printed Pearson χ² at ``chi2_decimals``
    places; ``variant`` says whether it was computed ``"pearson"`` (no
    correction) or ``"yates"`` (continuity-corrected); ``None`` accepts either.

    Returns one row per candidate table whose percentages round to the printed
    ones: ``a`` exposed with the outcome, ``b`` exposed without, ``c``
    unexposed with, ``d`` unexposed without, both statistics
    (``chi2_pearson``, ``chi2_yates``), which of them round to the printed χ²
    (``pearson_matches``, ``yates_matches``) and ``consistent`` (fits every
    printed number under the allowed variant(s)).  Rows are sorted by ``a``
    then ``c``.  Without a printed χ², every candidate is consistent.
    """
    if variant is not None and variant not in CHI2_VARIANTS:
        raise ValueError(f"variant must be one of {CHI2_VARIANTS} or None, got {variant!r}")
    if chi2 is not None and (chi2_decimals is None or int(chi2_decimals) != chi2_decimals or chi2_decimals < 0):
        raise ValueError(f"a printed χ² needs its number of decimals, got {chi2_decimals!r}")
    if chi2 is not None and chi2 < 0:
        raise ValueError(f"a χ² statistic cannot be negative, got {chi2}")
    dec_exposed, dec_unexposed = pct_decimals if isinstance(pct_decimals, tuple) else (pct_decimals, pct_decimals)
    exposed = _candidates(n_exposed, pct_exposed, dec_exposed, "exposed")
    unexposed = _candidates(n_unexposed, pct_unexposed, dec_unexposed, "unexposed")
    if len(exposed) * len(unexposed) > MAX_CANDIDATE_TABLES:
        raise ValueError(f"{len(exposed) * len(unexposed):,} candidate tables: too many to test one by one; "
                         "give the printed percentages to narrow the search")
    rows = []
    for a in exposed:
        for c in unexposed:
            table = [[a, n_exposed - a], [c, n_unexposed - c]]
            rows.append((a, n_exposed - a, c, n_unexposed - c, pearson_chi2(table, False), pearson_chi2(table, True)))
    out = pd.DataFrame(rows, columns=["a", "b", "c", "d", "chi2_pearson", "chi2_yates"])
    out = out.astype({k: "int64" for k in "abcd"})
    if chi2 is None:
        out["pearson_matches"] = out["yates_matches"] = pd.array([pd.NA] * len(out), dtype="boolean")
        out["consistent"] = True
    else:
        out["pearson_matches"] = rounds_to(out["chi2_pearson"].to_numpy(), chi2, int(chi2_decimals))
        out["yates_matches"] = rounds_to(out["chi2_yates"].to_numpy(), chi2, int(chi2_decimals))
        allowed = {"pearson": out["pearson_matches"], "yates": out["yates_matches"],
                   None: out["pearson_matches"] | out["yates_matches"]}[variant]
        out["consistent"] = allowed.astype(bool)
    return out.sort_values(["a", "c"], kind="stable").reset_index(drop=True)

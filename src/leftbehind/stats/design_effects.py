"""Pupils in the same school are not independent: design-aware estimates.

The survey sampled whole schools (cluster sampling) but Table 7 was fitted as if
every pupil were an independent draw.  Pupils of one school share teachers,
catchment and local conditions, so their outcomes are correlated and the naive
standard errors are too small.  This module refits a chosen logistic model

* with **cluster-robust** (sandwich) standard errors by school
  (statsmodels ``Logit.fit(cov_type="cluster")``), same estimates, wider or
  narrower intervals;
* as a **GEE** with an exchangeable working correlation within schools
  (statsmodels ``GEE``, binomial family), population-averaged estimates;

and summarises the clustering of the outcome by the intra-class correlation
(ICC, one-way ANOVA estimator for a binary outcome) and the Kish design effect
``1 + (m - 1) ICC`` with ``m`` the size-weighted mean cluster size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit
from statsmodels.genmod.cov_struct import Exchangeable
from statsmodels.genmod.families import Binomial
from statsmodels.genmod.generalized_estimating_equations import GEE

Z95 = stats.norm.ppf(0.975)


def _with_constant(design: pd.DataFrame) -> pd.DataFrame:
    x = design.astype(float).copy()
    x.insert(0, "const", 1.0)
    return x


def _codes(groups) -> np.ndarray:
    return pd.factorize(pd.Series(groups).astype(str), sort=True)[0]


def naive_and_cluster_fits(design: pd.DataFrame, outcome, groups):
    """The same logistic model with model-based and with school-clustered standard errors."""
    x = _with_constant(design)
    y = np.asarray(outcome, dtype=float)
    naive = Logit(y, x).fit(method="newton", disp=0)
    robust = Logit(y, x).fit(method="newton", disp=0, cov_type="cluster", cov_kwds={"groups": _codes(groups)})
    return naive, robust


def gee_exchangeable(design: pd.DataFrame, outcome, groups):
    """Population-averaged logistic model (GEE, exchangeable correlation within school, robust SEs)."""
    x = _with_constant(design)
    y = np.asarray(outcome, dtype=float)
    model = GEE(y, x, groups=_codes(groups), family=Binomial(), cov_struct=Exchangeable())
    return model.fit(maxiter=100)


def _or_columns(prefix: str, params: pd.Series, bse: pd.Series) -> dict:
    return {
        f"or_{prefix}": np.exp(params),
        f"low_{prefix}": np.exp(params - Z95 * bse),
        f"high_{prefix}": np.exp(params + Z95 * bse),
        f"p_{prefix}": 2 * stats.norm.sf(np.abs(params / bse)),
    }


def compare_standard_errors(design: pd.DataFrame, outcome, groups, alpha: float = 0.05) -> pd.DataFrame:
    """Per term: OR with naive, cluster-robust and GEE 95 % CIs, SE ratio, and whether significance changes."""
    naive, robust = naive_and_cluster_fits(design, outcome, groups)
    gee = gee_exchangeable(design, outcome, groups)
    table = pd.DataFrame(
        {
            **_or_columns("naive", naive.params, naive.bse),
            **{k: v for k, v in _or_columns("robust", robust.params, robust.bse).items() if k != "or_robust"},
            **_or_columns("gee", gee.params, gee.bse),
        }
    )
    table["se_ratio"] = robust.bse / naive.bse
    table["significant_naive"] = table["p_naive"] < alpha
    table["significant_robust"] = table["p_robust"] < alpha
    table["significant_gee"] = table["p_gee"] < alpha
    table.index.name = "term"
    return table.drop(index="const")


def icc_anova(outcome, groups) -> float:
    """Intra-class correlation of a (binary) outcome by the one-way ANOVA estimator.

    ``ICC = (MSB - MSW) / (MSB + (n0 - 1) MSW)`` with ``n0 = (N - sum n_j^2 / N) / (J - 1)``
    (Donner 1986), truncated at 0.
    """
    y = pd.Series(np.asarray(outcome, dtype=float))
    g = pd.Series(_codes(groups))
    sizes = g.value_counts().sort_index().to_numpy(dtype=float)
    means = y.groupby(g).mean().sort_index().to_numpy()
    n, j = len(y), len(sizes)
    if j < 2:
        raise ValueError("the ICC needs at least two clusters")
    grand = y.mean()
    ss_between = float((sizes * (means - grand) ** 2).sum())
    ss_within = float(((y - y.groupby(g).transform("mean")) ** 2).sum())
    msb, msw = ss_between / (j - 1), ss_within / (n - j)
    n0 = (n - (sizes**2).sum() / n) / (j - 1)
    return max((msb - msw) / (msb + (n0 - 1) * msw), 0.0)


def design_effect(outcome, groups) -> dict[str, float]:
    """ICC, cluster count and sizes, and the Kish design effect ``1 + (m - 1) ICC``.

    ``m`` is the size-weighted mean cluster size ``sum n_j^2 / N``, which allows
    for unequal school sizes; ``effective_n = N / deff``.
    """
    g = pd.Series(_codes(groups))
    sizes = g.value_counts().to_numpy(dtype=float)
    n = float(sizes.sum())
    icc = icc_anova(outcome, groups)
    m = float((sizes**2).sum() / n)
    deff = 1.0 + (m - 1.0) * icc
    return {
        "clusters": int(len(sizes)),
        "n": int(n),
        "mean_cluster_size": n / len(sizes),
        "weighted_cluster_size": m,
        "icc": icc,
        "design_effect": deff,
        "effective_n": n / deff,
    }


def ci_comparison_figure(table: pd.DataFrame, names: dict[str, str] | None = None):
    """Forest plot: each term's OR with its naive, cluster-robust and GEE 95 % CIs.  Returns ``(fig, alt)``."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, legend_above, plain_log_axis, wrap

    names = names or {}
    styles = [("naive", "model-based (pupils independent)", OKABE_ITO["grey"], 0.22),
              ("robust", "cluster-robust by school", OKABE_ITO["blue"], 0.0),
              ("gee", "GEE, exchangeable within school", OKABE_ITO["orange"], -0.22)]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.5 * len(table) + 1.6))
    base = np.arange(len(table))[::-1]
    for key, label, colour, offset in styles:
        centre = table["or_gee"] if key == "gee" else table["or_naive"]
        ax.errorbar(centre, base + offset, xerr=[centre - table[f"low_{key}"], table[f"high_{key}"] - centre],
                    fmt="o", markersize=3, color=colour, label=label, capsize=2)
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8)
    plain_log_axis(ax)
    ax.set_yticks(base, [names.get(t, t) for t in table.index])
    ax.set_xlabel(wrap("odds ratio with 95 % confidence interval (log scale)", 40))
    legend_above(ax)
    widest = table["se_ratio"].idxmax()
    changed = [names.get(t, t) for t in table.index if table.loc[t, "significant_naive"] != table.loc[t, "significant_robust"]]
    alt = (f"Forest plot of {len(table)} odds ratios with three 95 % intervals each. Allowing for schools changes the "
           f"standard errors by a factor between {table['se_ratio'].min():.2f} and {table['se_ratio'].max():.2f} "
           f"(largest for {names.get(widest, widest)}). Terms whose significance at the 5 % level changes: "
           f"{', '.join(changed) or 'none'}.")
    return fig, alt


# ---------------------------------------------------------------------------
# Small-sample corrections and the noise of the SE ratio


def _cluster_members(groups) -> list[np.ndarray]:
    codes = _codes(groups)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return np.split(order, bounds)


def cr2_sandwich(x: np.ndarray, e: np.ndarray, groups) -> np.ndarray:
    """Bell–McCaffrey (CR2) cluster-robust covariance of a (weighted) least-squares fit.

    ``x`` is the (weighted) design and ``e`` the (weighted) residuals, so for
    ordinary least squares they are the design and residuals themselves and for
    a logistic model the IRLS working model ``W^1/2 X`` and ``(y - p) / W^1/2``
    (:func:`cr2_logit`).  With ``M = (X'X)^-1`` and ``H_gg = X_g M X_g'`` the
    covariance is ``M [sum_g X_g' A_g e_g e_g' A_g X_g] M`` with
    ``A_g = (I - H_gg)^-1/2`` (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018).
    ``A_g`` is applied through the eigen-decomposition of the rank-``p``
    matrix ``H_gg`` (a ``p x p`` problem), so clusters of thousands of pupils cost
    no more than small ones.  A cluster with ``H_gg`` eigenvalue 1 (a
    parameter identified by one cluster alone) has no CR2 correction and raises
    ``ValueError``.
    """
    x = np.asarray(x, dtype=float)
    e = np.asarray(e, dtype=float)
    m = np.linalg.inv(x.T @ x)
    chol = np.linalg.cholesky(m)
    meat = np.zeros_like(m)
    for rows in _cluster_members(groups):
        b, r = x[rows], e[rows]
        bl = b @ chol
        lam, vec = np.linalg.eigh(bl.T @ bl)  # eigenvalues of H_gg (the non-zero ones)
        keep = lam > 1e-12
        if np.any(lam[keep] > 1 - 1e-10):
            raise ValueError("a cluster determines a parameter on its own (leverage 1); CR2 is undefined")
        u = bl @ vec[:, keep] / np.sqrt(lam[keep])  # orthonormal eigenvectors of H_gg
        shrink = 1 / np.sqrt(1 - lam[keep]) - 1
        score = b.T @ r + (b.T @ u) @ (shrink * (u.T @ r))
        meat += np.outer(score, score)
    return m @ meat @ m


def cr2_logit(design: pd.DataFrame, outcome, groups) -> pd.DataFrame:
    """Logistic fit with CR2 (Bell–McCaffrey) cluster-robust standard errors and t(G - 1) tests.

    Returns per term ``b``, ``se_cr2`` and ``p_cr2`` (two-sided, Student t with
    ``G - 1`` degrees of freedom, ``G`` the number of clusters: a simple,
    conservative small-sample reference; Bell and McCaffrey's Satterthwaite
    degrees of freedom would usually be larger).
    """
    x = _with_constant(design)
    y = np.asarray(outcome, dtype=float)
    fit = Logit(y, x).fit(method="newton", disp=0)
    p = np.asarray(fit.predict(x), dtype=float)
    w = p * (1 - p)
    cov = cr2_sandwich(x.to_numpy() * np.sqrt(w)[:, None], (y - p) / np.sqrt(w), groups)
    se = np.sqrt(np.diag(cov))
    g = len(set(_codes(groups)))
    table = pd.DataFrame({"b": fit.params, "se_cr2": se}, index=x.columns)
    table["p_cr2"] = 2 * stats.t.sf(np.abs(table["b"] / table["se_cr2"]), df=g - 1)
    return table


def cluster_comparison(design: pd.DataFrame, outcome, clusterings: dict, alpha: float = 0.05) -> pd.DataFrame:
    """Standard errors of one logistic model under several clusterings, with small-sample corrections.

    ``clusterings`` maps a name (e.g. "school", "town") to the cluster labels.
    Returns one row per (clustering, term) with the naive SE, the cluster-robust
    SE of statsmodels (``cov_type="cluster"``, CR1), the CR2 SE
    (:func:`cr2_logit`), and the GEE (exchangeable) robust and Mancl–DeRouen
    bias-reduced SEs (statsmodels ``cov_type="bias_reduced"``); each corrected
    SE's ratio to the naive one; and whether each term is significant at
    ``alpha`` naively, with CR1 (normal reference, as statsmodels), with CR2 and
    with GEE Mancl–DeRouen (both against t with ``G - 1`` df).
    """
    rows = []
    for name, groups in clusterings.items():
        naive, robust = naive_and_cluster_fits(design, outcome, groups)
        cr2 = cr2_logit(design, outcome, groups)
        gee_model = GEE(np.asarray(outcome, dtype=float), _with_constant(design), groups=_codes(groups),
                        family=Binomial(), cov_struct=Exchangeable())
        # one GEE fit gives both covariances: the robust sandwich and Mancl-DeRouen's bias-reduced one
        gee_md = gee_model.fit(maxiter=100, cov_type="bias_reduced")
        se_gee = pd.Series(gee_md.standard_errors(cov_type="robust"), index=gee_md.params.index)
        g = len(set(_codes(groups)))
        table = pd.DataFrame({
            "clustering": name, "clusters": g, "b": naive.params, "se_naive": naive.bse, "se_cr1": robust.bse,
            "se_cr2": cr2["se_cr2"], "b_gee": gee_md.params, "se_gee": se_gee, "se_gee_md": gee_md.bse,
        })
        for column in ("cr1", "cr2", "gee", "gee_md"):
            table[f"ratio_{column}"] = table[f"se_{column}"] / table["se_naive"]
        table["significant_naive"] = naive.pvalues < alpha
        table["significant_cr1"] = robust.pvalues < alpha
        table["significant_cr2"] = cr2["p_cr2"] < alpha
        table["significant_gee_md"] = 2 * stats.t.sf(np.abs(table["b_gee"] / table["se_gee_md"]), df=g - 1) < alpha
        table.index.name = "term"
        rows.append(table.drop(index="const").reset_index())
    return pd.concat(rows, ignore_index=True)


def _logit_newton(x: np.ndarray, y: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ML logistic estimates and ``(X'WX)^-1`` (plain Newton; starts near the answer in simulations)."""
    from leftbehind.stats.fast_logit import fit_logit

    fit = fit_logit(x, y, start=start)
    return fit.params, np.linalg.inv(fit.information)


def cr1_covariance(x: np.ndarray, y: np.ndarray, beta: np.ndarray, bread: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The cluster-robust covariance statsmodels' ``Logit(cov_type="cluster")`` reports (CR1 correction)."""
    p = 1 / (1 + np.exp(-x @ beta))
    scores = x * (y - p)[:, None]
    g = codes.max() + 1
    totals = np.zeros((g, x.shape[1]))
    np.add.at(totals, codes, scores)
    n, k = x.shape
    correction = g / (g - 1) * (n - 1) / (n - k)
    return correction * bread @ (totals.T @ totals) @ bread


def se_ratio_noise(design: pd.DataFrame, outcome, school, clusterings: dict, school_sd: float,
                   n_sim: int = 400, seed: int = 2023) -> pd.DataFrame:
    """How much the robust/naive SE ratio varies by chance on this design.

    Fits the logistic model to ``outcome``, then ``n_sim`` times draws new
    outcomes from it with a school random intercept (normal, SD ``school_sd``
    on the log-odds scale) added, refits, and records for each clustering in
    ``clusterings`` (name -> labels) and each term the ratio of the CR1
    cluster-robust SE to the naive SE.  Returns a long table (``sim``,
    ``clustering``, ``term``, ``ratio``).  The design (schools, sizes, stage
    constant within school) is the real one; only outcomes are redrawn.
    """
    x_frame = _with_constant(design)
    x = x_frame.to_numpy()
    y = np.asarray(outcome, dtype=float)
    beta0, _ = _logit_newton(x, y, np.zeros(x.shape[1]))
    school_codes = _codes(school)
    codes = {name: _codes(groups) for name, groups in clusterings.items()}
    rng = np.random.default_rng(seed)
    eta = x @ beta0
    terms = list(x_frame.columns[1:])
    draws = []
    for _ in range(n_sim):  # the same random numbers, in the same order, as one simulation after another
        u = rng.normal(0.0, school_sd, size=school_codes.max() + 1)
        draws.append((rng.random(len(y)) < 1 / (1 + np.exp(-(eta + u[school_codes])))).astype(float))
    y_sims = np.column_stack(draws) if draws else np.zeros((len(y), 0))
    betas, breads = _logit_newton_many(x, y_sims, beta0)
    out = []
    for sim in range(n_sim):
        y_sim, beta, bread = y_sims[:, sim], betas[:, sim], breads[sim]
        naive = np.sqrt(np.diag(bread))[1:]
        for name, c in codes.items():
            robust = np.sqrt(np.diag(cr1_covariance(x, y_sim, beta, bread, c)))[1:]
            out.append(pd.DataFrame({"sim": sim, "clustering": name, "term": terms, "ratio": robust / naive}))
    return pd.concat(out, ignore_index=True)


def _logit_newton_many(x: np.ndarray, y: np.ndarray, start: np.ndarray, tol: float = 1e-10,
                       maxiter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """ML logistic fits of many outcome columns ``y`` (n x S) on one design, all at once.

    Newton-Raphson from ``start`` for every column together (one matrix product gives all S information
    matrices), to the same tolerance as :func:`leftbehind.stats.fast_logit.fit_logit`; a column that does not
    settle is refitted alone by ``fit_logit``.  Returns ``(k x S estimates, S x k x k inverse informations)``.
    """
    from leftbehind.stats.fast_logit import fit_logit

    n, k = x.shape
    sims = y.shape[1]
    outer = (x[:, :, None] * x[:, None, :]).reshape(n, k * k)
    beta = np.repeat(np.asarray(start, dtype=float)[:, None], sims, axis=1)
    active = np.arange(sims)
    for _ in range(maxiter):
        if not active.size:
            break
        p = 1 / (1 + np.exp(-(x @ beta[:, active])))
        grad = x.T @ (y[:, active] - p)
        info = ((p * (1 - p)).T @ outer).reshape(len(active), k, k)
        step = np.linalg.solve(info, grad.T[:, :, None])[:, :, 0].T
        beta[:, active] += step
        active = active[np.max(np.abs(step), axis=0) >= tol]
    for sim in active:  # did not settle: the one-at-a-time fit, with its step halving
        beta[:, sim] = fit_logit(x, y[:, sim], start=start).params
    p = 1 / (1 + np.exp(-(x @ beta)))
    breads = np.linalg.inv(((p * (1 - p)).T @ outer).reshape(sims, k, k))
    return beta, breads


def ratio_ranges(noise: pd.DataFrame, observed: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per clustering and term: the observed CR1/naive ratio and the central ``level`` range under pure chance.

    ``observed`` is :func:`cluster_comparison`'s table.  ``outside`` says whether
    the observed ratio falls outside the simulated range (a change the design's
    noise alone would rarely produce).
    """
    tail = (1 - level) / 2
    ranges = noise.groupby(["clustering", "term"], sort=False)["ratio"].quantile([tail, 1 - tail]).unstack()
    ranges.columns = ["sim_low", "sim_high"]
    table = observed.set_index(["clustering", "term"])[["ratio_cr1"]].join(ranges, how="left")
    table["outside"] = (table["ratio_cr1"] < table["sim_low"]) | (table["ratio_cr1"] > table["sim_high"])
    return table.reset_index()


def pooled_ratio_range(noise: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per clustering: the central ``level`` range of the simulated ratios over all terms together."""
    tail = (1 - level) / 2
    table = noise.groupby("clustering", sort=False)["ratio"].quantile([tail, 1 - tail]).unstack()
    table.columns = ["sim_low", "sim_high"]
    return table


def design_effect_direct(outcome, groups) -> dict[str, float]:
    """The design effect of a prevalence estimated directly: cluster-robust over simple-random-sampling variance.

    Both variances come from statsmodels: an intercept-only least-squares fit of
    the 0/1 outcome with ``cov_type="cluster"`` (the linearisation variance of a
    mean under cluster sampling, with statsmodels' small-sample factor) and with
    the ordinary variance ``s^2 / n``.  Unlike the Kish formula it makes no
    assumption of a common ICC or equal-sized clusters, but with few clusters it
    is itself imprecise.
    """
    from statsmodels.regression.linear_model import OLS

    y = np.asarray(outcome, dtype=float)
    const = np.ones((len(y), 1))
    srs = OLS(y, const).fit()
    clustered = OLS(y, const).fit(cov_type="cluster", cov_kwds={"groups": _codes(groups)})
    deff = float(clustered.bse[0] ** 2 / srs.bse[0] ** 2)
    return {"clusters": int(len(set(_codes(groups)))), "n": int(len(y)), "design_effect_direct": deff,
            "effective_n_direct": len(y) / deff}

"""Which conclusions depend on what *we* assumed?  Rerun the key results under other assumptions.

The synthetic cohort reproduces every number the paper prints, but everything
the paper does not print comes from our assumptions register
(``data/synthetic/assumptions.csv``): how strongly coping relates to NSSI, how
much schools differ, how common NSSI is among non-left-behind pupils, and so
on.  A conclusion drawn from the cohort that only holds for one value of an
unprinted assumption is a conclusion about our assumption, not about the
children.  This module regenerates the cohort with one register value changed
(:data:`SCENARIOS`), runs it through the same pipeline, and recomputes a fixed
set of key results (:func:`key_results`), so the book can show which results
move.

Overrides are passed to the generator as ``{register id: new value}``; values
keep the register's ``;``-separated format.  :func:`scaled_value` derives a
new value from the register's own (e.g. "half the coping effects"), so no
assumption is retyped here.  Results are cached on disk under
``_build/cache/sensitivity/`` keyed by the register, the overrides, the seed and
the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from leftbehind.paper.report import synthetic_analysis
from leftbehind.yingshan.synthetic import DEFAULT_SEED

#: The seed of the book's canonical synthetic cohort.
COHORT_SEED = DEFAULT_SEED  # the book's cohort: the generator's default seed
#: Table 7 and Table 8 variables the paper retains (for "agrees with the paper").
PAPER_TABLE7 = {"gender", "stage", "family", "problem_solving", "social_support", "patience", "venting"}
PAPER_TABLE8 = {"problem_solving", "patience"}


# ---------------------------------------------------------------------------
# the cohort under other assumptions


def register() -> pd.DataFrame:
    """The assumptions register (as the generator reads it)."""
    from leftbehind.yingshan.synthetic import load_assumptions

    return load_assumptions()


def scaled_value(assumption_id: str, factor: float, keep: tuple[int, ...] = ()) -> str:
    """The register value of ``assumption_id`` with every component multiplied by ``factor``.

    Components at positions in ``keep`` are left unchanged (e.g. a printed rate
    the generator must reproduce).  Returns the register's ``;``-separated text.
    """
    values = [float(v) for v in str(register().loc[assumption_id, "value"]).split(";")]
    new = [v if i in keep else v * factor + 0.0 for i, v in enumerate(values)]  # + 0.0 turns -0.0 into 0.0
    return ";".join(f"{v:.6g}" for v in new)


def simulate_with_overrides(seed: int = COHORT_SEED, overrides: dict[str, str] | None = None) -> pd.DataFrame:
    """The synthetic raw export with some register values replaced (the generator's ``overrides``)."""
    from leftbehind.yingshan.synthetic import simulate_raw

    return simulate_raw(seed=seed, overrides=overrides)


def subsample(analysis: pd.DataFrame, n: int | None, seed: int) -> pd.DataFrame:
    """A simple random sample of ``n`` pupils (all of them if ``n`` is None or too large), in original order."""
    if n is None or n >= len(analysis):
        return analysis
    if n < 1:
        raise ValueError("the sample size must be at least 1")
    rows = np.sort(np.random.default_rng(seed).choice(len(analysis), size=n, replace=False))
    return analysis.iloc[rows].reset_index(drop=True)


# ---------------------------------------------------------------------------
# key results


def retained_fast(data: pd.DataFrame, outcome: str, p_remove: float) -> list[str] | None:
    """Variables kept by the backward elimination (fast path; same rule as :mod:`leftbehind.stats.stepwise`).

    ``None`` when the full model cannot be fitted (a category absent from the
    rows, or separation), which happens in small samples.
    """
    from leftbehind.stats.bootstrap_selection import backward_fast, selection_problem
    from leftbehind.stats.fast_logit import ConvergenceError
    from leftbehind.paper.models import design_matrix

    design, blocks = design_matrix(data.reset_index(drop=True))
    problem = selection_problem(design, pd.to_numeric(data[outcome]).to_numpy(dtype=float), blocks)
    try:
        return backward_fast(problem, p_remove=p_remove).retained
    except (ConvergenceError, np.linalg.LinAlgError):
        return None


def key_results(analysis: pd.DataFrame, p_remove: float = 0.10) -> dict:
    """The headline results the book draws from the cohort, as one flat dict.

    NSSI prevalence among LBC and NLBC and their chi-square p; Table 7 and 8
    retained variables (``*_as_paper``: every variable the paper retains is
    among them; ``*_extra``: retained variables the paper does not list); how many
    of the nine Table 5 coping comparisons (LBC vs NLBC) have p < 0.05; the
    school ICC and design effect of NSSI among LBC.
    """
    from leftbehind.stats.design_effects import design_effect
    from leftbehind.paper.tables import table5_coping

    lbc_mask = analysis["lbc"].astype(bool)
    nssi = pd.to_numeric(analysis["nssi"])
    lbc, nlbc = analysis[lbc_mask], analysis[~lbc_mask]
    counts = np.array([[nssi[lbc_mask].sum(), (1 - nssi[lbc_mask]).sum()], [nssi[~lbc_mask].sum(), (1 - nssi[~lbc_mask]).sum()]])
    chi2 = stats.chi2_contingency(counts, correction=False)
    cases = lbc[pd.to_numeric(lbc["nssi"]) == 1]
    t7 = retained_fast(lbc, "nssi", p_remove)
    t8 = retained_fast(cases, "professional", p_remove)
    coping = table5_coping(analysis)["lbc_vs_nlbc"].tests
    clustering = design_effect(pd.to_numeric(lbc["nssi"]), lbc["school_id"])
    return {
        "n": int(len(analysis)),
        "lbc_n": int(len(lbc)),
        "nssi_lbc_pct": float(100 * nssi[lbc_mask].mean()),
        "nssi_nlbc_pct": float(100 * nssi[~lbc_mask].mean()) if len(nlbc) else float("nan"),
        "nssi_lbc_vs_nlbc_p": float(chi2.pvalue),
        "table7_fitted": t7 is not None,
        "table7_retained": t7 or [],
        "table7_as_paper": t7 is not None and PAPER_TABLE7 <= set(t7),
        "table7_extra": sorted(set(t7 or []) - PAPER_TABLE7),
        "table8_fitted": t8 is not None,
        "table8_retained": t8 or [],
        "table8_as_paper": t8 is not None and PAPER_TABLE8 <= set(t8),
        "table8_extra": sorted(set(t8 or []) - PAPER_TABLE8),
        "coping_differences_significant": int((coping["p"] < 0.05).sum()),
        "coping_comparisons": int(len(coping)),
        "icc_nssi_lbc": float(clustering["icc"]),
        "design_effect_nssi_lbc": float(clustering["design_effect"]),
    }


# ---------------------------------------------------------------------------
# scenarios


@dataclass
class Scenario:
    """One alternative assumption: a label, the register ids changed and how."""

    key: str
    label: str
    changes: dict[str, tuple[float, tuple[int, ...]]] = field(default_factory=dict)  # id -> (factor, kept positions)

    def overrides(self) -> dict[str, str]:
        return {aid: scaled_value(aid, factor, keep) for aid, (factor, keep) in self.changes.items()}


SCENARIOS = [
    Scenario("baseline", "Book's assumptions"),
    Scenario("no_school_effect", "No school effect on NSSI", {"school_effect_sd": (0.0, ())}),
    Scenario("double_school_effect", "School effect doubled", {"school_effect_sd": (2.0, ())}),
    Scenario("coping_effects_halved", "Coping-NSSI effects halved", {"nssi_coping_log_or": (0.5, ())}),
    Scenario("family_effects_weaker", "Family-structure effects weakened (odds ratios x 0.6)", {"nssi_family_or": (0.6, ())}),
    Scenario("no_lbc_coping_shift", "No LBC-NLBC coping difference", {"coping_lbc_shift": (0.0, ())}),
    Scenario("help_effects_halved", "Coping-professional help effects halved", {"professional_log_or": (0.5, ())}),
    Scenario("nlbc_prevalence_higher", "NLBC prevalence raised (primary and senior rates x 1.5; junior kept at the printed rate)",
             {"nssi_nlbc_stage_rates": (1.5, (1,))}),
    Scenario("nulls_left_to_chance", "Other candidates' chance associations left alone (no null balancing)",
             {"null_balance_max_z": (float("inf"), ())}),
]


def _scenario_results(args) -> dict:
    seed, overrides, p_remove = args
    return key_results(synthetic_analysis(seed, overrides), p_remove)


def run_scenarios(scenarios: list[Scenario] | None = None, seed: int = COHORT_SEED, p_remove: float = 0.10,
                  cache: bool = True, progress=None, workers: int = 1) -> pd.DataFrame:
    """Key results under each scenario, one row per scenario (cached on disk).

    ``workers`` > 1 computes the scenarios not yet cached in that many processes (each scenario is deterministic
    and independent of the others, so the table is the same).
    """
    from leftbehind.core.cache import cache_path, write_atomically

    scenarios = SCENARIOS if scenarios is None else scenarios
    tasks = [(seed, scenario.overrides(), p_remove) for scenario in scenarios]
    paths = [cache_path("sensitivity", [overrides, seed, p_remove], ".pkl") if cache else None
             for _, overrides, _ in tasks]
    results: dict[int, dict] = {}
    for i, path in enumerate(paths):
        if path is not None and path.exists():
            results[i] = pd.read_pickle(path)
    missing = [i for i in range(len(tasks)) if i not in results]
    if workers > 1 and len(missing) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            computed = dict(zip(missing, pool.map(_scenario_results, [tasks[i] for i in missing])))
    else:
        computed = {i: _scenario_results(tasks[i]) for i in missing}
    for i, result in computed.items():
        results[i] = result
        if paths[i] is not None:
            write_atomically(paths[i], lambda tmp, result=result: pd.to_pickle(result, tmp))
    rows = []
    for i, scenario in enumerate(scenarios):
        overrides = tasks[i][1]
        rows.append({"scenario": scenario.key, "label": scenario.label,
                     "changed": ", ".join(f"{k} = {v}" for k, v in overrides.items()) or "(none)", **results[i]})
        if progress:
            progress(i + 1, len(scenarios))
    return pd.DataFrame(rows).set_index("scenario")


def conclusions_table(results: pd.DataFrame) -> pd.DataFrame:
    """Readable yes/no view: does each headline conclusion hold under each scenario?"""
    return pd.DataFrame(
        {
            "assumption changed": results["label"],
            "NSSI higher in LBC (p < 0.05)": np.where(
                (results["nssi_lbc_pct"] > results["nssi_nlbc_pct"]) & (results["nssi_lbc_vs_nlbc_p"] < 0.05), "yes", "no"),
            "Table 7 keeps the paper's variables": np.where(results["table7_as_paper"], "yes", "no"),
            "Table 7 also keeps": [", ".join(x) or "-" for x in results["table7_extra"]],
            "Table 8 keeps the paper's variables": np.where(results["table8_as_paper"], "yes", "no"),
            "Table 8 also keeps": [", ".join(x) or "-" for x in results["table8_extra"]],
            "coping differences p < 0.05": results["coping_differences_significant"].astype(int).astype(str)
            + " of " + results["coping_comparisons"].astype(int).astype(str),
            "design effect (NSSI, LBC)": results["design_effect_nssi_lbc"].round(2),
        }
    )


# ---------------------------------------------------------------------------
# the "what if" notebook and command


@dataclass
class WhatIf:
    """Parameters a student can change (the what-if notebook's parameters cell and ``whatif`` options)."""

    seed: int = COHORT_SEED
    n: int | None = None  # pupils drawn from the analysed cohort; None = all
    coping_scale: float = 1.0  # multiplies the register's coping-NSSI log odds ratios
    threshold: float = 0.10  # removal p of the backward elimination
    overrides: dict[str, str] = field(default_factory=dict)  # any other register id -> value

    def all_overrides(self) -> dict[str, str]:
        out = dict(self.overrides)
        if self.coping_scale != 1.0 and "nssi_coping_log_or" not in out:
            out["nssi_coping_log_or"] = scaled_value("nssi_coping_log_or", self.coping_scale)
        return out

    def validate(self) -> None:
        from leftbehind.core.errors import UserError

        if not 0 < self.threshold < 1:
            raise UserError(f"threshold must be between 0 and 1 (a p-value), got {self.threshold}")
        if self.n is not None and self.n < 200:
            raise UserError(f"sample size must be at least 200 pupils so the models can be fitted, got {self.n}")
        if self.coping_scale < 0:
            raise UserError(f"coping scale must be 0 or more, got {self.coping_scale}")
        unknown = [k for k in self.overrides if k not in register().index]
        if unknown:
            raise UserError(f"data/synthetic/assumptions.csv: no assumption with id {', '.join(unknown)} "
                            f"(list them with: whatif --list)")
        for key, value in self.overrides.items():
            current = str(register().loc[key, "value"]).split(";")
            parts = str(value).split(";")
            try:
                [float(part) for part in parts]
            except ValueError:
                shape = "a number" if len(current) == 1 else f"{len(current)} numbers separated by ';'"
                raise UserError(f"--set {key}={value}: the value must be {shape} "
                                f"(current value {';'.join(current)})") from None
            if len(parts) != len(current):
                raise UserError(f"--set {key}={value}: expected {len(current)} number(s) separated by ';' "
                                f"(current value {';'.join(current)}), got {len(parts)}")


def why_not_fitted(analysis: pd.DataFrame, results: dict) -> dict[str, list[str]]:
    """For Tables 7 and 8 when the full model could not be fitted in the sample: the reasons, in words."""
    from leftbehind.paper.models import estimability_problems

    lbc = analysis[analysis["lbc"].astype(bool)]
    groups = {"table7": (lbc, "nssi", "LBC"),
              "table8": (lbc[pd.to_numeric(lbc["nssi"]) == 1], "professional", "LBC with NSSI")}
    out = {}
    for table, (data, outcome, group) in groups.items():
        if results[f"{table}_fitted"]:
            continue
        problems = estimability_problems(data.reset_index(drop=True), outcome, group)
        out[table] = [p.detail for p in problems] or ["the fit did not converge (separation by a coping score?)"]
    return out


def assumptions_listing() -> pd.DataFrame:
    """The ``--set`` ids with their meaning and current values (the what-if command's ``--list``)."""
    table = register().reset_index()
    return table[["id", "value", "assumption"]].rename(columns={"value": "current value", "assumption": "meaning"})


def final_model_table(data: pd.DataFrame, outcome: str, retained: list[str]) -> pd.DataFrame:
    """OR and 95 % CI of the final model with the ``retained`` variables (statsmodels Logit)."""
    from statsmodels.discrete.discrete_model import Logit

    from leftbehind.paper.models import design_matrix

    design, blocks = design_matrix(data.reset_index(drop=True))
    columns = [c for v in retained for c in blocks[v]]
    x = design[columns].astype(float)
    x.insert(0, "const", 1.0)
    fit = Logit(pd.to_numeric(data[outcome]).to_numpy(dtype=float), x).fit(method="newton", disp=0)
    ci = np.exp(fit.conf_int())
    table = pd.DataFrame({"or": np.exp(fit.params), "ci_low": ci[0], "ci_high": ci[1], "p": fit.pvalues})
    table.index.name = "term"
    return table.drop(index="const")


def what_if(params: WhatIf) -> dict:
    """Generate the cohort under ``params``, draw the sample and recompute the key results.

    Returns ``{"parameters": ..., "results": key_results(...), "table7": DataFrame}``.
    """
    from leftbehind.core.errors import UserError

    params.validate()
    try:
        cohort = synthetic_analysis(params.seed, params.all_overrides())
    except (ValueError, ZeroDivisionError, FloatingPointError) as err:
        changed = ", ".join(f"{k}={v}" for k, v in params.all_overrides().items())
        raise UserError(f"the generator cannot produce a cohort with {changed}: {err}") from None
    if params.n is not None and params.n > len(cohort):
        raise UserError(
            f"--n {params.n:,}: the generator writes one cohort calibrated to the paper's counts, and {len(cohort):,} "
            f"of its pupils are analysed after the exclusions; --n draws a random sample from those pupils, so it "
            f"can be at most {len(cohort):,} (leave --n out to analyse all of them)"
        )
    analysis = subsample(cohort, params.n, params.seed)
    results = key_results(analysis, params.threshold)
    lbc = analysis[analysis["lbc"].astype(bool)]
    return {
        "not_estimable": why_not_fitted(analysis, results),
        "parameters": {"seed": params.seed, "n": params.n, "coping_scale": params.coping_scale,
                       "threshold": params.threshold, "overrides": params.all_overrides()},
        "results": results,
        "table7": final_model_table(lbc, "nssi", results["table7_retained"]) if results["table7_fitted"] else None,
    }


def what_if_figure(table7: pd.DataFrame | None):
    """(figure, alt text): forest plot of the what-if Table 7 (OR and 95 % CI); a figure saying so when no term is kept."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, plain_log_axis
    from leftbehind.paper.models import TERM_NAMES

    if table7 is None or not len(table7):
        message = "No Table 7 terms to plot with these parameters."
        fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 1.2))
        ax.set_axis_off()
        ax.text(0.5, 0.5, message, ha="center", va="center")
        return fig, message
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.42 * len(table7) + 1.2))
    y = np.arange(len(table7))[::-1]
    ax.errorbar(table7["or"], y, xerr=[table7["or"] - table7["ci_low"], table7["ci_high"] - table7["or"]], fmt="o",
                color=OKABE_ITO["blue"], capsize=2)
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8)
    plain_log_axis(ax)
    ax.set_yticks(y, [TERM_NAMES.get(t, t) for t in table7.index])
    ax.set_xlabel("odds ratio with 95 % CI (log scale)")
    above = [TERM_NAMES.get(t, t) for t in table7.index if table7.loc[t, "ci_low"] > 1]
    below = [TERM_NAMES.get(t, t) for t in table7.index if table7.loc[t, "ci_high"] < 1]
    alt = (f"Forest plot of the {len(table7)} terms kept in Table 7 with these parameters. Interval entirely above 1: "
           f"{', '.join(above) or 'none'}. Entirely below 1: {', '.join(below) or 'none'}.")
    return fig, alt

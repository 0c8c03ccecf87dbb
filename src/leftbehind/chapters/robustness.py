"""The robustness chapter's computation: every glued fact, table and figure input, from one call.

``notebooks/robustness.md`` is narrative plus thin calls: it calls :func:`robustness_chapter` once and glues
``chapter.facts(section)`` section by section, showing the tables and figures this module prepares.  Each section
is its own small function, so tests can check it on a small cohort; the wording that depends on a result comes
from :mod:`leftbehind.presentation.wording`.

Sections (keys of :attr:`RobustnessChapter.facts`):

``clustering``     school and town clustering of Table 7's final model (ICC, design effects, SE ratios);
``noise``          CR2 / Mancl-DeRouen corrections and how much the SE ratio varies by chance (a simulation);
``selection7``     the bootstrap of Table 7's whole backward elimination;
``lasso``          the order of entry on the lasso path beside the elimination;
``table8``         Table 8's few events: Firth estimates, penalised-likelihood-ratio p, and its bootstrap;
``multiplicity``   Holm and Benjamini-Hochberg adjustment of Tables 5 and 6;
``scenarios``      the headline results under other assumptions, and what survives every check;
``construction``   the same checks on the cohort with chance associations left alone.

Heavy results are cached on disk (:mod:`leftbehind.core.cache`), keyed by the code, the data and the parameters.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.core.cache import cached_pickle
from leftbehind.paper.construction import (NULLS_LEFT_TO_CHANCE, comparison_table, firth_block_pvalues,
                                           help_share_gap, null_pvalue_summary, selection_checks)
from leftbehind.paper.cohort import Cohort
from leftbehind.paper.models import TERM_NAMES, VARIABLE_NAMES
from leftbehind.paper.sensitivity import (PAPER_TABLE7, PAPER_TABLE8, conclusions_table, run_scenarios,
                                          synthetic_analysis)
from leftbehind.paper.tables import table5_coping, table6_coping_nssi_help
from leftbehind.presentation import wording as claims
from leftbehind.stats import bootstrap_selection as bs
from leftbehind.stats.design_effects import (cluster_comparison, compare_standard_errors, design_effect,
                                             design_effect_direct, pooled_ratio_range, ratio_ranges, se_ratio_noise)
from leftbehind.stats.multiplicity import add_adjusted_pvalues, significance_counts
from leftbehind.stats.penalised import events_per_variable, firth_logit, l1_entry_order, l1_path
from leftbehind.yingshan.synthetic import assumption_values, load_assumptions, town_of_school

#: Simulated outcome sets for the noise of the SE ratio.
N_SIM = 200
#: Bootstrap resamples on the cohort with chance associations left alone (fewer than the book's, to build quickly).
N_BOOT_CHANCE = 200
#: Points on the lasso path.
N_ALPHAS = 15


def term_name(term: str) -> str:
    return TERM_NAMES.get(term, term)


def clustering_section(cohort: Cohort) -> tuple[dict, pd.DataFrame]:
    """Clustering by school and town: ICC, Kish and direct design effects, naive vs cluster-robust vs GEE."""
    lbc = cohort.lbc
    clustered = compare_standard_errors(cohort.design7[cohort.final_columns], cohort.y7, cohort.school)
    clustering = design_effect(cohort.y7, cohort.school)
    changed = clustered["significant_naive"] != clustered["significant_robust"]
    town = town_of_school(cohort.school)
    direct_school = design_effect_direct(cohort.y7, cohort.school)
    by_town = design_effect(cohort.y7, town)
    direct_town = design_effect_direct(cohort.y7, town)
    facts = {
        "n_schools": clustering["clusters"], "icc": clustering["icc"], "deff": clustering["design_effect"],
        "weighted_cluster": clustering["weighted_cluster_size"], "effective_n": clustering["effective_n"],
        "lbc_n": len(lbc), "se_ratio_min": clustered["se_ratio"].min(), "se_ratio_max": clustered["se_ratio"].max(),
        "n_terms_final": len(clustered),
        "changed_terms": ", ".join(term_name(t) for t in clustered.index[changed]) or "none",
        "deff_direct": direct_school["design_effect_direct"],
        "effective_n_direct": direct_school["effective_n_direct"],
        "n_towns": by_town["clusters"], "deff_town": by_town["design_effect"],
        "deff_direct_town": direct_town["design_effect_direct"],
    }
    return facts, clustered


def noise_section(cohort: Cohort, n_sim: int = N_SIM) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """CR2 and Mancl-DeRouen corrections by school and town, and the SE ratio's range under chance alone."""
    clusterings = {"school": cohort.school, "town": town_of_school(cohort.school)}
    school_sd = float(assumption_values(load_assumptions())["school_effect_sd"][0])
    x = cohort.design7[cohort.final_columns]
    checks = cached_pickle(
        "robustness_design_checks", [cohort.key, "table7-final", n_sim, school_sd],
        lambda: {"comparison": cluster_comparison(x, cohort.y7, clusterings),
                 "noise": se_ratio_noise(x, cohort.y7, cohort.school, clusterings, school_sd, n_sim=n_sim)})
    by_cluster = checks["comparison"]
    pooled = pooled_ratio_range(checks["noise"])
    ranges = ratio_ranges(checks["noise"], by_cluster)
    facts: dict[str, object] = {"n_sim": n_sim, "school_sd": school_sd}
    for name in ("school", "town"):
        rows = by_cluster[by_cluster["clustering"] == name]
        facts[f"ratio_min_{name}"] = rows["ratio_cr1"].min()
        facts[f"ratio_max_{name}"] = rows["ratio_cr1"].max()
        facts[f"sim_low_{name}"] = pooled.loc[name, "sim_low"]
        facts[f"sim_high_{name}"] = pooled.loc[name, "sim_high"]
        outside = ranges[(ranges["clustering"] == name) & ranges["outside"]]["term"]
        facts[f"noise_claim_{name}"] = claims.ratio_noise_claim([term_name(t) for t in outside], len(rows), name)
        for key, column, method in (("cr2", "significant_cr2", f"CR2 standard errors by {name} and a t reference"),
                                    ("md", "significant_gee_md", f"GEE by {name} with the Mancl–DeRouen correction")):
            lost = rows.loc[rows["significant_naive"] & ~rows[column], "term"]
            facts[f"sig_claim_{key}_{name}"] = claims.significance_change_claim([term_name(t) for t in lost], method)
    facts["noise_conclusion"] = claims.noise_conclusion(int(ranges["outside"].sum()))
    named = by_cluster.assign(term=by_cluster["term"].map(term_name))
    table = named[["clustering", "clusters", "term", "ratio_cr1", "ratio_cr2", "ratio_gee", "ratio_gee_md",
                   "significant_naive", "significant_cr2", "significant_gee_md"]].merge(
        ranges.assign(term=ranges["term"].map(term_name))[["clustering", "term", "sim_low", "sim_high"]],
        on=["clustering", "term"]).round(2)
    return facts, by_cluster, table


def selection7_section(cohort: Cohort, boot7: bs.BootstrapSelection) -> dict:
    """How stable Table 7's selection is over bootstrap resamples, and how it compares with the paper."""
    names = VARIABLE_NAMES
    table7 = cohort.table7
    retention7 = boot7.retention()
    unstable7 = retention7[(retention7 > 0.2) & (retention7 < 0.8)]
    top_models = boot7.model_frequencies(top=5)
    extra7 = [names[v] for v in table7["retained"] if v not in PAPER_TABLE7]
    missing7 = [names[v] for v in sorted(PAPER_TABLE7) if v not in table7["retained"]]
    return {
        "n_boot": boot7.n_boot,
        "n_candidates": len(cohort.blocks),
        "n_boot_ok7": boot7.n_ok,
        "n_always7": int((retention7 >= 0.995).sum()),
        "always7": ", ".join(names[v] for v in retention7.index[retention7 >= 0.995]) or "none",
        "unstable7": ", ".join(f"{names[v]} ({100 * s:.0f} %)" for v, s in unstable7.items()) or "none",
        "top_model_share": 100 * top_models["share"].iloc[0],
        "n_distinct_models": int(pd.Series(map(tuple, boot7.retained[~boot7.failed])).nunique()),
        "full_sample_vs_paper": (
            ("all of the paper's variables" if not missing7
             else f"not all of the paper's variables (missing: {', '.join(missing7)})")
            + (f", plus {', '.join(extra7)}, which the paper does not list" if extra7 else " and no others")),
        "full_sample_retained": ", ".join(names[v] for v in table7["retained"]),
    }


def retention_percent(summary: pd.DataFrame) -> pd.DataFrame:
    """The bootstrap summary with the share of resamples retaining each term as a percentage, first."""
    percent = (100 * summary["retained_share"]).rename("retained_percent")
    return pd.concat([percent, summary.drop(columns="retained_share")], axis=1)


def lasso_section(cohort: Cohort, retention7: pd.Series) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The order of entry on the lasso path, beside the bootstrap and the full-sample elimination."""
    retained = cohort.table7["retained"]
    entry = l1_entry_order(l1_path(cohort.design7, cohort.y7, n_alphas=N_ALPHAS), cohort.blocks)
    comparison = pd.DataFrame({
        "variable": [VARIABLE_NAMES[v] for v in entry.index],
        "lasso entry rank": entry["entry_rank"].to_numpy(),
        "% bootstrap retained": (100 * retention7.loc[entry.index]).round(1).to_numpy(),
        "retained on full sample": ["yes" if v in retained else "no" for v in entry.index],
    }).sort_values(["lasso entry rank", "% bootstrap retained"], ascending=[True, False]).reset_index(drop=True)
    first_entries = entry.index[entry["entry_rank"] <= len(retained)]
    facts = {"lasso_agreement": claims.lasso_agreement(len(set(first_entries) & set(retained)), len(first_entries),
                                                       len(retained))}
    return facts, comparison, entry


def table8_section(cohort: Cohort, boot8: bs.BootstrapSelection) -> tuple[dict, pd.DataFrame]:
    """Table 8's few events: events per variable, Firth's estimates and penalised-LR p, and its bootstrap."""
    cases, table8, blocks, names = cohort.cases, cohort.table8, cohort.blocks, VARIABLE_NAMES
    epv = events_per_variable(cohort.y8, table8["candidate_parameters"])
    firth_fit = firth_logit(cohort.design8, cohort.y8)
    firth = cached_pickle("robustness_firth_table8", [cohort.key, "full_table", 0.95], firth_fit.full_table)
    retention8 = boot8.retention()
    others8 = retention8.drop(index=table8["retained"])
    facts: dict[str, object] = {
        "cases_n": len(cases), "events8": epv["events"], "params8": epv["parameters"], "epv8": epv["epv"],
        "failed8": int(boot8.failed.sum()), "failed8_pct": 100 * boot8.failed.mean(),
        "retained8": ", ".join(names[v] for v in table8["retained"]),
        "retained8_min": 100 * retention8.loc[table8["retained"]].min(),
        "other8_max_name": names[others8.idxmax()], "other8_max": 100 * others8.max(),
    }
    firth_sig = firth.drop(index="const")
    for kind in ("plr", "wald"):
        facts[f"firth_sig_{kind}"] = claims.names_list(
            [term_name(t) for t in firth_sig.index[firth_sig[f"p_{kind}"] < 0.05]])
    nulls8 = [v for v in blocks if v not in PAPER_TABLE8]
    null8 = null_pvalue_summary(firth_block_pvalues(firth_fit, {v: blocks[v] for v in nulls8}), nulls8)
    facts["null8_k"] = null8["k"]
    facts["null8_min_p"] = null8["min_p"]
    facts["null8_one_in"] = float(f"{1 / null8['chance_all_above']:.2g}")  # two significant digits: a yardstick
    return facts, firth


def multiplicity_section(analysis: pd.DataFrame) -> tuple[dict, pd.DataFrame, dict]:
    """Holm and Benjamini-Hochberg adjustment of the coping comparisons of Tables 5 and 6."""
    coping_tests = pd.concat(
        [t.tests.assign(table=name) for name, t in {**table5_coping(analysis), **table6_coping_nssi_help(analysis)}.items()],
        ignore_index=True,
    )
    adjusted = add_adjusted_pvalues(coping_tests[["table", "comparison", "difference", "p"]], family="table")
    counts = significance_counts(adjusted)
    facts = {f"mult_{key}": value for key, value in counts.items()}
    facts["n_families"] = coping_tests["table"].nunique()
    return facts, adjusted, counts


def scenarios_section(scenarios: pd.DataFrame, cohort: Cohort, clustered: pd.DataFrame, by_cluster: pd.DataFrame,
                      retention7: pd.Series, counts: dict) -> dict:
    """Which conclusions change under other assumptions, and which of Table 7's variables survive every check."""
    table7, blocks = cohort.table7, cohort.blocks
    fragile = {"7": scenarios.index[~scenarios["table7_as_paper"].astype(bool)],
               "8": scenarios.index[~scenarios["table8_as_paper"].astype(bool)]}
    facts: dict[str, object] = {"n_scenarios": len(scenarios) - 1}
    for number, rows in fragile.items():
        facts[f"t{number}_fragile"] = (
            f"Table {number} keeps all of the paper's variables under every one of them" if rows.empty else
            f"Table {number} stops keeping all of the paper's variables when we assume: "
            + "; ".join(scenarios.loc[rows, "label"].str.lower()))
    headline_lost = scenarios.index[scenarios["nssi_lbc_vs_nlbc_p"] >= 0.05]
    facts["headline_fragile"] = (
        "The headline comparison, left-behind children more often reporting NSSI than other pupils, holds under every "
        "scenario" if headline_lost.empty else
        "The headline comparison, left-behind children more often reporting NSSI than other pupils, is no longer "
        "significant under the scenario: " + "; ".join(scenarios.loc[headline_lost, "label"])
        + ". The paper never prints the NLBC rate, so this comparison rests on our assumption, not on its numbers")
    facts["deff_min"] = scenarios["design_effect_nssi_lbc"].min()
    facts["deff_max"] = scenarios["design_effect_nssi_lbc"].max()
    facts["deff_no_school"] = scenarios.loc["no_school_effect", "design_effect_nssi_lbc"]
    town_cr2 = by_cluster[by_cluster["clustering"] == "town"].set_index("term")["significant_cr2"]
    robust_everywhere = clustered.index[
        clustered[["significant_naive", "significant_robust", "significant_gee"]].all(axis=1)
        & town_cr2.reindex(clustered.index, fill_value=False).to_numpy(dtype=bool)
    ]
    survivors = [v for v in table7["retained"]
                 if retention7[v] >= 0.995 and all(c in robust_everywhere for c in blocks[v])
                 and all(v in r for r in scenarios["table7_retained"])]
    facts["survivors"] = claims.names_list([VARIABLE_NAMES[v] for v in survivors])
    facts["survivors_lead"] = claims.survivors_lead(len(survivors))
    facts["n_survivors"] = len(survivors)
    facts["multiplicity_lead"], facts["multiplicity_text"] = claims.multiplicity_claim(
        counts["raw"], counts["holm"], counts["bh"])
    return facts


def construction_section(cohort: Cohort, boot7, boot8, entry7: pd.DataFrame, n_boot_chance: int = N_BOOT_CHANCE,
                         workers: int = 2) -> tuple[dict, pd.DataFrame]:
    """The selection checks on the book's cohort and on the same cohort with chance associations left alone."""
    register = load_assumptions()
    chance_analysis = synthetic_analysis(overrides=NULLS_LEFT_TO_CHANCE)
    chance_lbc = Cohort.from_analysis(chance_analysis).lbc
    checks = {
        "book's cohort (nulls balanced)": cached_pickle(
            "robustness_checks_book", [cohort.key, boot7.n_boot],
            lambda: selection_checks(cohort.lbc, PAPER_TABLE7, PAPER_TABLE8, boot7.n_boot, boot7=boot7, boot8=boot8,
                                     entry7=entry7)),
        "nulls left to chance": cached_pickle(
            "robustness_checks_chance", [n_boot_chance],
            lambda: selection_checks(chance_lbc, PAPER_TABLE7, PAPER_TABLE8, n_boot_chance, workers=workers)),
    }
    facts: dict[str, object] = {
        "balance_max_z": float(register.loc["null_balance_max_z", "value"]),
        "help_gap": help_share_gap(cohort.analysis)["max_gap_points"],
        "n_boot_chance": n_boot_chance,
    }
    chance, names = checks["nulls left to chance"], VARIABLE_NAMES
    for number in ("7", "8"):
        facts[f"chance_t{number}_phrase"] = claims.extras_phrase([names[v] for v in chance[f"t{number}_extra"]],
                                                                 [names[v] for v in chance[f"t{number}_missing"]])
        facts[f"chance_t{number}_below"] = claims.share_of(chance[f"t{number}_null_below_05"], chance[f"t{number}_null_k"])
        facts[f"chance_t{number}_min_p"] = chance[f"t{number}_null_min_p"]
        facts[f"chance_t{number}_max_incl"] = 100 * chance[f"t{number}_null_max_inclusion"]
        facts[f"chance_t{number}_max_incl_name"] = names[chance[f"t{number}_null_max_inclusion_variable"]]
    facts["chance_lasso"] = claims.share_of(chance["t7_lasso_agree"], chance["t7_lasso_first"])
    return facts, comparison_table(checks, names)


class RobustnessChapter:
    """Everything the chapter shows, each section computed when first asked for (so a notebook cell computes
    only its own section, as the chapter is read).

    ``facts(section)`` returns a section's glued facts, ``table(name)`` a prepared table; ``boot7``/``boot8`` are
    the bootstraps of Tables 7 and 8.  :attr:`all_facts` computes every section.
    """

    SECTIONS = ("clustering", "noise", "selection7", "lasso", "table8", "multiplicity", "scenarios", "construction")

    def __init__(self, cohort: Cohort, n_boot: int = bs.N_BOOT, workers: int = 2, n_sim: int = N_SIM,
                 n_boot_chance: int = N_BOOT_CHANCE, scenarios: pd.DataFrame | None = None):
        self.cohort, self.n_boot, self.workers, self.n_sim, self.n_boot_chance = (
            cohort, n_boot, workers, n_sim, n_boot_chance)
        self._scenarios = scenarios
        self._facts: dict[str, dict] = {}
        self._tables: dict[str, pd.DataFrame] = {}
        self._extra: dict[str, object] = {}

    # the pieces, each computed once
    def _section(self, name: str) -> None:
        if name in self._facts:
            return
        cohort = self.cohort
        if name == "clustering":
            self._facts[name], self._tables["clustered"] = clustering_section(cohort)
        elif name == "noise":
            self._facts[name], self._extra["by_cluster"], self._tables["by_cluster"] = noise_section(cohort, self.n_sim)
        elif name == "selection7":
            self._facts[name] = selection7_section(cohort, self.boot7)
            self._tables["summary7"] = retention_percent(self.boot7.odds_ratio_summary()).rename(index=TERM_NAMES)
        elif name == "lasso":
            self._facts[name], self._tables["lasso"], self._extra["entry7"] = lasso_section(
                cohort, self.boot7.retention())
        elif name == "table8":
            self._facts[name], self._tables["firth"] = table8_section(cohort, self.boot8)
        elif name == "multiplicity":
            self._facts[name], self._tables["adjusted"], self._extra["counts"] = multiplicity_section(cohort.analysis)
        elif name == "scenarios":
            scenarios = run_scenarios(workers=self.workers) if self._scenarios is None else self._scenarios
            self._tables["conclusions"] = conclusions_table(scenarios)
            self._facts[name] = scenarios_section(scenarios, cohort, self.table("clustered"), self._get("by_cluster"),
                                                  self.boot7.retention(), self._get("counts"))
        elif name == "construction":
            self._facts[name], self._tables["construction"] = construction_section(
                cohort, self.boot7, self.boot8, self._get("entry7"), self.n_boot_chance, self.workers)
        else:
            raise KeyError(f"no section {name!r}; sections: {', '.join(self.SECTIONS)}")

    _MADE_BY = {"clustered": "clustering", "by_cluster": "noise", "summary7": "selection7", "lasso": "lasso",
                "entry7": "lasso", "firth": "table8", "adjusted": "multiplicity", "counts": "multiplicity",
                "conclusions": "scenarios", "construction": "construction"}

    def _get(self, name: str):
        self._section(self._MADE_BY[name])
        return self._tables[name] if name in self._tables else self._extra[name]

    def facts(self, section: str) -> Facts:
        """The glued facts of one section, in the order the chapter glues them (``.glue_onto(page)``)."""
        self._section(section)
        return Facts(values=dict(self._facts[section]))

    def table(self, name: str) -> pd.DataFrame:
        """A prepared table: clustered, by_cluster, summary7, lasso, firth, adjusted, conclusions, construction."""
        return self._get(name)

    @property
    def all_facts(self) -> dict[str, dict[str, object]]:
        return {section: self.facts(section).values for section in self.SECTIONS}

    @cached_property
    def boot7(self) -> bs.BootstrapSelection:
        problem = bs.selection_problem(self.cohort.design7, self.cohort.y7, self.cohort.blocks)
        return bs.cached_bootstrap(problem, n_boot=self.n_boot, workers=self.workers)

    @cached_property
    def boot8(self) -> bs.BootstrapSelection:
        problem = bs.selection_problem(self.cohort.design8, self.cohort.y8, self.cohort.blocks)
        return bs.cached_bootstrap(problem, n_boot=self.n_boot, workers=self.workers)


def robustness_chapter(analysis: pd.DataFrame | None = None, n_boot: int = bs.N_BOOT, workers: int = 2,
                       n_sim: int = N_SIM, n_boot_chance: int = N_BOOT_CHANCE,
                       scenarios: pd.DataFrame | None = None) -> RobustnessChapter:
    """The chapter on ``analysis`` (default: the book's synthetic cohort); sections are computed when asked for.

    ``scenarios`` defaults to :func:`run_scenarios` (tests pass a smaller table); ``workers`` processes share the
    bootstraps and the scenarios.
    """
    analysis = synthetic_analysis() if analysis is None else analysis
    return RobustnessChapter(Cohort.from_analysis(analysis), n_boot, workers, n_sim, n_boot_chance, scenarios)


"""The chapter "Where the survey sits among other studies": every fact its prose states and the frames it shows.

Study rows are published (``data/published/evidence_*.csv``, ``zheng2025.csv``); intervals, pooled estimates and
recovered counts are derived.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.audit.reconstruction import tables_from_printed_shares
from leftbehind.chapters.facts import Facts
from leftbehind.context import evidence as ev
from leftbehind.core.provenance import load_published
from leftbehind.presentation.glue import source_of


def _or_words(values) -> str:
    return ev.join_labels([str(v) for v in sorted(set(values))]).replace(" and ", " or ")


def _studies(facts: Facts, table: pd.DataFrame, once: pd.DataFrame, prevalence: pd.DataFrame) -> None:
    facts.add("n_rows", len(table))
    facts.add("n_once", len(once))
    n_duplicates = len(table) - len(once)
    facts.add("n_duplicates", n_duplicates)
    facts.add("duplicates_verb", "re-reports" if n_duplicates == 1 else "re-report")
    for construct in ("self_harm", "single_item"):
        facts.add(f"labels_{construct}", ev.join_labels(once.loc[once["construct"] == construct, "label"]))
    facts.add("n_with_lbc_prevalence", len(prevalence))
    rows = table.set_index("study_id")
    by_id = prevalence.set_index("study_id")
    facts.add("yong_pct", rows.loc["yong2023", "prev_lbc_pct"], tier="published", source=source_of(rows.loc["yong2023"]))
    facts.add("yong_lo", float(by_id.loc["yong2023", "ci_low_pct"]))
    facts.add("yong_hi", float(by_id.loc["yong2023", "ci_high_pct"]))
    facts.add("yong_n", int(by_id.loc["yong2023", "n"]))
    nssi = prevalence[prevalence["construct"] == "nssi"].sort_values("estimate_pct")
    facts.add("yong_rank", "the lowest" if nssi["study_id"].iloc[0] == "yong2023" else "not the lowest")
    facts.add("nssi_max_label", nssi["label"].iloc[-1])
    facts.add("nssi_max_pct", float(nssi["estimate_pct"].iloc[-1]))
    highest = prevalence.loc[prevalence["estimate_pct"].idxmax()]
    facts.add("overall_min_pct", float(prevalence["estimate_pct"].min()))
    facts.add("overall_max_pct", float(highest["estimate_pct"]))
    facts.add("overall_max_label", highest["label"])
    facts.add("overall_max_construct", ev.CONSTRUCTS[highest["construct"]])
    facts.add("n_excluded", int((once["includable_in_pooled_or"] == "no").sum()))


def _pooled(facts: Facts, effects: pd.DataFrame, pooled, pooled_dl, by_construct: dict, loo: pd.DataFrame) -> None:
    nssi_effects = effects[effects["construct"] == "nssi"]
    facts.add("k_all", ev.count_word(len(effects)))
    facts.add("construct_breakdown", ev.construct_breakdown(effects))
    facts.add("k", pooled.k)
    facts.add("k_words", ev.count_word(pooled.k))
    for key, value in (("pooled_or", pooled.odds_ratio), ("hksj_lo", pooled.hksj_ci_low), ("hksj_hi", pooled.hksj_ci_high),
                       ("hksj_adhoc_lo", pooled.hksj_adhoc_ci_low), ("hksj_adhoc_hi", pooled.hksj_adhoc_ci_high),
                       ("hksj_scale", pooled.hksj_scale), ("pooled_q", pooled.q), ("pooled_q_df", pooled.q_df),
                       ("pooled_q_p", pooled.q_pvalue), ("pooled_i2", 100 * pooled.i2),
                       ("dl_or", pooled_dl.odds_ratio), ("dl_lo", pooled_dl.ci_low), ("dl_hi", pooled_dl.ci_high),
                       ("dl_tau2", pooled_dl.tau2)):
        facts.add(key, value)
    facts.add("scale_side", "below" if pooled.hksj_scale < 1 else "at or above")
    facts.add("pooled_q_df_unit", "degree" if pooled.q_df == 1 else "degrees")
    facts.add("nssi_labels", ev.join_labels(nssi_effects["label"]))
    facts.add("nssi_statement", ev.small_k_statement(nssi_effects, pooled))
    facts.add("self_harm_statement", ev.small_k_statement(effects[effects["construct"] == "self_harm"],
                                                          by_construct.get("self_harm")))
    facts.add("loo_text", "; ".join(f"without {r['left out']}, OR {r['odds_ratio']:.2f} ({r['ci_low']:.2f} to "
                                    f"{r['ci_high']:.2f}, k = {r['k']})" for _, r in loo.iterrows()))
    facts.add("loo_note", "With two studies, leaving one out leaves a single study: this shows how much the pooled "
              "figure depends on which study is in it, not that it is robust." if pooled.k == 2
              else "This shows how much the pooled figure depends on any one study.")
    facts.add("children_statement", ev.restricted_statement(nssi_effects))
    derived = effects[effects["counts_derived"]]
    facts.add("n_derived_words", f"All {ev.count_word(len(effects))}" if len(derived) == len(effects)
              else f"{ev.count_word(len(derived)).capitalize()} of the {ev.count_word(len(effects))}")


def _zheng(facts: Facts, zheng: pd.DataFrame, pooled) -> None:
    z = {key: float(zheng.loc[key, "value"]) for key in zheng.index}
    for key in ("k_studies", "n_participants", "pooled_i2_pct", "sensitivity_i2_pct"):
        facts.add(f"zheng_{key}", int(z[key]), tier="published", source=source_of(zheng.loc[key]))
    for key in ("pooled_or", "pooled_or_ci_low", "pooled_or_ci_high", "sensitivity_or", "sensitivity_or_ci_low",
                "sensitivity_or_ci_high"):
        facts.add(f"zheng_{key}", z[key], tier="published", source=source_of(zheng.loc[key]))
    inside = z["pooled_or_ci_low"] <= pooled.odds_ratio <= z["pooled_or_ci_high"]
    facts.add("inside_zheng", "inside" if inside else "outside")
    wider = pooled.hksj_ci_high / pooled.hksj_ci_low > z["pooled_or_ci_high"] / z["pooled_or_ci_low"]
    facts.add("zheng_comparison", f"wider than theirs, so our {ev.count_word(pooled.k)} studies add little to what "
              f"their {int(z['k_studies'])} already say" if wider else "no wider than theirs")


def _zhou(facts: Facts, table: pd.DataFrame, effects: pd.DataFrame) -> None:
    """Zhou et al. 2022: the counts behind the printed percentages and χ²."""
    zhou = table.set_index("study_id").loc["zhou2022"]
    candidates = tables_from_printed_shares(
        int(zhou["n_lbc"]), int(zhou["n_nlbc"]), float(zhou["prev_lbc_pct"]), float(zhou["prev_nlbc_pct"]),
        pct_decimals=(int(zhou["prev_lbc_decimals"]), int(zhou["prev_nlbc_decimals"])),
        chi2=float(zhou["chi2_printed"]), chi2_decimals=int(zhou["chi2_decimals"]))
    fit = candidates[candidates["consistent"]]
    source = source_of(zhou)
    for key, column in (("zhou_n_lbc", "n_lbc"), ("zhou_n_nlbc", "n_nlbc")):
        facts.add(key, int(zhou[column]), tier="published", source=source)
    for key, column in (("zhou_pct_lbc", "prev_lbc_pct"), ("zhou_pct_nlbc", "prev_nlbc_pct"), ("zhou_chi2", "chi2_printed")):
        facts.add(key, zhou[column], tier="published", source=source)
    facts.add("zhou_lbc_options", _or_words(candidates["a"]))
    facts.add("zhou_nlbc_options", _or_words(candidates["c"]))
    facts.add("zhou_n_candidates", len(candidates))
    facts.add("zhou_n_fit", ev.count_word(len(fit)))
    facts.add("zhou_fit", ev.join_labels([f"{r.a}/{r.c}" for r in fit.itertuples()]))
    facts.add("zhou_fit_chi2", float(fit["chi2_pearson"].iloc[0]) if len(fit) else float("nan"))
    others = candidates[~candidates["consistent"]]
    nearest = others.assign(gap=(others["chi2_pearson"] - float(zhou["chi2_printed"])).abs()).sort_values("gap").iloc[0]
    facts.add("zhou_next", f"{int(nearest['a'])}/{int(nearest['c'])}")
    facts.add("zhou_next_chi2", float(nearest["chi2_pearson"]))
    facts.add("zhou_yates", f"none of the {ev.count_word(len(candidates))}" if not candidates["yates_matches"].any()
              else "some")
    odds = effects.set_index("study_id").loc["zhou2022"]
    facts.add("zhou_or", float(odds["odds_ratio"]))
    facts.add("zhou_lo", float(odds["ci_low"]))
    facts.add("zhou_hi", float(odds["ci_high"]))


def _recovery(facts: Facts, recovered: pd.DataFrame) -> None:
    outcome = recovered["outcome"]
    facts.add("recovery_cannot", ev.join_labels(list(recovered.index[outcome == "cannot_help"])))
    facts.add("recovery_unique", ev.join_labels(list(recovered.index[outcome.isin(["unique", "recovered"])])))
    misfit = int((outcome == "misfit").sum())
    facts.add("recovery_misfit", "No row's counts contradict" if misfit == 0 else f"{misfit} rows' counts contradict")


def chapter_facts(table: pd.DataFrame | None = None, zheng: pd.DataFrame | None = None) -> Facts:
    """Everything the evidence chapter glues and shows (``table``: the living evidence table, default the book's)."""
    table = ev.load_evidence() if table is None else table
    zheng = load_published("zheng2025") if zheng is None else zheng
    facts = Facts()
    once = ev.counted_once(table)
    prevalence = ev.lbc_prevalence(table)
    effects = ev.study_odds_ratios(table)
    nssi_effects = effects[effects["construct"] == "nssi"]
    pooled = ev.pool_odds_ratios(nssi_effects, method="pm")
    pooled_dl = ev.pool_odds_ratios(nssi_effects, method="dl")
    loo = ev.leave_one_out(nssi_effects)
    recovered = ev.recover_counts(table)
    _studies(facts, table, once, prevalence)
    _pooled(facts, effects, pooled, pooled_dl, ev.pool_by_construct(effects), loo)
    _zheng(facts, zheng, pooled)
    _zhou(facts, table, effects)
    _recovery(facts, recovered)
    facts.tables.update({"evidence": table, "prevalence": prevalence, "effects": effects, "loo": loo,
                         "forest": ev.forest_rows(effects, pooled, zheng), "recovered": recovered.drop(columns="outcome")})
    facts.results["pooled"] = pooled
    return facts

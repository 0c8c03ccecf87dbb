"""The chapter "Auditing the numbers": every fact its prose states and every table it shows, from the paper alone.

All inputs are published (``data/published/yong2023.csv``); everything computed from them is derived.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.audit import reconstruction as rc
from leftbehind.audit import scorecard as audit
from leftbehind.chapters.facts import Facts
from leftbehind.stats.granularity import printed_window
from leftbehind.stats.prevalence import prevalence_table

#: Published numbers the prose quotes: glue key -> (provenance key, quoted exactly as printed?)
QUOTED = {
    "nssi_lbc_n": ("nssi_lbc_n", False), "lbc_n": ("lbc_n", False), "prev_printed": ("nssi_lbc_pct", True),
    "lbc_age_limit": ("lbc_age_limit", False), "rural_printed": ("lbc_rural_pct", True),
    "disc_prof_printed": ("disc_professional_help_pct", True), "prof_printed": ("help_professional_pct", True),
    **{key: (key, True) for key in ("or_girls_vs_boys", "or_girls_vs_boys_ci_low", "or_girls_vs_boys_ci_high",
                                    "or_boarder", "or_boarder_ci_low", "or_boarder_ci_high")},
    "lbc_girls_n": ("lbc_girls_n", False), "lbc_boys_n": ("lbc_boys_n", False),
    "valid_methods": ("valid_methods", False), "analysed": ("analysed", False),
    "county_first": ("nssi_county_first_pct", True), "county_second": ("nssi_county_second_pct", True),
    "junior_lbc": ("nssi_junior_lbc_pct", True), "junior_nlbc": ("nssi_junior_nlbc_pct", True),
    "age_mean": ("age_mean", True), "age_sd": ("age_sd", True), "age_min": ("age_min", False),
    "age_max": ("age_max", False),
}


def not_checkable_counts(card: pd.DataFrame) -> dict[str, int]:
    """Why numbers are not checkable, counted from the audit's own lists (never from the wording of a reason)."""
    out = card[card["status"] == "not_checkable"]
    p_values = int(out["key"].isin(list(audit.UNCHECKABLE_P)).sum())
    design = int(out["key"].isin(list(audit.UNCHECKABLE_FACTS)).sum())
    return {"p_values": p_values, "design_facts": design, "cited": len(out) - p_values - design}


def _prevalence(facts: Facts, published: pd.DataFrame, n) -> pd.DataFrame:
    prev = prevalence_table(n("nssi_lbc_n"), n("lbc_n")).set_index("method")
    facts.add("prev_exact", float(prev["percent"].iloc[0]))
    window = printed_window(float(published.loc["nssi_lbc_pct", "value"]), int(published.loc["nssi_lbc_pct", "decimals"]))
    facts.add("window_low", window[0])
    facts.add("window_high", window[1])
    for label, tag in (("Wilson score", "wilson"), ("Clopper–Pearson (exact)", "cp")):
        facts.add(f"{tag}_low", float(prev.loc[label, "ci_low_percent"]))
        facts.add(f"{tag}_high", float(prev.loc[label, "ci_high_percent"]))
    return prev


def _granularity(facts: Facts, published: pd.DataFrame, n) -> tuple[pd.DataFrame, pd.DataFrame]:
    gran = audit.granularity_table(published)
    facts.add("rural_n_fits", int(gran.loc["lbc_rural_pct", "numerators that fit"]))
    facts.add("rural_low", int(gran.loc["lbc_rural_pct", "smallest"]))
    facts.add("rural_high", int(gran.loc["lbc_rural_pct", "largest"]))
    help_counts = audit.help_seeking_counts(published)
    total = int(help_counts["count"].sum())
    facts.add("help_total", total)
    facts.add("granularity_verdict", audit.granularity_verdict(gran))
    unique = int(help_counts["count"].notna().sum())
    facts.add("help_unique", "each fit exactly one count" if unique == len(help_counts)
              else f"fit exactly one count in {unique} cases of {len(help_counts)}")
    facts.add("help_sum_note", "as they must" if total == n("nssi_lbc_n") else f"not the {n('nssi_lbc_n')} they should")
    facts.add("disc_prof_fits", int(gran.loc["disc_professional_help_pct", "numerators that fit"]))
    return gran, help_counts


def _reconstructions(facts: Facts, published: pd.DataFrame, found: dict, n, printed) -> dict[str, pd.DataFrame]:
    girls = rc.implied_prevalences(found["reconstructions"]["girls_vs_boys"])
    for cell in "abcd":
        facts.add(f"girls_{cell}", int(girls.loc[0, cell]))
    for stat in ("or", "ci_low", "ci_high"):
        facts.add(f"girls_{stat}", float(girls.loc[0, stat]))
    facts.add("girls_pct", float(girls.loc[0, "exposed_pct"]))
    facts.add("boys_pct", float(girls.loc[0, "unexposed_pct"]))

    boarders = rc.implied_prevalences(found["reconstructions"]["boarders_vs_nonboarders"])
    facts.add("boarder_tables", len(boarders))
    for i, cluster in enumerate(rc.split_at_largest_gap(boarders)):
        facts.add(f"cl{i}_tables", len(cluster))
        facts.add(f"cl{i}_size_low", int(cluster["exposed_n"].min()))
        facts.add(f"cl{i}_size_high", int(cluster["exposed_n"].max()))
        facts.add(f"cl{i}_share_low", float(100 * cluster["exposed_n"].min() / n("lbc_n")))
        facts.add(f"cl{i}_share_high", float(100 * cluster["exposed_n"].max() / n("lbc_n")))
        for stat, column in (("prev", "exposed_pct"), ("non", "unexposed_pct")):
            facts.add(f"cl{i}_{stat}_low", float(cluster[column].min()))
            facts.add(f"cl{i}_{stat}_high", float(cluster[column].max()))

    spec = audit.reconstruction_specs(published)
    interval = lambda key: (float(printed(f"{key}_ci_low")), float(printed(f"{key}_ci_high")))  # noqa: E731
    methods_girls = rc.compare_ci_methods(float(printed("or_girls_vs_boys")), interval("or_girls_vs_boys"),
                                          total=n("lbc_n"), cases=n("nssi_lbc_n"), exposed=n("lbc_girls_n"))
    methods_boarders = rc.compare_ci_methods(float(printed("or_boarder")), interval("or_boarder"), total=n("lbc_n"),
                                             cases=n("nssi_lbc_n"), exposed=spec["boarders_vs_nonboarders"]["exposed"])
    facts.add("z_exact", rc.Z_EXACT)
    facts.add("z_textbook", rc.Z_TEXTBOOK)
    facts.add("boarders_exact_tables", int(methods_boarders.loc[1, "tables"]))
    facts.add("boarders_haldane_tables", int(methods_boarders.loc[2, "tables"]))
    haldane = int(methods_girls.loc[2, "tables"])
    facts.add("girls_haldane_text", "no table fits, so that variant cannot have produced the printed interval"
              if haldane == 0 else f"{haldane} tables fit")
    same = (methods_girls.loc[0, ["tables", "a from", "a to"]] == methods_girls.loc[1, ["tables", "a from", "a to"]]).all()
    facts.add("girls_exact_same", "is the same" if same else "differs")
    return {"girls": girls, "boarders": boarders, "methods_girls": methods_girls, "methods_boarders": methods_boarders}


def _checks(facts: Facts, published: pd.DataFrame, found: dict, printed) -> pd.DataFrame:
    checks = audit.consistency_checks(published, found)
    facts.add("n_checks", len(checks))
    facts.add("n_warn", int((checks["status"] == "⚠").sum()))
    for key in ("gap", "nlbc_n", "nlbc_threshold", "nlbc_threshold_pct", "max_sd", "mix_mean", "mix_sd"):
        facts.add(key, found[key])
    facts.add("county_min_n", found["county_min_nlbc_if_lbc_is_second"])
    facts.add("age_verdict", "pass" if float(printed("age_sd")) <= found["max_sd"] else "fail")
    return checks


def _scorecard(facts: Facts, published: pd.DataFrame, found: dict) -> pd.DataFrame:
    card = audit.scorecard(published, found)
    counts = card["status"].value_counts()
    facts.add("n_numbers", len(card))
    for status in audit.STATUSES:
        facts.add(f"n_{status}", int(counts.get(status, 0)))
    why = not_checkable_counts(card)
    facts.add("n_nc_cited", why["cited"])
    facts.add("n_nc_p", why["p_values"])
    facts.add("n_nc_other", why["design_facts"])
    facts.add("n_flagged_old", int(counts.get("flagged", 0)) + sum(why.values()))
    return card


def chapter_facts(published: pd.DataFrame) -> Facts:
    """Everything "Auditing the numbers" glues and shows, from the paper's provenance table."""
    facts = Facts()
    for glue_key, (key, as_text) in QUOTED.items():
        facts.add_printed(key, glue_key=glue_key, as_text=as_text)
    n = lambda key: int(published.loc[key, "value"])  # noqa: E731
    printed = lambda key: published.loc[key, "printed"]  # noqa: E731
    found = audit.audit_facts(published)
    facts.tables["prevalence"] = _prevalence(facts, published, n)
    facts.tables["granularity"], facts.tables["help_counts"] = _granularity(facts, published, n)
    facts.tables.update(_reconstructions(facts, published, found, n, printed))
    facts.tables["checks"] = _checks(facts, published, found, printed)
    facts.tables["scorecard"] = _scorecard(facts, published, found)
    return facts

"""The chapter "Who are the left-behind children?": every fact its prose states and the frames it shows.

The paper's Tables 1 and 2 are rebuilt from the analysis dataset (default: the book's **synthetic** cohort, the
page's tier) by :func:`leftbehind.paper.report.build_tables`; the paper's own statements come from
``data/published/yong2023_claims.csv``.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.paper.claims import load_claims
from leftbehind.paper.quoted_cells import lbc_age_by_boarding, table1_quoted
from leftbehind.paper.report import agreement_counts, build_tables, disagreements, p_text, synthetic_analysis
from leftbehind.presentation.glue import source_of


def _table1(facts: Facts, analysis: pd.DataFrame, cells1: pd.DataFrame, t1: pd.DataFrame) -> None:
    facts.add("n_lbc", int(analysis["lbc"].sum()))
    facts.add("n_nlbc", int((~analysis["lbc"]).sum()))
    quoted = table1_quoted(cells1)
    for key in ("rural_lbc_pct", "senior_lbc_pct", "senior_nlbc_pct"):
        facts.add(key, quoted[key])
    tests1 = t1.set_index("comparison")
    facts.add("p_stage", p_text(tests1.loc["t1:stage", "p"]))
    facts.add("p_family", p_text(tests1.loc["t1:family", "p"]))
    for key in ("age_lbc", "age_lbc_sd", "age_nlbc"):
        facts.add(key, quoted[key])
    facts.add("p_age", p_text(tests1.loc["t1:age", "p"]))


def _table2(facts: Facts, analysis: pd.DataFrame, cells2: pd.DataFrame, t2: pd.DataFrame,
            claims: pd.DataFrame) -> None:
    overall = cells2.iloc[0]
    for key in ("lbc_pct", "lbc_ci_low", "lbc_ci_high", "nlbc_pct", "nlbc_ci_low", "nlbc_ci_high"):
        facts.add(f"prev_{key}", float(overall[key]))
    facts.add("prev_lbc_cases", int(overall["lbc_cases"]))
    tests2 = t2.set_index("comparison")
    facts.add("p_overall", p_text(tests2.loc["t2:overall:lbc_vs_nlbc", "p"]))
    for prefix, comparison in (("girls_", "t2:gender:within_lbc"), ("boarder_", "t2:boarder:within_lbc")):
        for key in ("odds_ratio", "or_ci_low", "or_ci_high"):
            facts.add(f"{prefix}{key}", float(tests2.loc[comparison, key]))
    ages = lbc_age_by_boarding(analysis)
    facts.add("age_boarders", ages["boarders"])
    facts.add("age_day", ages["day"])
    for key, claim in (("paper_or_girls", "t2_gender_lbc"), ("paper_or_boarder", "t2_boarder_lbc")):
        facts.add(key, claims.loc[claim, "significance_printed"], tier="published", source=source_of(claims.loc[claim]))
    facts.add("county_note", claims.loc["t2_county_vs", "note"])


def _agreement(facts: Facts, t1: pd.DataFrame, t2: pd.DataFrame) -> None:
    for name, tests in (("t1", t1), ("t2", t2)):
        counts = agreement_counts(tests)
        facts.add(f"{name}_agree", counts["agree"])
        facts.add(f"{name}_claimed", counts["claimed"])
        facts.add(f"{name}_disagreements", disagreements(tests))


def chapter_facts(analysis: pd.DataFrame | None = None, claims: pd.DataFrame | None = None) -> Facts:
    """Everything the chapter glues and shows, from ``analysis`` (default: the book's synthetic cohort).

    ``claims`` is the paper's claims table indexed by ``claim_id`` (default: ``load_claims()``); the tables carry
    the claims :func:`build_tables` attaches. Tables: ``cells1``/``cells2`` (the rebuilt Tables 1 and 2) and
    ``tests1``/``tests2`` (their comparisons beside the paper's claims).
    """
    analysis = synthetic_analysis() if analysis is None else analysis
    claims = load_claims().set_index("claim_id") if claims is None else claims
    built = build_tables(analysis)
    t1, t2 = built["tests"]["table1"], built["tests"]["table2"]
    cells1, cells2 = built["cells"]["table1"], built["cells"]["table2"]
    facts = Facts()
    _table1(facts, analysis, cells1, t1)
    _table2(facts, analysis, cells2, t2, claims)
    _agreement(facts, t1, t2)
    facts.tables.update({"cells1": cells1, "cells2": cells2, "tests1": t1, "tests2": t2})
    return facts

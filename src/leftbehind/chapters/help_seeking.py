"""The chapter "Help-seeking": every fact its prose states and the frames it shows.

The paper's Tables 3 and 4 and the care cascade are rebuilt from the analysis dataset (default: the book's
**synthetic** cohort, the page's tier) by :func:`leftbehind.paper.report.build_tables`; each comparison carries the
paper's claim from ``data/published/yong2023_claims.csv``.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.paper.construction import help_share_gap
from leftbehind.paper.quoted_cells import table3_quoted
from leftbehind.paper.report import agreement_counts, build_tables, disagreements, p_text, synthetic_analysis
from leftbehind.presentation.vocabulary import describe_category


def _table3(facts: Facts, analysis: pd.DataFrame, cells3: pd.DataFrame, t3: pd.DataFrame) -> None:
    for key, value in table3_quoted(cells3).items():
        facts.add(key, value)
    facts.add("lbc_nssi_n", int(cells3["lbc_n"].sum()))
    facts.add("nlbc_nssi_n", int(cells3["nlbc_n"].sum()))
    facts.add("p_t3", p_text(t3["p"].iloc[0]))
    facts.add("t3_verdict", t3["agrees"].iloc[0])
    facts.add("t3_gap", help_share_gap(analysis)["max_gap_points"])


def _cascade(facts: Facts, cascade: pd.DataFrame) -> None:
    """The cascade's steps in order: all LBC, reported NSSI, any help, professional help."""
    n = cascade["n"]
    facts.add("cascade_any", int(n.iloc[2]))
    facts.add("cascade_any_pct", float(cascade["pct_of_previous"].iloc[2]))
    facts.add("cascade_prof_of_all", 100 * float(n.iloc[3] / n.iloc[0]))


def _table4(facts: Facts, cells4: pd.DataFrame, t4: pd.DataFrame) -> None:
    counts = agreement_counts(t4)
    facts.add("t4_agree", counts["agree"])
    facts.add("t4_claimed", counts["claimed"])
    facts.add("t4_disagreements", disagreements(t4))
    smallest = cells4[cells4["variable"] != "all"].sort_values("lbc_n").iloc[0]
    facts.add("smallest_cell", describe_category(smallest["variable"], smallest["level"]))
    facts.add("smallest_n", int(smallest["lbc_n"]))


def chapter_facts(analysis: pd.DataFrame | None = None) -> Facts:
    """Everything the chapter glues and shows, from ``analysis`` (default: the book's synthetic cohort).

    Tables: ``cells3``/``cells4`` (the rebuilt Tables 3 and 4), ``tests3``/``tests4`` (their comparisons beside the
    paper's claims) and ``cascade`` (the care cascade among left-behind children).
    """
    analysis = synthetic_analysis() if analysis is None else analysis
    built = build_tables(analysis)
    t3, t4 = built["tests"]["table3"], built["tests"]["table4"]
    cells3, cells4 = built["cells"]["table3"], built["cells"]["table4"]
    cascade = built["cascade"]
    facts = Facts()
    _table3(facts, analysis, cells3, t3)
    _cascade(facts, cascade)
    _table4(facts, cells4, t4)
    facts.tables.update({"cells3": cells3, "cells4": cells4, "tests3": t3, "tests4": t4, "cascade": cascade})
    return facts

"""The chapter "Coping": every fact its prose states and the frames and figure input it shows.

The paper's Tables 5 and 6 are rebuilt from the analysis dataset (default: the book's **synthetic** cohort, the
page's tier) by :func:`leftbehind.paper.report.build_tables`; each comparison carries the paper's claim from
``data/published/yong2023_claims.csv``.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.paper.report import agreement_counts, build_tables, claims_view, disagreements, synthetic_analysis
from leftbehind.presentation.vocabulary import in_prose
from leftbehind.presentation.wording import effect_size_band

#: The four comparisons of Tables 5 and 6: glue prefix -> the table's name in :func:`build_tables`.
PARTS = {
    "t5a": "table5_lbc_vs_nlbc",
    "t5b": "table5_gender_in_lbc",
    "t6a": "table6_nssi_in_lbc",
    "t6b": "table6_professional_in_lbc_nssi",
}
#: Comparisons whose largest standardised difference the text names, and those whose size it puts in a Cohen band.
LARGEST = ("t5a", "t6a", "t6b")
BANDED = ("t5a",)
#: Panels of the effect-size figure: label -> table.
FIGURE_PANELS = {
    "LBC vs NLBC": "table5_lbc_vs_nlbc",
    "LBC: NSSI vs none": "table6_nssi_in_lbc",
    "LBC with NSSI: professional vs not": "table6_professional_in_lbc_nssi",
}


def largest_difference(cells: pd.DataFrame) -> tuple[str, float]:
    """The score with the largest |Cohen's d| in a means table, and that |d|."""
    d = cells.set_index("score")["cohens_d"].abs()
    return d.idxmax(), float(d.max())


def _comparison(facts: Facts, key: str, cells: pd.DataFrame, tests: pd.DataFrame) -> None:
    counts = agreement_counts(tests)
    facts.add(f"{key}_agree", counts["agree"])
    facts.add(f"{key}_claimed", counts["claimed"])
    facts.add(f"{key}_disagreements", disagreements(tests))
    score, size = largest_difference(cells)
    if key in LARGEST:
        facts.add(f"{key}_max_d", size)
        facts.add(f"{key}_max_d_score", in_prose(score))
    if key in BANDED:
        facts.add(f"{key}_size", effect_size_band(size))


def chapter_facts(analysis: pd.DataFrame | None = None) -> Facts:
    """Everything the chapter glues and shows, from ``analysis`` (default: the book's synthetic cohort).

    Tables: the four means tables under their :data:`PARTS` names, their comparisons as ``tests_<name>``, and the
    comparisons beside the paper's claims for each paper table (``claims5``, ``claims6``). ``results["effects"]``
    is the input of :func:`leftbehind.paper.tables.coping_effects_figure`.
    """
    analysis = synthetic_analysis() if analysis is None else analysis
    built = build_tables(analysis)
    cells, tests = built["cells"], built["tests"]
    facts = Facts()
    for key, name in PARTS.items():
        _comparison(facts, key, cells[name], tests[name])
    help_groups = cells[PARTS["t6b"]].iloc[0]
    facts.add("n_prof", int(help_groups["professional_n"]))
    facts.add("n_not_prof", int(help_groups["not_professional_n"]))
    for name in PARTS.values():
        facts.tables[name] = cells[name]
        facts.tables[f"tests_{name}"] = tests[name]
    for number, (first, second) in (("5", ("t5a", "t5b")), ("6", ("t6a", "t6b"))):
        facts.tables[f"claims{number}"] = pd.concat(
            [claims_view(tests[PARTS[first]]), claims_view(tests[PARTS[second]])], ignore_index=True)
    facts.results["effects"] = {label: cells[name] for label, name in FIGURE_PANELS.items()}
    return facts

"""The chapter "What the paper reports": every fact its prose states and the frames it shows.

Every row is published (``data/published/yong2023.csv``, as printed); the counts of rows by kind and the help-seeking
counts recovered from printed percentages are derived.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.audit.scorecard import REPEATS, help_seeking_counts
from leftbehind.chapters.facts import Facts
from leftbehind.context.policy import help_seeking_breakdown
from leftbehind.core.provenance import load_published

#: Counts the prose quotes (glued as numbers).
COUNTS = ("analysed", "lbc_n", "nssi_lbc_n", "lbc_girls_n", "lbc_boys_n")
#: Numbers the prose quotes digit for digit, as printed.
AS_PRINTED = ("nssi_lbc_pct", "help_no_treatment_pct", "help_professional_pct", "or_girls_vs_boys",
              "or_girls_vs_boys_ci_low", "or_girls_vs_boys_ci_high", "or_boarder", "or_boarder_ci_low",
              "or_boarder_ci_high", "age_mean", "age_sd", "age_min", "age_max", "lbc_rural_pct")


def row_kinds(published: pd.DataFrame) -> dict[str, pd.Series]:
    """Which rows are cited from other studies, which are P-value thresholds, and which are the study's own numbers.

    A repeat (the Abstract or Discussion restating a Result, :data:`~leftbehind.audit.scorecard.REPEATS`) is
    none of the study's own numbers, so that each own number is counted once.
    """
    cited = published["note"].str.contains("cited from reference")
    is_p = published["unit"] == "p_threshold"
    own = ~cited & ~is_p & ~published.index.isin(list(REPEATS))
    return {"cited": cited, "p_threshold": is_p, "own": own}


def _record(facts: Facts, published: pd.DataFrame, kinds: dict[str, pd.Series]) -> None:
    facts.add("n_rows", len(published))
    facts.add("n_cited", int(kinds["cited"].sum()))
    facts.add("n_p", int(kinds["p_threshold"].sum()))
    facts.add("n_repeats", len(REPEATS))
    facts.add("n_own", int(kinds["own"].sum()))


def _tables(published: pd.DataFrame, kinds: dict[str, pd.Series]) -> dict[str, pd.DataFrame]:
    own, section = kinds["own"], published["section"]
    return {
        "results": published.loc[own & section.str.startswith("Results"),
                                 ["printed", "unit", "denominator", "section", "paragraph"]],
        "methods": published.loc[own & section.str.startswith("Methods"), ["printed", "unit", "section", "note"]],
        "significance": published.loc[kinds["p_threshold"], ["printed", "section", "note"]],
        "repeats": published.loc[list(REPEATS), ["printed", "section", "paragraph", "note"]],
        "cited": published.loc[kinds["cited"], ["printed", "unit", "section", "note"]],
        "help_received": help_seeking_breakdown(published),
    }


def chapter_facts(published: pd.DataFrame | None = None) -> Facts:
    """Everything "What the paper reports" glues and shows, from the paper's provenance table (default the book's)."""
    published = load_published("yong2023") if published is None else published
    kinds = row_kinds(published)
    facts = Facts()
    _record(facts, published, kinds)
    for key in COUNTS:
        facts.add_printed(key, table=published)
    for key in AS_PRINTED:
        facts.add_printed(key, as_text=True, table=published)
    help_counts = help_seeking_counts(published)
    for row in help_counts.itertuples():
        facts.add(f"help_count_{row.Index}", int(row.count))
    facts.add("help_count_total", int(help_counts["count"].sum()))
    facts.tables.update(_tables(published, kinds))
    return facts

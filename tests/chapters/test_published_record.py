"""leftbehind.chapters.published_record: the chapter's facts, checked against its page and recounted from the CSV."""

from __future__ import annotations


import pandas as pd
import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.published_record import chapter_facts
from leftbehind.core.provenance import load_published

PAGE = ROOT / "notebooks" / "published_record.md"
CSV = ROOT / "data" / "published" / "yong2023.csv"
HELP = ("help_no_treatment_pct", "help_refused_pct", "help_self_help_pct", "help_professional_pct")


def only_count(printed: str, total: int) -> int:
    """The one whole number whose share of ``total`` rounds to the printed percentage (fails if not exactly one)."""
    decimals = len(printed.partition(".")[2])
    fits = [k for k in range(total + 1) if f"{100 * k / total:.{decimals}f}" == printed]
    assert len(fits) == 1, (printed, fits)
    return fits[0]


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


@pytest.fixture(scope="module")
def rows():
    return pd.read_csv(CSV, dtype=str, keep_default_na=False).set_index("key")


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_quoted_numbers_come_from_the_papers_own_rows(facts, rows):
    for glue_key, (key, _) in facts.printed.items():
        assert glue_key == key and key in rows.index
        assert facts.printed_from[glue_key].loc[key, "document"] == "yong2023"
        assert not rows.loc[key, "section"].startswith(("Abstract", "Discussion")), "quote the Results, not a repeat"


def test_the_row_kinds_are_recounted_and_partition_the_file(facts, rows):
    v = facts.values
    cited = rows["note"].str.contains("cited from reference")
    p_threshold = rows["unit"] == "p_threshold"
    assert v["n_rows"] == len(rows)
    assert v["n_cited"] == cited.sum()
    assert v["n_p"] == p_threshold.sum()
    assert v["n_own"] + v["n_cited"] + v["n_p"] + v["n_repeats"] == v["n_rows"]
    repeats = facts.tables["repeats"]
    assert len(repeats) == v["n_repeats"]
    assert not repeats.index.isin(rows.index[cited | p_threshold]).any()


def test_the_shown_tables_hold_each_own_number_once(facts):
    own = pd.concat([facts.tables["results"], facts.tables["methods"]])
    assert own.index.is_unique and len(own) == facts.values["n_own"]
    assert facts.tables["results"]["section"].str.startswith("Results").all()
    assert len(facts.tables["significance"]) == facts.values["n_p"]
    assert len(facts.tables["cited"]) == facts.values["n_cited"]


def test_help_counts_are_recovered_from_the_printed_shares(facts, rows):
    total = int(rows.loc["nssi_lbc_n", "value"])
    counts = [only_count(rows.loc[key, "value"], total) for key in HELP]
    assert [facts.values[f"help_count_{i}"] for i in range(len(HELP))] == counts
    assert facts.values["help_count_total"] == sum(counts) == total


def test_the_counts_follow_the_table_they_are_given(facts):
    published = load_published("yong2023").copy()
    published.loc["help_professional_pct", ["value", "printed"]] = [22.3, "22.3"]
    published.loc["help_self_help_pct", ["value", "printed"]] = [14.5, "14.5"]
    changed = chapter_facts(published)
    assert changed.values["help_count_3"] == facts.values["help_count_3"] + 1
    assert changed.values["help_count_2"] == facts.values["help_count_2"] - 1
    assert changed.values["help_count_total"] == facts.values["help_count_total"]

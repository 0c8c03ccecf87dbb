"""leftbehind.chapters.study_at_a_glance: the page's facts, checked against its page and the provenance file."""

from __future__ import annotations

import csv

import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.study_at_a_glance import chapter_facts
from leftbehind.core.provenance import load_published

PAGE = ROOT / "notebooks" / "study_at_a_glance.md"


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


def raw_rows() -> dict[str, dict]:
    with open(ROOT / "data" / "published" / "yong2023.csv", encoding="utf-8") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_quoted_numbers_come_from_the_provenance_file_and_recomputed_ones_from_its_counts(facts):
    rows = raw_rows()
    assert {key for key, _ in facts.printed.values()} >= {"collected", "analysed", "lbc_n", "age_min", "survey_year"}
    gap = float(rows["valid_methods"]["value"]) - float(rows["analysed"]["value"])
    assert facts.values["unexplained_gap"] == gap
    valid = 100 * float(rows["valid_methods"]["value"]) / float(rows["collected"]["value"])
    lbc = 100 * float(rows["lbc_n"]["value"]) / float(rows["analysed"]["value"])
    assert facts.values["valid_rate_exact"] == pytest.approx(valid, abs=0.005)
    assert facts.values["lbc_share_exact"] == pytest.approx(lbc, abs=0.005)
    assert facts.printed["valid_rate_printed"] == ("valid_rate_pct", True)


def test_facts_follow_the_provenance_table_they_are_given():
    published = load_published("yong2023").copy()
    published.loc["analysed", "value"] = float(published.loc["valid_methods", "value"])  # no unexplained gap
    assert chapter_facts(published).values["unexplained_gap"] == 0


def test_glue_order_is_the_prose_order(facts):
    order = facts.glue_order()
    assert order[:5] == ["collected", "valid_methods", "analysed", "lbc_n", "unexplained_gap"]
    assert order[-4:] == ["valid_rate_printed", "valid_rate_exact", "lbc_share_printed", "lbc_share_exact"]

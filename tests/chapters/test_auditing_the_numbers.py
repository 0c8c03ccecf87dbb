"""leftbehind.chapters.auditing_the_numbers: the chapter's facts, checked against its page and recomputed."""

from __future__ import annotations

import re

import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.audit import scorecard as audit
from leftbehind.chapters.auditing_the_numbers import chapter_facts, not_checkable_counts
from leftbehind.core.provenance import load_published
from leftbehind.stats.prevalence import prevalence_interval

PAGE = ROOT / "notebooks" / "auditing_the_numbers.md"


@pytest.fixture(scope="module")
def published():
    return load_published("yong2023")


@pytest.fixture(scope="module")
def facts(published):
    return chapter_facts(published)


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_quoted_numbers_come_from_the_provenance_table(facts, published):
    for glue_key, (key, _) in facts.printed.items():
        assert key in published.index, glue_key


def test_headline_interval_is_recomputed_independently(facts, published):
    k, n = int(published.loc["nssi_lbc_n", "value"]), int(published.loc["lbc_n", "value"])
    low, high = prevalence_interval(k, n, "wilson")
    assert facts.values["wilson_low"] == pytest.approx(100 * low)
    assert facts.values["wilson_high"] == pytest.approx(100 * high)
    assert facts.values["prev_exact"] == pytest.approx(100 * k / n)
    assert facts.values["window_low"] < float(published.loc["nssi_lbc_pct", "value"]) < facts.values["window_high"]


def test_status_counts_add_up_to_every_number(facts):
    statuses = sum(facts.values[f"n_{s}"] for s in audit.STATUSES)
    assert statuses == facts.values["n_numbers"] == len(facts.tables["scorecard"])
    why = facts.values["n_nc_cited"] + facts.values["n_nc_p"] + facts.values["n_nc_other"]
    assert why == facts.values["n_not_checkable"]


def test_not_checkable_reasons_agree_with_the_reason_the_scorecard_writes(facts):
    """Counted from the audit's lists; the scorecard's wording must tell the same story."""
    card = facts.tables["scorecard"]
    counts = not_checkable_counts(card)
    assert counts["cited"] == int((card["reason"] == "not checkable: cited from another study").sum())
    assert counts["p_values"] == len(audit.UNCHECKABLE_P)


def test_phrases_follow_their_numbers(facts, published):
    help_total = facts.values["help_total"]
    expected = "as they must" if help_total == int(published.loc["nssi_lbc_n", "value"]) else "they should"
    assert facts.values["help_sum_note"].endswith(expected)
    haldane = int(facts.tables["methods_girls"].loc[2, "tables"])
    assert (facts.values["girls_haldane_text"].startswith("no table fits")) == (haldane == 0)


def test_boarder_clusters_partition_the_tables(facts):
    clusters = [k for k in facts.values if re.fullmatch(r"cl\d+_tables", k)]
    assert sum(facts.values[k] for k in clusters) == facts.values["boarder_tables"] == len(facts.tables["boarders"])

"""leftbehind.chapters.evidence_to_action: the chapter's facts, checked against its page and recomputed by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.evidence_to_action import chapter_facts
from leftbehind.core.provenance import load_published

PAGE = ROOT / "notebooks" / "evidence_to_action.md"
PUBLISHED = ROOT / "data" / "published"
Z = 1.959963984540054  # the 97.5th percentile of the standard normal


def read(name: str) -> pd.DataFrame:
    """A published CSV read with plain pandas, every cell as the text in the file."""
    return pd.read_csv(PUBLISHED / f"{name}.csv", dtype=str, keep_default_na=False)


def only_count(printed: str, total: int) -> int:
    """The one whole number whose share of ``total`` rounds to the printed percentage (fails if not exactly one)."""
    decimals = len(printed.partition(".")[2])
    fits = [k for k in range(total + 1) if f"{100 * k / total:.{decimals}f}" == printed]
    assert len(fits) == 1, (printed, fits)
    return fits[0]


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval in percent, written out from its formula."""
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return 100 * (centre - half), 100 * (centre + half)


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


@pytest.fixture(scope="module")
def yong():
    return read("yong2023").set_index("key")


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_each_quoted_number_reads_its_own_paper(facts):
    assert facts.printed_from.keys() == facts.printed.keys()
    papers = {glue_key: facts.printed_from[glue_key].loc[key, "document"]
              for glue_key, (key, _) in facts.printed.items()}
    assert papers == {"hung_lbc_millions": "hung2023", "double_support_year": "hung2023", "n_obstacles": "hung2023",
                      "lbc_n": "yong2023", "nssi_lbc_n": "yong2023", "untreated_pct": "yong2023",
                      "professional_pct": "yong2023"}
    as_printed = {glue_key for glue_key, (_, as_text) in facts.printed.items() if as_text}
    assert as_printed == {"hung_lbc_millions", "untreated_pct", "professional_pct"}  # shares quoted digit for digit


def test_counts_and_intervals_are_recomputed_from_the_printed_shares(facts, yong):
    total, lbc = int(yong.loc["nssi_lbc_n", "value"]), int(yong.loc["lbc_n", "value"])
    untreated = only_count(yong.loc["help_no_treatment_pct", "value"], total)
    professional = only_count(yong.loc["help_professional_pct", "value"], total)
    v = facts.values
    assert (v["untreated_n"], v["professional_n"]) == (untreated, professional)
    low, high = wilson(professional, total)
    assert v["professional_low"] == pytest.approx(low) and v["professional_high"] == pytest.approx(high)
    assert v["per_1000"] == pytest.approx(1000 * professional / lbc)


def test_the_four_shares_and_their_counts_add_up(facts, yong):
    keys = ["help_no_treatment_pct", "help_refused_pct", "help_self_help_pct", "help_professional_pct"]
    total = int(yong.loc["nssi_lbc_n", "value"])
    assert facts.values["share_sum"] == pytest.approx(sum(float(yong.loc[k, "value"]) for k in keys))
    assert facts.values["count_sum"] == sum(only_count(yong.loc[k, "value"], total) for k in keys) == total


def test_the_state_council_year_is_the_one_the_thesis_states(facts):
    structure = read("lei2024_structure").set_index("id")
    assert facts.values["state_council_year"] == int(structure.loc["policy_state_council", "value"])


def test_a_different_printed_share_moves_the_recovered_count(facts):
    yong = load_published("yong2023").copy()
    yong.loc["help_professional_pct", ["value", "printed"]] = [22.3, "22.3"]
    yong.loc["help_self_help_pct", ["value", "printed"]] = [14.5, "14.5"]
    changed = chapter_facts(yong=yong)
    assert changed.values["professional_n"] == facts.values["professional_n"] + 1
    assert changed.values["per_1000"] > facts.values["per_1000"]


def test_the_frames_the_page_shows(facts):
    crisis = read("crisis_lines")
    shown = facts.tables["crisis_lines"]
    assert list(shown.index) == sorted(crisis["order"], key=int)
    assert list(shown.columns) == ["region", "line", "number", "what"]
    assert len(facts.tables["help_received"]) == 4
    assert len(facts.tables["obstacles"]) == int(read("hung2023").set_index("key").loc["obstacles_n", "value"])


def test_state_council_year_is_published_with_where_the_thesis_prints_it():
    facts = chapter_facts()
    assert facts.tiers["state_council_year"] == "published"
    assert facts.sources["state_council_year"] == "lei2024, Chapter 1, section 1.3 Problem Statement, paragraph 14"

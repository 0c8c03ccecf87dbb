"""leftbehind.chapters.questionnaire_and_data: the chapter's facts, checked against its page and reread from the files."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
import yaml

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.questionnaire_and_data import chapter_facts
from leftbehind.core.provenance import load_published
from leftbehind.presentation.glue import Page

PAGE = ROOT / "notebooks" / "questionnaire_and_data.md"


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


@pytest.fixture(scope="module")
def contract():
    return yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_contract_counts_are_reread_from_the_codebook_file(facts, contract):
    factors = contract["coping"]["factors"]
    v = facts.values
    assert v["n_columns"] == len(contract["columns"])
    assert v["n_items"] == sum(len(f["items"]) for f in factors.values())
    assert (v["age_low"], v["age_high"]) == (contract["inclusion"]["age"]["min"], contract["inclusion"]["age"]["max"])
    assert (v["grade_low"], v["grade_high"]) == (contract["inclusion"]["grade"]["min"],
                                                 contract["inclusion"]["grade"]["max"])
    assert str(v["min_months"]) in contract["derived"]["lbc"]["description"]


def test_the_register_is_counted_from_its_csv_file(facts):
    with open(ROOT / "data" / "synthetic" / "assumptions.csv", encoding="utf-8", newline="") as handle:
        assert facts.values["n_assumptions"] == sum(1 for _ in csv.DictReader(handle))


def test_the_papers_counts_are_glued_as_published_with_their_source(facts):
    """They are the paper's numbers (the synthetic cohort is built to match them), so they carry the paper's tier."""
    paper = pd.read_csv(ROOT / "data" / "published" / "yong2023.csv").set_index("key")
    assert {glue_key: key for glue_key, (key, _) in facts.printed.items()} == {
        "collected": "collected", "analysed": "analysed", "lbc_n": "lbc_n",
        "cssmss_items_printed": "cssmss_items", "cssmss_factors_printed": "cssmss_factors"}
    glued = []
    page = Page("questionnaire_and_data", tier="synthetic", emit=lambda key, value, meta: glued.append((key, value, meta)))
    facts.glue_onto(page, load_published("yong2023"))
    by_key = {key: (value, meta) for key, value, meta in glued}
    for glue_key, (key, _) in facts.printed.items():
        value, meta = by_key[glue_key]
        assert value == int(paper.loc[key, "value"]) and isinstance(value, int)
        assert meta["tier"] == "published" and meta["source"]


def test_tables_show_every_factor_derived_variable_and_assumption(facts, contract):
    assert len(facts.tables["item_key"]) == len(contract["coping"]["factors"])
    assert facts.tables["item_key"]["number of items"].sum() == facts.values["n_items"]
    assert list(facts.tables["derived"]["variable"]) == list(contract["derived"])
    assert len(facts.tables["assumptions"]) == facts.values["n_assumptions"]


def test_a_small_register_is_counted_as_given(facts):
    register = pd.DataFrame({"assumption": ["a"], "value": ["1"], "justification": ["j"], "source": [""]},
                            index=pd.Index(["only_one"], name="id"))
    small = chapter_facts(register=register)
    assert small.values["n_assumptions"] == 1
    assert list(small.tables["assumptions"]["id"]) == ["only_one"]

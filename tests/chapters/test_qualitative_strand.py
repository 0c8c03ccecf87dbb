"""leftbehind.chapters.qualitative_strand: the chapter's facts, checked against its page and recounted from the CSVs."""

from __future__ import annotations


import pandas as pd
import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.qualitative_strand import chapter_facts
from leftbehind.context import qualitative as q

PAGE = ROOT / "notebooks" / "qualitative_strand.md"
PUBLISHED = ROOT / "data" / "published"


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


@pytest.fixture(scope="module")
def structure():
    return pd.read_csv(PUBLISHED / "lei2024_structure.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def joint():
    return pd.read_csv(PUBLISHED / "mixed_methods_joint_display.csv", dtype=str, keep_default_na=False)


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_design_counts_are_recounted_from_the_structure_file(facts, structure):
    kind = structure["kind"]
    v = facts.values
    assert v["n_informants"] == int(structure.loc[structure["id"] == "design_informants", "value"].iloc[0])
    assert v["n_profiles"] == (kind == "informant_profile").sum()
    assert v["n_garbled"] == structure.loc[kind == "informant_profile", "note"].str.contains("garbled").sum()
    assert v["n_questions"] == (kind == "research_question").sum()
    assert v["n_objectives"] == (kind == "objective").sum()
    assert v["n_lenses"] == (kind == "lens").sum() == len(facts.tables["lenses"])
    chapters = structure[kind == "chapter"]
    assert v["n_parts"] == len(chapters)
    missing = chapters[chapters["available"] != "full text"]
    assert v["n_unavailable"] == len(missing)
    assert v["unavailable_list"].split(", ") == list(missing["label"])


def test_theme_counts_are_recounted_from_the_structure_file(facts, structure):
    themes = structure[structure["kind"] == "theme"]
    subthemes = structure[(structure["kind"] == "subtheme") & structure["parent"].isin(themes["id"])]
    assert facts.values["n_themes"] == len(themes)
    assert facts.values["n_subthemes"] == len(subthemes) == (structure["kind"] == "subtheme").sum()
    assert facts.values["n_coping_themes"] == (themes["parent"] == "coping").sum()


def test_joint_display_counts_are_recounted_from_its_file(facts, joint):
    mappings = joint[joint["record"] == "mapping"]
    factors = joint.loc[joint["record"] == "factor", "cssmss_factor"]
    v = facts.values
    assert v["n_factors"] == len(factors)
    assert v["n_mappings"] == len(mappings)
    assert v["n_close"] == (mappings["fit"] == "close").sum()
    assert v["n_partial"] == (mappings["fit"] == "partial").sum()
    for theme in mappings.loc[mappings["fit"] == "none", "thesis_theme"]:
        assert f"‘{theme.lower()}’" in v["no_counterpart"]
    for factor in sorted(set(factors) - set(mappings["cssmss_factor"])):
        assert f"‘{factor.lower()}’" in v["unmapped"]
    assert v["n_close"] + v["n_partial"] + v["no_counterpart"].count("‘") == v["n_mappings"]


def test_counts_follow_the_mapping_not_a_fixed_number(facts):
    """Drop one close pairing and the counts the page states move with it."""
    joint = q.load_joint_display_data()
    first_close = joint.index[(joint["record"] == "mapping") & (joint["fit"] == "close")][0]
    changed = chapter_facts(joint=joint.drop(index=first_close))
    assert changed.values["n_mappings"] == facts.values["n_mappings"] - 1
    assert changed.values["n_close"] == facts.values["n_close"] - 1


def test_the_frames_the_page_shows(facts):
    assert list(facts.tables) == ["structure", "availability", "lenses", "theme_counts", "joint_display",
                                  "direction_sources"]
    assert len(facts.tables["availability"]) == facts.values["n_parts"]
    assert facts.tables["theme_counts"]["themes"].sum() == facts.values["n_themes"]


def test_n_informants_is_published_with_where_the_thesis_prints_it():
    facts = chapter_facts()
    assert facts.tiers["n_informants"] == "published"
    assert facts.sources["n_informants"] == "lei2024, Abstract (English), paragraph 1"

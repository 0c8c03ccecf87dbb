"""leftbehind.chapters.what_if: the page's facts for one set of parameters, against its page and the scenario."""

from __future__ import annotations


from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.what_if import chapter_facts, kept_phrase, significant_phrase
from leftbehind.paper.sensitivity import WhatIf

PAGE = ROOT / "notebooks" / "what_if.md"


def fake_outcome(fitted7=True, retained7=("gender", "patience"), as_paper7=True):
    results = {"n": 1200, "lbc_n": 400, "nssi_lbc_pct": 5.0, "nssi_nlbc_pct": 3.5, "nssi_lbc_vs_nlbc_p": 0.0004,
               "coping_differences_significant": 3, "coping_comparisons": 9, "design_effect_nssi_lbc": 1.8,
               "table7_retained": list(retained7), "table7_fitted": fitted7, "table7_as_paper": as_paper7,
               "table8_retained": [], "table8_fitted": True, "table8_as_paper": False}
    return {"results": results, "table7": None}


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown():
    facts = chapter_facts(WhatIf(threshold=0.2), fake_outcome())
    assert_page_shows_exactly(PAGE, facts)


def test_facts_follow_the_scenario():
    facts = chapter_facts(WhatIf(threshold=0.2), fake_outcome())
    values = facts.values
    assert values["threshold"] == 0.2
    assert values["n"] == 1200 and values["coping_significant_phrase"] == "three have"
    assert values["nssi_lbc_vs_nlbc_p_text"] == "p < 0.001"
    assert values["kept7"] == "gender, patience"
    assert values["as_paper7"] == "includes" and values["as_paper8"] == "misses some of"
    assert values["kept8"] == "nothing"
    unfitted = chapter_facts(WhatIf(), fake_outcome(fitted7=False, as_paper7=False)).values
    assert unfitted["kept7"] == "nothing, because the full model cannot be fitted in this sample"
    assert unfitted["as_paper7"] == "misses some of"


def test_kept_phrase():
    assert kept_phrase([], True) == "nothing"
    assert kept_phrase(["gender"], False).startswith("nothing, because")


def test_a_small_scenario_runs_end_to_end():
    facts = chapter_facts(WhatIf(n=1500))
    assert facts.values["n"] == 1500
    assert facts.results["outcome"]["results"]["n"] == 1500


def test_significant_phrase_agrees_with_its_count():
    assert [significant_phrase(n) for n in (0, 1, 2, 12)] == ["none has", "one has", "two have", "12 have"]

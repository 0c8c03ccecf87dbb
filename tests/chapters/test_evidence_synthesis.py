"""leftbehind.chapters.evidence_synthesis: the chapter's facts, checked against its page and recomputed."""

from __future__ import annotations


import numpy as np
import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.evidence_synthesis import chapter_facts
from leftbehind.context import evidence as ev

PAGE = ROOT / "notebooks" / "evidence_synthesis.md"


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_published_facts_say_where_they_were_read(facts):
    for key, tier in facts.tiers.items():
        if tier == "published":
            assert facts.sources.get(key), key


def test_pooled_fixed_effect_matches_an_inverse_variance_computation(facts):
    """With τ² = 0 (two studies agreeing) the random-effects estimate is the inverse-variance mean of log ORs."""
    effects = facts.tables["effects"]
    nssi = effects[effects["construct"] == "nssi"]
    log_or = np.log(nssi["odds_ratio"].to_numpy(float))
    se = (np.log(nssi["ci_high"].to_numpy(float)) - np.log(nssi["ci_low"].to_numpy(float))) / (2 * 1.959963984540054)
    w = 1 / se**2
    pooled = facts.results["pooled"]
    if pooled.tau2 == 0:
        assert facts.values["pooled_or"] == pytest.approx(np.exp((w * log_or).sum() / w.sum()), rel=1e-3)
    assert facts.values["k"] == len(nssi)


def test_phrases_follow_their_numbers(facts):
    v = facts.values
    assert v["duplicates_verb"] == ("re-reports" if v["n_duplicates"] == 1 else "re-report")
    assert v["scale_side"] == ("below" if v["hksj_scale"] < 1 else "at or above")
    assert v["pooled_q_df_unit"] == ("degree" if v["pooled_q_df"] == 1 else "degrees")
    assert v["n_rows"] - v["n_once"] == v["n_duplicates"]


def test_recovery_phrases_are_counted_from_outcome_codes(facts):
    recovered = ev.recover_counts(ev.load_evidence())
    cannot = recovered.index[recovered["outcome"] == "cannot_help"]
    assert facts.values["recovery_cannot"] == ev.join_labels(list(cannot))
    assert "outcome" not in facts.tables["recovered"].columns  # a code for counting, not for readers
    misfits = int((recovered["outcome"] == "misfit").sum())
    assert facts.values["recovery_misfit"].startswith("No row" if misfits == 0 else str(misfits))


def test_zhou_counts_fit_the_printed_chi_square(facts):
    a, c = (int(x) for x in facts.values["zhou_fit"].split(" and ")[0].split("/"))
    assert f"{a}" in facts.values["zhou_lbc_options"] and f"{c}" in facts.values["zhou_nlbc_options"]

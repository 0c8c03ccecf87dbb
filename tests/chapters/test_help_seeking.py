"""leftbehind.chapters.help_seeking: the chapter's facts, checked against its page and recomputed from the cohort."""

from __future__ import annotations


import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT
from fake_analysis import make_fake_analysis

from leftbehind.chapters.help_seeking import chapter_facts
from leftbehind.paper.report import p_text, synthetic_analysis

PAGE = ROOT / "notebooks" / "help_seeking.md"
KINDS = ["none", "refused", "self_help", "professional"]
BACKGROUND = ["gender", "stage", "residence", "boarder", "only_child", "family", "father_edu", "mother_edu"]


@pytest.fixture(scope="module")
def cohort():
    return synthetic_analysis()


@pytest.fixture(scope="module")
def facts(cohort):
    return chapter_facts(cohort)


def cases(cohort: pd.DataFrame, lbc: bool) -> pd.DataFrame:
    return cohort[(cohort["lbc"] == lbc) & (cohort["nssi"] == 1)]


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_help_received_is_counted_from_the_cohort(facts, cohort):
    v = facts.values
    lbc, nlbc = cases(cohort, True), cases(cohort, False)
    assert v["lbc_nssi_n"] == len(lbc) and v["nlbc_nssi_n"] == len(nlbc)
    counts = lbc["help_seeking"].astype(str).value_counts()
    assert sum(v[f"lbc_{kind}_n"] for kind in KINDS) == len(lbc)
    for kind in KINDS:
        assert v[f"lbc_{kind}_n"] == counts.get(kind, 0)
        assert v[f"lbc_{kind}_pct"] == pytest.approx(100 * counts.get(kind, 0) / len(lbc))
    low, high = proportion_confint(counts["professional"], len(lbc), method="wilson")
    assert (v["lbc_prof_lo"], v["lbc_prof_hi"]) == pytest.approx((100 * low, 100 * high))
    assert v["nlbc_professional_pct"] == pytest.approx(100 * (nlbc["help_seeking"] == "professional").mean())


def test_table3_test_and_gap_are_recomputed(facts, cohort):
    both = cohort[cohort["nssi"] == 1]
    table = pd.crosstab(both["lbc"], both["help_seeking"].astype(str))
    assert facts.values["p_t3"] == p_text(stats.chi2_contingency(table, correction=False).pvalue)
    shares = pd.crosstab(both["lbc"], both["help_seeking"].astype(str), normalize="index") * 100
    assert facts.values["t3_gap"] == pytest.approx((shares.loc[True] - shares.loc[False]).abs().max())
    assert facts.values["t3_verdict"] == facts.tables["tests3"]["agrees"].iloc[0]


def test_the_cascade_follows_the_children(facts, cohort):
    lbc = cohort[cohort["lbc"]]
    nssi = cases(cohort, True)
    helped = nssi["help_seeking"].isin(["self_help", "professional"]).sum()
    assert facts.values["cascade_any"] == helped
    assert facts.values["cascade_any_pct"] == pytest.approx(100 * helped / len(nssi))
    assert facts.values["cascade_prof_of_all"] == pytest.approx(100 * (nssi["help_seeking"] == "professional").sum()
                                                                / len(lbc))


def test_the_smallest_background_group_is_the_smallest_count(facts, cohort):
    nssi = cases(cohort, True)
    sizes = pd.concat([nssi[column].astype(str).value_counts() for column in BACKGROUND])
    assert facts.values["smallest_n"] == sizes.min()


def test_agreement_counts_follow_the_verdict_column(facts):
    verdicts = facts.tables["tests4"]["agrees"]
    assert facts.values["t4_claimed"] == int((verdicts != "no claim").sum())
    assert facts.values["t4_agree"] == int((verdicts == "yes").sum())
    assert (facts.values["t4_disagreements"] == "none") == (not (verdicts == "no").any())


def test_another_cohort_gives_its_own_facts():
    small = make_fake_analysis(3000, seed=9)
    facts = chapter_facts(small)
    assert facts.values["lbc_nssi_n"] == len(cases(small, True))
    assert facts.tiers == {} and facts.printed == {}  # every value takes the page's tier (synthetic)

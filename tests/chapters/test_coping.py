"""leftbehind.chapters.coping: the chapter's facts, checked against its page and recomputed from the cohort."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from scipy import stats

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT
from fake_analysis import make_fake_analysis

from leftbehind.chapters.coping import PARTS, chapter_facts
from leftbehind.paper.report import synthetic_analysis
from leftbehind.presentation.vocabulary import in_prose

PAGE = ROOT / "notebooks" / "coping.md"
SCORES = ["problem_solving", "social_support", "positive_reappraisal", "patience", "escape", "venting",
          "fantasy_denial", "problem_oriented", "emotion_oriented"]


@pytest.fixture(scope="module")
def cohort():
    return synthetic_analysis()


@pytest.fixture(scope="module")
def facts(cohort):
    return chapter_facts(cohort)


def cohens_d(first: pd.Series, second: pd.Series) -> float:
    n1, n2 = len(first), len(second)
    pooled = np.sqrt(((n1 - 1) * first.var(ddof=1) + (n2 - 1) * second.var(ddof=1)) / (n1 + n2 - 2))
    return (first.mean() - second.mean()) / pooled


def groups(cohort: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    lbc = cohort[cohort["lbc"]]
    cases = lbc[lbc["nssi"] == 1]
    return {"t5a": (lbc, cohort[~cohort["lbc"]]),
            "t6a": (cases, lbc[lbc["nssi"] == 0]),
            "t6b": (cases[cases["professional"] == 1], cases[cases["professional"] == 0])}


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


@pytest.mark.parametrize("key", ["t5a", "t6a", "t6b"])
def test_largest_difference_matches_cohens_d_computed_from_the_cohort(facts, cohort, key):
    first, second = groups(cohort)[key]
    d = pd.Series({score: cohens_d(first[score], second[score]) for score in SCORES}).abs()
    assert facts.values[f"{key}_max_d"] == pytest.approx(d.max())
    assert facts.values[f"{key}_max_d_score"] == in_prose(d.idxmax())


def test_the_size_band_follows_cohens_conventions(facts):
    size = facts.values["t5a_max_d"]
    expected = [band for limit, band in ((0.2, "negligible"), (0.5, "small"), (0.8, "medium"), (np.inf, "large"))
                if size < limit][0]
    assert facts.values["t5a_size"] == expected


def test_group_sizes_of_the_professional_help_comparison_are_counted(facts, cohort):
    helped, not_helped = groups(cohort)["t6b"]
    assert facts.values["n_prof"] == len(helped) > 0
    assert facts.values["n_not_prof"] == len(not_helped) > 0


def test_the_comparisons_are_welch_tests(facts, cohort):
    first, second = groups(cohort)["t5a"]
    tests = facts.tables[f"tests_{PARTS['t5a']}"].set_index("comparison")
    for score in SCORES:
        p = stats.ttest_ind(first[score], second[score], equal_var=False).pvalue
        assert tests.loc[f"t5:{score}:lbc_vs_nlbc", "p"] == pytest.approx(p, abs=1e-12)


def test_agreement_counts_follow_the_verdict_column(facts):
    for key, name in PARTS.items():
        verdicts = facts.tables[f"tests_{name}"]["agrees"]
        assert facts.values[f"{key}_claimed"] == int((verdicts != "no claim").sum())
        assert facts.values[f"{key}_agree"] == int((verdicts == "yes").sum())
        assert (facts.values[f"{key}_disagreements"] == "none") == (not (verdicts == "no").any())
    for number, keys in (("5", ("t5a", "t5b")), ("6", ("t6a", "t6b"))):
        assert len(facts.tables[f"claims{number}"]) == sum(len(facts.tables[f"tests_{PARTS[k]}"]) for k in keys)


def test_the_figure_gets_three_panels(facts):
    assert [len(cells) for cells in facts.results["effects"].values()] == [len(SCORES)] * 3


def test_another_cohort_gives_its_own_facts():
    small = make_fake_analysis(3000, seed=5)
    facts = chapter_facts(small)
    helped, _ = groups(small)["t6b"]
    assert facts.values["n_prof"] == len(helped)
    assert facts.tiers == {} and facts.printed == {}  # every value takes the page's tier (synthetic)

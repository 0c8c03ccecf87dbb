"""leftbehind.chapters.who_are_lbc: the chapter's facts, checked against its page and recomputed from the cohort."""

from __future__ import annotations


import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.proportion import proportion_confint

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT
from fake_analysis import make_fake_analysis

from leftbehind.chapters.who_are_lbc import chapter_facts
from leftbehind.core.paths import published_dir
from leftbehind.paper.report import p_text, synthetic_analysis

PAGE = ROOT / "notebooks" / "who_are_lbc.md"


@pytest.fixture(scope="module")
def cohort():
    return synthetic_analysis()


@pytest.fixture(scope="module")
def facts(cohort):
    return chapter_facts(cohort)


def assert_p_values(v: dict, cohort: pd.DataFrame) -> None:
    """Welch's t for age and Pearson's χ² (no continuity correction) for stage, family and NSSI, from scipy."""
    lbc, nlbc = cohort[cohort["lbc"]], cohort[~cohort["lbc"]]
    assert v["p_age"] == p_text(stats.ttest_ind(lbc["age"], nlbc["age"], equal_var=False).pvalue)
    for key, column in (("p_stage", "stage"), ("p_family", "family"), ("p_overall", "nssi")):
        table = pd.crosstab(cohort["lbc"], cohort[column].astype(str))
        assert v[key] == p_text(stats.chi2_contingency(table, correction=False).pvalue), key


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_group_sizes_and_shares_are_counted_from_the_cohort(facts, cohort):
    v = facts.values
    lbc, nlbc = cohort[cohort["lbc"]], cohort[~cohort["lbc"]]
    assert v["n_lbc"] == len(lbc) and v["n_nlbc"] == len(nlbc) and v["n_lbc"] + v["n_nlbc"] == len(cohort)
    assert v["rural_lbc_pct"] == pytest.approx(100 * (lbc["residence"] == "rural").mean())
    assert v["senior_lbc_pct"] == pytest.approx(100 * (lbc["stage"] == "senior").mean())
    assert v["senior_nlbc_pct"] == pytest.approx(100 * (nlbc["stage"] == "senior").mean())
    assert v["age_lbc"] == pytest.approx(lbc["age"].mean())
    assert v["age_lbc_sd"] == pytest.approx(lbc["age"].std(ddof=1))
    assert v["age_nlbc"] == pytest.approx(nlbc["age"].mean())
    assert_p_values(v, cohort)
    assert v["age_boarders"] == pytest.approx(lbc.loc[lbc["boarder"] == "yes", "age"].mean())
    assert v["age_day"] == pytest.approx(lbc.loc[lbc["boarder"] == "no", "age"].mean())


def test_prevalence_and_wilson_intervals_match_statsmodels(facts, cohort):
    v = facts.values
    for group, rows in (("lbc", cohort[cohort["lbc"]]), ("nlbc", cohort[~cohort["lbc"]])):
        cases = int((rows["nssi"] == 1).sum())
        low, high = proportion_confint(cases, len(rows), method="wilson")
        assert v[f"prev_{group}_pct"] == pytest.approx(100 * cases / len(rows))
        assert v[f"prev_{group}_ci_low"] == pytest.approx(100 * low)
        assert v[f"prev_{group}_ci_high"] == pytest.approx(100 * high)
    assert v["prev_lbc_cases"] == int((cohort.loc[cohort["lbc"], "nssi"] == 1).sum())


@pytest.mark.parametrize("name, column, exposed, unexposed", [("girls", "gender", "girl", "boy"),
                                                              ("boarder", "boarder", "yes", "no")])
def test_crude_odds_ratios_match_a_two_by_two_table(facts, cohort, name, column, exposed, unexposed):
    lbc = cohort[cohort["lbc"]]
    cell = lambda level, nssi: int(((lbc[column] == level) & (lbc["nssi"] == nssi)).sum())  # noqa: E731
    table = Table2x2([[cell(exposed, 1), cell(exposed, 0)], [cell(unexposed, 1), cell(unexposed, 0)]])
    low, high = table.oddsratio_confint()
    assert facts.values[f"{name}_odds_ratio"] == pytest.approx(table.oddsratio)
    assert facts.values[f"{name}_or_ci_low"] == pytest.approx(low)
    assert facts.values[f"{name}_or_ci_high"] == pytest.approx(high)


def test_the_papers_statements_are_read_from_the_claims_file(facts):
    claims = pd.read_csv(published_dir() / "yong2023_claims.csv", dtype=str, keep_default_na=False).set_index("claim_id")
    assert facts.values["paper_or_girls"] == claims.loc["t2_gender_lbc", "significance_printed"]
    assert facts.values["paper_or_boarder"] == claims.loc["t2_boarder_lbc", "significance_printed"]
    assert facts.values["county_note"] == claims.loc["t2_county_vs", "note"] != ""


def test_agreement_counts_follow_the_verdict_column(facts):
    for name in ("t1", "t2"):
        verdicts = facts.tables[f"tests{name[1]}"]["agrees"]
        assert facts.values[f"{name}_claimed"] == int((verdicts != "no claim").sum())
        assert facts.values[f"{name}_agree"] == int((verdicts == "yes").sum())
        assert (facts.values[f"{name}_disagreements"] == "none") == (not (verdicts == "no").any())


def test_another_cohort_gives_its_own_facts():
    small = make_fake_analysis(3000, seed=3)
    facts = chapter_facts(small)
    assert facts.values["n_lbc"] == int(small["lbc"].sum())
    assert facts.values["prev_lbc_cases"] == int((small.loc[small["lbc"], "nssi"] == 1).sum())
    ps = {key: facts.values[key] for key in ("p_stage", "p_family", "p_age", "p_overall")}
    assert len(set(ps.values())) > 1, "this cohort should give p-values that tell the keys apart"
    assert_p_values(facts.values, small)
    # the paper's own printed results are published, with where they were read; everything else is synthetic
    assert facts.tiers == {"paper_or_girls": "published", "paper_or_boarder": "published"} and facts.printed == {}
    assert facts.sources["paper_or_girls"] == "yong2023, Results > Detection of NSSI among LBC, paragraph 1"

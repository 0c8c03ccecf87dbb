"""leftbehind.chapters.cleaning_and_flow: the chapter's facts, checked against its page and recounted from the export."""

from __future__ import annotations


import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.cleaning_and_flow import SEED, chapter_facts, run_export
from leftbehind.core.provenance import load_published
from leftbehind.presentation.glue import Page
from leftbehind.spec.codebook import load_codebook
from leftbehind.yingshan.synthetic import simulate_raw

PAGE = ROOT / "notebooks" / "cleaning_and_flow.md"


@pytest.fixture(scope="module")
def raw():
    return simulate_raw(seed=SEED)


@pytest.fixture(scope="module")
def result(raw):
    return run_export(raw)


@pytest.fixture(scope="module")
def facts(result):
    return chapter_facts(result)


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_the_flow_accounts_for_every_row_of_the_export(facts, raw, result):
    v = facts.values
    assert v["collected"] == len(raw)
    assert v["collected"] == v["excluded_incomplete"] + v["excluded_out_of_range"] + v["analysed"]
    assert v["valid"] == v["collected"] - v["excluded_incomplete"]
    assert v["valid_pct"] == pytest.approx(100 * v["valid"] / v["collected"])
    assert v["analysed"] == len(result.analysis)
    lbc = result.analysis[result.analysis["lbc"]]
    assert (v["lbc_n"], v["lbc_nssi"]) == (len(lbc), int((lbc["nssi"] == 1).sum()))


def test_out_of_range_counts_are_recounted_from_the_raw_ages_and_grades(facts, raw, result):
    """Complete rows outside the codebook's limits, age checked before grade (as the prose lists them)."""
    limits = load_codebook().inclusion
    incomplete = set(result.exclusions.loc[result.exclusions["reason"] == "incomplete", "response_id"])
    complete = raw[~raw["response_id"].isin(incomplete)]
    age_low = complete["age"] < limits["age"]["min"]
    age_high = complete["age"] > limits["age"]["max"]
    grade_low = ~age_low & ~age_high & (complete["grade"] < limits["grade"]["min"])
    v = facts.values
    assert (v["age_below"], v["age_above"], v["grade_below"]) == (int(age_low.sum()), int(age_high.sum()),
                                                                  int(grade_low.sum()))
    assert v["age_below"] + v["age_above"] + v["grade_below"] <= v["excluded_out_of_range"]


def test_alpha_range_matches_a_covariance_matrix_computation_on_the_analysed_pupils(facts, raw, result):
    analysed = raw[raw["response_id"].isin(result.analysis["response_id"])]
    alphas = []
    for entry in load_codebook().factors.values():
        cov = analysed[entry["items"]].astype(float).cov().to_numpy()
        k = cov.shape[0]
        alphas.append(k / (k - 1) * (1 - cov.trace() / cov.sum()))
    assert facts.values["alpha_min"] == pytest.approx(min(alphas), abs=1e-9)
    assert facts.values["alpha_max"] == pytest.approx(max(alphas), abs=1e-9)
    assert len(facts.tables["alpha"]) == len(alphas)


def test_fidelity_counts_and_the_printed_alpha_come_from_the_tables(facts):
    fidelity = facts.tables["fidelity"]
    calibrated = fidelity[~fidelity["matches"].str.contains("not calibrated")]
    assert facts.values["n_fidelity"] == len(calibrated) < len(fidelity)  # the county-town rows are not calibrated
    assert facts.values["n_fidelity_match"] == int((calibrated["matches"] == "yes").sum())
    assert facts.printed["cssmss_alpha_printed"] == ("cssmss_alpha", True)  # the paper's value, quoted as printed


def test_the_printed_alpha_is_glued_as_published_text_with_its_source(facts):
    glued = []
    page = Page("cleaning_and_flow", tier="synthetic", emit=lambda key, value, meta: glued.append((key, value, meta)))
    facts.glue_onto(page, load_published("yong2023"))
    value, meta = {key: (value, meta) for key, value, meta in glued}["cssmss_alpha_printed"]
    assert value == str(load_published("yong2023").loc["cssmss_alpha", "printed"])
    assert meta["tier"] == "published" and meta["source"]
    assert {key for key, _, meta in glued if meta["tier"] == "published"} == {"cssmss_alpha_printed"}


def test_first_blank_sections_count_every_incomplete_questionnaire(facts):
    assert facts.tables["first_blank"]["questionnaires"].sum() == facts.values["excluded_incomplete"]
    assert facts.tables["exclusions"]["questionnaires"].sum() == (
        facts.values["excluded_incomplete"] + facts.values["excluded_out_of_range"])


def test_the_page_names_the_seed_the_export_was_generated_with(facts):
    from leftbehind.yingshan.synthetic import DEFAULT_SEED

    assert facts.values["seed"] == SEED == DEFAULT_SEED

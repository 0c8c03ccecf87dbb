"""leftbehind.chapters.risk_factors: the chapter's facts, checked against its page and recomputed independently."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.risk_factors import chapter_facts
from leftbehind.paper.claims import load_claims
from leftbehind.paper.models import CANDIDATES, CATEGORICAL
from leftbehind.paper.report import synthetic_analysis
from leftbehind.stats.stepwise import P_REMOVE

PAGE = ROOT / "notebooks" / "risk_factors.md"


@pytest.fixture(scope="module")
def analysis():
    return synthetic_analysis()


@pytest.fixture(scope="module")
def facts(analysis):
    return chapter_facts(analysis)


def design(data: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """Dummy coding against the first level, written here with pandas rather than taken from the package."""
    blocks = []
    for name in variables:
        if name in CATEGORICAL:
            levels = CATEGORICAL[name]
            blocks += [(data[name].astype(str) == level).astype(float).rename(f"{name}[{level}]") for level in levels[1:]]
        else:
            blocks.append(data[name].astype(float))
    return sm.add_constant(pd.concat(blocks, axis=1))


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_sample_sizes_and_events_are_counted_from_the_cohort(facts, analysis):
    lbc = analysis[analysis["lbc"]]
    with_nssi = lbc[lbc["nssi"] == 1]
    v = facts.values
    assert (v["m7_n"], v["m7_events"]) == (len(lbc), int(lbc["nssi"].sum()))
    assert (v["m8_n"], v["m8_events"]) == (len(with_nssi), int(with_nssi["professional"].sum()))
    assert v["n_candidates"] == len(CANDIDATES)
    assert v["m8_epv"] == pytest.approx(v["m8_events"] / v["m8_params"])
    assert v["m8_epv_final"] == pytest.approx(v["m8_events"] / v["m8_final_params"])


def test_table7_final_model_matches_a_statsmodels_fit_of_the_retained_variables(facts, analysis):
    lbc = analysis[analysis["lbc"]]
    model = facts.results["m7"]
    x = design(lbc, model["retained"])
    fit = sm.Logit(lbc["nssi"].astype(float), x).fit(disp=0)
    for term, row in model["terms"].items():
        assert row["or"] == pytest.approx(np.exp(fit.params[term]), rel=1e-4), term
        assert row["se"] == pytest.approx(fit.bse[term], rel=1e-3), term
    # every variable the elimination kept passes the removal threshold by a likelihood-ratio test of its block
    for name in model["retained"]:
        reduced = sm.Logit(lbc["nssi"].astype(float), design(lbc, [v for v in model["retained"] if v != name])).fit(disp=0)
        df = x.shape[1] - reduced.params.shape[0]
        assert stats.chi2.sf(2 * (fit.llf - reduced.llf), df) <= P_REMOVE, name


def test_named_terms_and_extras_follow_the_paper_claims(facts):
    claims = load_claims()
    for key, number in (("m7", 7), ("m8", 8)):
        paper = claims[claims["table"] == number]
        assert facts.values[f"{key}_paper_terms"].count(",") == len(paper) - 1
        named = {c.split(":", 1)[1].split("[")[0] for c in paper["comparison"]}
        extra = [v for v in facts.results[key]["retained"] if v not in named]
        assert (facts.values[f"{key}_extra"] == "none") == (not extra)
        assert facts.values[f"{key}_agree"] <= facts.values[f"{key}_claimed"] == len(paper)
        if facts.values[f"{key}_agree"] == facts.values[f"{key}_claimed"]:
            assert facts.values[f"{key}_disagreements"] == "none"


def test_every_table_and_model_the_page_shows_is_there(facts):
    for number in (7, 8):
        for part in ("steps", "model", "claims"):
            assert not facts.tables[f"table{number}_{part}"].empty
    assert len(facts.tables["table7_model"]) == len(facts.results["m7"]["terms"])
    assert len(facts.tables["table7_steps"]) == facts.values["m7_steps"]

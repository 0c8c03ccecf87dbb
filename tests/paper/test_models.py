"""Tables 7-8: design coding, coefficients against plain statsmodels, JSON shape, input errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from fake_analysis import make_fake_analysis
from leftbehind.paper import models
from leftbehind.core.errors import UserError

CONTRACT_LABELS = {
    "gender[girl]", "stage[junior]", "stage[senior]", "family[single_parent]", "family[remarried]",
    "residence[county_town]", "boarder[yes]", "only_child[yes]",
    "father_edu[junior_middle]", "father_edu[senior_middle]", "father_edu[college]",
    "mother_edu[junior_middle]", "mother_edu[senior_middle]", "mother_edu[college]",
    "problem_solving", "social_support", "positive_reappraisal", "patience", "escape", "venting", "fantasy_denial",
}


@pytest.fixture(scope="module")
def data():
    return make_fake_analysis(n=8000, seed=21)


@pytest.fixture(scope="module")
def table7(data):
    return models.table7_nssi_lbc(data)


def test_design_uses_contract_labels_and_references(data):
    design, blocks = models.design_matrix(data)
    assert set(design.columns) == CONTRACT_LABELS
    assert blocks["stage"] == ["stage[junior]", "stage[senior]"]
    girl = data["gender"] == "girl"
    assert (design["gender[girl]"] == girl.astype(float)).all()


def test_coefficients_match_a_plain_fit_of_the_retained_model(data, table7):
    lbc = data[data["lbc"]]
    design, _ = models.design_matrix(lbc)
    terms = list(table7["terms"])
    plain = sm.Logit(lbc["nssi"].astype(float), sm.add_constant(design[terms])).fit(disp=0)
    ci = np.exp(plain.conf_int())
    for term in terms:
        got = table7["terms"][term]
        assert got["b"] == pytest.approx(plain.params[term], rel=1e-6)
        assert got["se"] == pytest.approx(plain.bse[term], rel=1e-6)
        assert got["wald"] == pytest.approx((plain.params[term] / plain.bse[term]) ** 2, rel=1e-6)
        assert got["p"] == pytest.approx(plain.pvalues[term], rel=1e-5)
        assert got["or"] == pytest.approx(np.exp(plain.params[term]), rel=1e-6)
        assert (got["ci_low"], got["ci_high"]) == pytest.approx(tuple(ci.loc[term]), rel=1e-6)


def test_fake_effects_are_recovered(table7, data):
    # the fake generator builds in exactly these effects; a null generator would fail this
    assert {"gender", "stage", "family", "patience", "venting", "problem_solving", "social_support"} <= set(table7["retained"])
    assert table7["terms"]["problem_solving"]["or"] < 1 < table7["terms"]["patience"]["or"]
    table8 = models.table8_help_lbc_nssi(data)
    assert {"problem_solving", "patience"} <= set(table8["retained"])


def test_counts_and_events_per_variable(data, table7):
    lbc = data[data["lbc"]]
    assert table7["n"] == len(lbc)
    assert table7["events"] == lbc["nssi"].sum()
    assert table7["candidate_parameters"] == 21
    assert table7["events_per_variable"] == pytest.approx(lbc["nssi"].sum() / 21)
    assert table7["final_parameters"] == len(table7["terms"])


def test_json_record_shape(table7):
    record = models.json_record(table7)
    text = json.dumps(record)
    back = json.loads(text)
    assert {"retained", "steps", "terms", "n", "events"} <= set(back)
    for term in back["terms"].values():
        assert set(term) == {"b", "se", "wald", "p", "or", "ci_low", "ci_high"}
    assert back["steps"][-1]["removed"] is None


def test_model_comparisons_cover_every_candidate_term(table7):
    rows = models.model_comparisons(table7, "t7")
    assert set(rows["comparison"]) == {f"t7:{label}" for label in CONTRACT_LABELS}
    assert rows["retained"].sum() == len(table7["terms"])


def test_unknown_level_names_column_and_rows(data):
    bad = data.copy()
    bad["family"] = bad["family"].astype(object)
    bad.loc[bad.index[[1, 4]], "family"] = "extended"
    with pytest.raises(UserError, match=r"column 'family' must be one of .* row\(s\) 2, 5"):
        models.design_matrix(bad)


def test_blank_coping_score_is_rejected(data):
    bad = data.copy()
    bad.loc[bad.index[0], "venting"] = np.nan
    with pytest.raises(UserError, match=r"column 'venting'.*row\(s\) 1"):
        models.design_matrix(bad)


def test_level_missing_from_subset_is_not_estimable_with_a_remedy_that_works(data):
    from leftbehind.stats.estimable import NotEstimable

    sub = data[data["lbc"] & (data["family"] != "remarried")]
    with pytest.raises(NotEstimable) as caught:
        models.fit_backward(sub, "nssi")
    [problem] = caught.value.problems
    assert (problem.reason, problem.variable) == ("empty_category", "family")
    assert "--merge family=single_parent,remarried" in problem.remedy and "--drop family" in problem.remedy
    merged = models.fit_backward(sub, "nssi", options=models.ModelOptions.from_cli(merge=["family=single_parent,remarried"]))
    assert merged["estimable"] and merged["_levels"]["family"] == ["nuclear", "single_parent+remarried"]
    dropped = models.fit_backward(sub, "nssi", options=models.ModelOptions.from_cli(drop=["family"]))
    assert "family" not in dropped["steps"][0]["variables"]
    comparisons = models.model_comparisons(dropped, "t7")
    assert not comparisons["comparison"].str.contains("family").any()


def test_model_options_reject_unknown_names():
    with pytest.raises(UserError, match="--drop shoe_size: not a model variable"):
        models.ModelOptions.from_cli(drop=["shoe_size"])
    with pytest.raises(UserError, match="unknown: phd"):
        models.ModelOptions.from_cli(merge=["father_edu=college,phd"])
    with pytest.raises(UserError, match="--merge expects"):
        models.ModelOptions.from_cli(merge=["father_edu"])


def test_merging_the_reference_level_keeps_it_first():
    options = models.ModelOptions.from_cli(merge=["father_edu=below_junior,junior_middle"])
    assert options.levels()["father_edu"] == ["below_junior+junior_middle", "senior_middle", "college"]


def test_forest_alt_text_states_the_finding(table7):
    fig, alt = models.forest_figure(table7, "Table 7")
    assert "Higher odds:" in alt and "Girl (vs boy)" in alt
    assert f"OR {table7['terms']['gender[girl]']['or']:.2f}" in alt
    assert "Lower odds:" in alt and "Problem-solving" in alt

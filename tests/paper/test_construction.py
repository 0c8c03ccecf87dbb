"""What holds by construction: the nulls-left-to-chance cohort and the checks run on it."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.discrete.discrete_model import Logit

from fake_analysis import make_fake_analysis
from leftbehind.paper.construction import (
    NULLS_LEFT_TO_CHANCE,
    block_lr_pvalues,
    comparison_table,
    firth_block_pvalues,
    help_share_gap,
    null_pvalue_summary,
    selection_checks,
)
from leftbehind.paper.models import design_matrix
from leftbehind.stats.penalised import firth_logit


@pytest.fixture(scope="module")
def lbc():
    data = make_fake_analysis(3000, seed=11)
    return data[data["lbc"]].reset_index(drop=True)


def test_block_lr_pvalues_against_separate_fits(lbc):
    design, blocks = design_matrix(lbc)
    y = lbc["nssi"].to_numpy(float)
    p = block_lr_pvalues(design, y, blocks)
    assert list(p.index) == list(blocks)
    x = design.assign(const=1.0)
    full = Logit(y, x).fit(disp=0)
    reduced = Logit(y, x.drop(columns=blocks["father_edu"])).fit(disp=0)
    expected = stats.chi2.sf(2 * (full.llf - reduced.llf), len(blocks["father_edu"]))
    assert p["father_edu"] == pytest.approx(expected, rel=1e-6)
    assert p["gender"] < 0.01  # the fake data's built-in effect


def test_firth_block_pvalues_joint_and_single(lbc):
    cases = lbc[lbc["nssi"] == 1].reset_index(drop=True)
    design, blocks = design_matrix(cases)
    fit = firth_logit(design, cases["professional"].astype(float))
    p = firth_block_pvalues(fit, {"patience": blocks["patience"], "stage": blocks["stage"]})
    assert p["patience"] == pytest.approx(fit.plr_pvalue("patience"))
    joint = 2 * (fit.penalised_llf - fit.constrained_penalised_llf(blocks["stage"], 0.0))
    assert p["stage"] == pytest.approx(stats.chi2.sf(joint, len(blocks["stage"])))


def test_null_pvalue_summary():
    p = pd.Series({"a": 0.001, "b": 0.6, "c": 0.9, "d": 0.03})
    s = null_pvalue_summary(p, ["b", "c", "d"])
    assert s == {"k": 3, "min_p": 0.03, "min_p_variable": "d", "below_05": 1,
                 "chance_all_above": pytest.approx(0.97**3)}


def test_selection_checks_and_table(lbc, tmp_path, monkeypatch):
    monkeypatch.setenv("LEFTBEHIND_CACHE_DIR", str(tmp_path))
    paper7 = {"gender", "patience"}
    result = selection_checks(lbc, paper7, {"problem_solving", "patience"}, n_boot=8, lasso_alphas=5)
    assert result["t7_n_boot"] == 8 and result["t8_n_boot"] == 8
    assert result["t7_null_k"] == 13 and result["t8_null_k"] == 13
    assert 0 <= result["t7_null_max_inclusion"] <= 1
    assert result["t7_lasso_first"] >= 1 and 0 <= result["t7_lasso_agree"] <= result["t7_lasso_first"]
    assert set(result["t7_extra"]).isdisjoint(paper7)
    table = comparison_table({"one": result, "two": result}, {"gender": "girls"})
    assert list(table.columns) == ["one", "two"]
    assert table.loc["bootstrap resamples (Table 7; Table 8)", "one"] == "8; 8"
    again = selection_checks(lbc, paper7, {"problem_solving", "patience"}, n_boot=8, lasso_alphas=5)
    assert again == result  # cached bootstraps, deterministic fits


def test_help_share_gap(lbc):
    data = make_fake_analysis(3000, seed=11)
    gap = help_share_gap(data)
    assert gap["max_gap_points"] >= 0 and gap["nlbc_cases"] > 0
    with pytest.raises(ValueError, match="both LBC and NLBC"):
        help_share_gap(data[data["lbc"]])


def test_the_construction_itself():
    """Balancing changes only outcomes, and it is what makes the other candidates look so null."""
    from leftbehind.yingshan.synthetic import simulate_raw

    balanced, chance = simulate_raw(2023), simulate_raw(2023, NULLS_LEFT_TO_CHANCE)
    differ = [c for c in balanced.columns if not balanced[c].fillna(-1).equals(chance[c].fillna(-1))]
    assert differ == ["nssi", "treatment"]
    assert (balanced["nssi"] != chance["nssi"]).sum() > 0

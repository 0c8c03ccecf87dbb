"""Design effects: the ICC against statsmodels MixedLM, clustered SEs against a hand sandwich."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from fake_analysis import make_fake_analysis
from leftbehind.design_effects import compare_standard_errors, design_effect, gee_exchangeable, icc_anova, naive_and_cluster_fits


def _clustered(n_schools=30, size=40, sd=0.8, seed=1):
    rng = np.random.default_rng(seed)
    school = np.repeat(np.arange(n_schools), size)
    u = rng.normal(0, sd, n_schools)[school]
    x = rng.normal(size=len(school))
    y = (rng.random(len(school)) < 1 / (1 + np.exp(-(-1 + 0.5 * x + u)))).astype(float)
    return pd.DataFrame({"x": x}), y, school


def test_icc_matches_mixedlm_on_balanced_data():
    """For balanced clusters the ANOVA ICC equals the REML variance-component ICC (when positive)."""
    _, y, school = _clustered()
    frame = pd.DataFrame({"y": y, "school": school})
    fit = smf.mixedlm("y ~ 1", frame, groups=frame["school"]).fit(reml=True)
    between = float(fit.cov_re.iloc[0, 0])
    assert icc_anova(y, school) == pytest.approx(between / (between + fit.scale), rel=1e-4)


def test_icc_zero_without_clustering_and_design_effect_formula():
    rng = np.random.default_rng(3)
    y = (rng.random(2000) < 0.3).astype(float)
    school = np.repeat(np.arange(40), 50)
    assert icc_anova(y, school) < 0.01
    _, y2, school2 = _clustered()
    summary = design_effect(y2, school2)
    assert summary["clusters"] == 30 and summary["weighted_cluster_size"] == pytest.approx(40)
    assert summary["design_effect"] == pytest.approx(1 + 39 * summary["icc"])
    assert summary["design_effect"] > 1.5  # strong school effect in the simulation


def test_cluster_robust_se_equals_hand_sandwich():
    design, y, school = _clustered()
    naive, robust = naive_and_cluster_fits(design, y, school)
    np.testing.assert_allclose(naive.params, robust.params)
    x = np.column_stack([np.ones(len(y)), design["x"]])
    p = naive.predict()
    bread = np.linalg.inv(x.T @ (x * (p * (1 - p))[:, None]))
    scores = pd.DataFrame(x * (y - p)[:, None]).groupby(school).sum().to_numpy()
    g, n, k = len(np.unique(school)), len(y), x.shape[1]
    correction = g / (g - 1) * (n - 1) / (n - k)
    sandwich = correction * bread @ scores.T @ scores @ bread
    np.testing.assert_allclose(robust.bse, np.sqrt(np.diag(sandwich)), rtol=1e-8)
    assert robust.bse.iloc[0] > naive.bse.iloc[0]  # clustering widens the constant's interval


def test_gee_and_comparison_table():
    data = make_fake_analysis(3000, seed=2)
    design = pd.DataFrame({"girl": (data["gender"] == "girl").astype(float), "patience": data["patience"]})
    table = compare_standard_errors(design, data["nssi"], data["school_id"])
    assert list(table.index) == ["girl", "patience"]
    assert (table["low_robust"] < table["or_naive"]).all() and (table["or_naive"] < table["high_robust"]).all()
    gee = gee_exchangeable(design, data["nssi"], data["school_id"])
    # the fake data have no school effect: GEE's estimates stay close to the ordinary fit's
    assert abs(gee.model.cov_struct.dep_params) < 0.02
    np.testing.assert_allclose(np.exp(gee.params[["girl", "patience"]]), table["or_naive"], rtol=0.05)
    np.testing.assert_allclose(table["or_gee"], np.exp(gee.params[["girl", "patience"]]))

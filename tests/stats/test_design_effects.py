"""Design effects: the ICC against statsmodels MixedLM, clustered SEs against a hand sandwich."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from fake_analysis import make_fake_analysis
from leftbehind.stats.design_effects import compare_standard_errors, design_effect, gee_exchangeable, icc_anova, naive_and_cluster_fits


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


# ---------------------------------------------------------------------------
# CR2, Mancl-DeRouen, the noise of the SE ratio, the direct design effect

from leftbehind.stats.design_effects import (  # noqa: E402
    cluster_comparison,
    cr1_covariance,
    cr2_logit,
    cr2_sandwich,
    design_effect_direct,
    pooled_ratio_range,
    ratio_ranges,
    se_ratio_noise,
)




def _dense_cr2(x, e, groups):
    """CR2 the slow, literal way: (I - H_gg)^-1/2 from a full eigen-decomposition of each cluster's block."""
    m = np.linalg.inv(x.T @ x)
    meat = np.zeros_like(m)
    for g in np.unique(groups):
        rows = groups == g
        h = x[rows] @ m @ x[rows].T
        lam, vec = np.linalg.eigh(np.eye(rows.sum()) - h)
        a = vec @ np.diag(1 / np.sqrt(lam)) @ vec.T
        s = x[rows].T @ a @ e[rows]
        meat += np.outer(s, s)
    return m @ meat @ m


def test_cr2_equals_hc2_with_one_observation_per_cluster():
    """Independent check: with singleton clusters CR2 is HC2, which statsmodels computes for least squares."""
    import statsmodels.api as sm

    rng = np.random.default_rng(4)
    x = sm.add_constant(rng.normal(size=(60, 2)))
    y = x @ [1.0, 0.5, -0.3] + rng.normal(size=60) * (1 + np.abs(x[:, 1]))
    fit = sm.OLS(y, x).fit(cov_type="HC2")
    cov = cr2_sandwich(x, y - x @ fit.params, np.arange(60))
    np.testing.assert_allclose(cov, fit.cov_params(), rtol=1e-10)


def test_cr2_matches_dense_computation_and_exceeds_cr0():
    rng = np.random.default_rng(5)
    groups = np.repeat(np.arange(8), rng.integers(3, 15, size=8))
    x = np.column_stack([np.ones(len(groups)), rng.normal(size=len(groups)), (groups % 2).astype(float)])
    e = rng.normal(size=len(groups)) + rng.normal(size=8)[groups]
    fast = cr2_sandwich(x, e, groups)
    np.testing.assert_allclose(fast, _dense_cr2(x, e, groups), rtol=1e-9)
    m = np.linalg.inv(x.T @ x)
    cr0 = m @ sum(np.outer(x[groups == g].T @ e[groups == g], x[groups == g].T @ e[groups == g])
                  for g in np.unique(groups)) @ m
    assert (np.diag(fast) > np.diag(cr0)).all()  # (I - H)^-1/2 inflates every cluster's residuals


def test_cr2_refuses_a_parameter_identified_by_one_cluster():
    groups = np.repeat(np.arange(4), 5)
    x = np.column_stack([np.ones(20), (groups == 0).astype(float)])
    with pytest.raises(ValueError, match="leverage 1"):
        cr2_sandwich(x, np.arange(20.0), groups)


def test_cr2_logit_uses_the_weighted_working_model():
    design, y, school = _clustered(n_schools=12, size=30)
    table = cr2_logit(design, y, school)
    naive, robust = naive_and_cluster_fits(design, y, school)
    np.testing.assert_allclose(table["b"], naive.params, rtol=1e-8)
    x = np.column_stack([np.ones(len(y)), design["x"]])
    p = naive.predict()
    w = p * (1 - p)
    dense = _dense_cr2(x * np.sqrt(w)[:, None], (y - p) / np.sqrt(w), school)
    np.testing.assert_allclose(table["se_cr2"], np.sqrt(np.diag(dense)), rtol=1e-8)
    from scipy import stats

    t = table["b"] / table["se_cr2"]
    np.testing.assert_allclose(table["p_cr2"], 2 * stats.t.sf(np.abs(t), df=11))


def test_cr1_covariance_equals_statsmodels_cluster():
    design, y, school = _clustered(n_schools=15, size=25)
    _, robust = naive_and_cluster_fits(design, y, school)
    x = np.column_stack([np.ones(len(y)), design["x"]])
    bread = np.linalg.inv(robust.model.hessian(robust.params) * -1)
    cov = cr1_covariance(x, y, np.asarray(robust.params), bread, pd.factorize(pd.Series(school).astype(str), sort=True)[0])
    np.testing.assert_allclose(cov, robust.cov_params(), rtol=1e-8)


def test_cluster_comparison_has_both_clusterings_and_mancl_derouen_is_larger():
    design, y, school = _clustered(n_schools=12, size=30, sd=0.6)
    town = school // 3
    table = cluster_comparison(design, y, {"school": school, "town": town})
    assert list(table["clustering"].unique()) == ["school", "town"]
    assert set(table["clusters"]) == {12, 4}
    assert (table["term"] == "x").sum() == 2
    assert (table["se_gee_md"] > table["se_gee"]).all()  # Mancl-DeRouen inflates the robust SE
    assert (table["se_cr2"] > table["se_cr1"] * 0.9).all()
    np.testing.assert_allclose(table["ratio_cr2"], table["se_cr2"] / table["se_naive"])


def test_se_ratio_noise_centres_near_one_without_clustering():
    """With no school effect the simulated robust/naive ratio should scatter around 1, more with fewer clusters."""
    design, y, school = _clustered(n_schools=20, size=40, sd=0.0)
    town = school // 5
    noise = se_ratio_noise(design, y, school, {"school": school, "town": town}, school_sd=0.0, n_sim=60, seed=3)
    assert len(noise) == 60 * 2 * 1
    pooled = pooled_ratio_range(noise)
    assert pooled.loc["school", "sim_low"] < 1 < pooled.loc["school", "sim_high"]
    spread = pooled["sim_high"] - pooled["sim_low"]
    assert spread["town"] > spread["school"]  # four clusters are noisier than twenty
    observed = cluster_comparison(design, y, {"school": school, "town": town})
    ranges = ratio_ranges(noise, observed)
    assert set(ranges.columns) >= {"ratio_cr1", "sim_low", "sim_high", "outside"}
    assert ranges["outside"].dtype == bool


def test_se_ratio_noise_is_reproducible():
    design, y, school = _clustered(n_schools=10, size=20)
    a = se_ratio_noise(design, y, school, {"school": school}, school_sd=0.3, n_sim=5, seed=1)
    b = se_ratio_noise(design, y, school, {"school": school}, school_sd=0.3, n_sim=5, seed=1)
    pd.testing.assert_frame_equal(a, b)


def test_design_effect_direct_against_hand_formula():
    _, y, school = _clustered(n_schools=20, size=30, sd=0.9)
    n, g = len(y), 20
    p = y.mean()
    totals = pd.Series(y - p).groupby(school).sum().to_numpy()
    v_cluster = g / (g - 1) * (n - 1) / (n - 1) * (totals**2).sum() / n**2  # statsmodels' factor with k = 1
    v_srs = y.var(ddof=1) / n
    result = design_effect_direct(y, school)
    assert result["design_effect_direct"] == pytest.approx(v_cluster / v_srs, rel=1e-10)
    assert result["design_effect_direct"] > 1.5
    rng = np.random.default_rng(0)
    flat = (rng.random(3000) < 0.2).astype(float)
    assert design_effect_direct(flat, np.arange(3000) % 50)["design_effect_direct"] < 1.6


def test_batched_newton_equals_one_fit_per_outcome():
    from leftbehind.stats.design_effects import _logit_newton_many
    from leftbehind.stats.fast_logit import fit_logit

    rng = np.random.default_rng(4)
    x = np.column_stack([np.ones(800), rng.normal(size=(800, 3)), rng.random(800) < 0.3])
    eta = x @ np.array([-1.0, 0.5, -0.3, 0.2, 0.8])
    y = (rng.random((800, 6)) < 1 / (1 + np.exp(-eta[:, None]))).astype(float)
    betas, breads = _logit_newton_many(x, y, np.zeros(5))
    for s in range(6):
        one = fit_logit(x, y[:, s])
        np.testing.assert_allclose(betas[:, s], one.params, rtol=0, atol=1e-9)
        np.testing.assert_allclose(breads[s], np.linalg.inv(one.information), rtol=1e-9)

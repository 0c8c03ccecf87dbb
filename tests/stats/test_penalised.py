"""Firth's method against a published worked example; the L1 path against simple facts."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from statsmodels.discrete.discrete_model import Logit

from fake_analysis import make_fake_analysis
from leftbehind.paper.models import design_matrix
from leftbehind.stats.penalised import events_per_variable, firth_logit, l1_entry_order, l1_path

# Endometrial cancer data (79 patients): neovasculation NV (0/1), pulsatility index PI, endometrium height EH,
# histology grade HG (0 low, 1 high).  First analysed by Heinze & Schemper (2002, Statistics in Medicine 21:2409),
# provided by E. Asseryanis; distributed with Agresti (2015) and R packages brglm2/enrichwith; copied here from
# Rdatasets, csv/OncoDataSets/EndometrialCancer_df.csv.  NV = 1 occurs only with HG = 1 (quasi-complete
# separation), so maximum likelihood for NV does not exist.
ENDOMETRIAL = """NV,PI,EH,HG
0,13,1.64,0
0,16,2.26,0
0,8,3.14,0
0,34,2.68,0
0,20,1.28,0
0,5,2.31,0
0,17,1.8,0
0,10,1.68,0
0,26,1.56,0
0,17,2.31,0
0,8,2.01,0
0,7,1.89,0
0,20,3.15,0
0,10,1.23,0
0,18,1.27,0
0,16,1.76,0
0,18,2,0
0,8,2.64,1
0,29,0.88,1
0,12,1.27,1
0,20,1.37,1
1,38,0.97,1
1,22,1.14,1
1,7,0.88,1
1,25,0.91,1
1,15,0.58,1
0,7,0.97,1
0,28,1.5,0
0,11,1.33,0
0,19,2.37,0
0,10,1.82,0
0,10,3.13,0
0,18,1.31,0
0,14,1.92,0
0,21,1.64,0
0,11,2.01,0
0,17,1.88,0
0,25,1.93,0
0,16,2.11,0
0,19,1.29,0
0,15,1.72,0
0,33,0.75,0
0,24,1.92,0
0,48,1.84,1
0,12,1.11,1
0,19,1.61,1
0,2,1.18,1
1,22,1.44,1
1,40,1.18,1
1,5,0.93,1
1,0,1.17,1
0,21,1.19,1
0,15,1.06,1
0,29,2.02,0
0,15,2.29,0
0,12,2.33,0
0,3,2.9,0
0,20,1.7,0
0,23,1.41,0
0,12,2.25,0
0,22,1.54,0
0,42,1.97,0
0,15,1.75,0
0,13,2.16,0
0,14,2.57,0
0,19,1.37,0
0,12,3.61,0
0,13,2.04,0
0,10,2.17,0
0,12,1.69,1
1,49,0.27,1
0,6,1.84,1
0,5,1.3,1
0,17,0.96,1
1,11,1.01,1
1,21,0.98,1
0,5,0.35,1
1,19,1.02,1
0,33,0.85,1
"""

# Published Firth estimates (standard errors) for HG ~ NV + PI + EH: Heinze & Schemper (2002); the same values,
# to three decimals, in Table 1 of Rigon & Aliverti (github tommasorigon/logistic-bias-reduction, ENDOMETRIAL),
# computed with brglm2 (type "AS_mean", which is Firth's method for logistic regression).
PUBLISHED = {
    "const": (3.775, 1.489),
    "NV": (2.929, 1.551),
    "PI": (-0.035, 0.040),
    "EH": (-2.604, 0.776),
}


@pytest.fixture(scope="module")
def endometrial():
    return pd.read_csv(io.StringIO(ENDOMETRIAL))


def test_data_as_published(endometrial):
    assert len(endometrial) == 79
    assert endometrial["HG"].sum() == 30
    assert (endometrial.loc[endometrial["NV"] == 1, "HG"] == 1).all()  # the separation


def test_firth_reproduces_published_estimates(endometrial):
    fit = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    for term, (b, se) in PUBLISHED.items():
        assert fit.params[term] == pytest.approx(b, abs=0.0015), term
        assert fit.bse[term] == pytest.approx(se, abs=0.0015), term


def test_firth_finite_where_ml_diverges(endometrial):
    ml = Logit(endometrial["HG"], endometrial[["NV", "PI", "EH"]].assign(const=1.0)).fit(disp=0, maxiter=200,
                                                                                      warn_convergence=False)
    assert ml.params["NV"] > 10  # ML runs off towards infinity
    assert np.isfinite(firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"]).params).all()


def test_firth_approaches_ml_in_large_samples():
    data = make_fake_analysis(40000, seed=5)
    design = pd.DataFrame({"girl": (data["gender"] == "girl").astype(float), "patience": data["patience"]})
    firth = firth_logit(design, data["nssi"])
    ml = Logit(data["nssi"].astype(float), design.assign(const=1.0)).fit(disp=0)
    for term in ("girl", "patience"):
        assert abs(firth.params[term] - ml.params[term]) < 0.05 * ml.bse[term]
    assert abs(firth.params["girl"]) < abs(ml.params["girl"])  # shrinks towards zero


def test_events_per_variable():
    assert events_per_variable([1] * 62 + [0] * 220, 22) == {"events": 62, "non_events": 220, "parameters": 22,
                                                               "epv": pytest.approx(62 / 22)}


def test_l1_path_and_entry_order():
    data = make_fake_analysis(6000, seed=8)
    lbc = data[data["lbc"]].reset_index(drop=True)
    design, blocks = design_matrix(lbc)
    path = l1_path(design, lbc["nssi"], n_alphas=12)
    assert path["alpha"].is_monotonic_decreasing
    first = path.drop(columns="alpha").iloc[0]
    assert (first.abs() < 1e-8).all()  # at alpha_max everything is out
    last = path.drop(columns="alpha").iloc[-1]
    assert (last.abs() > 0).sum() >= 8
    order = l1_entry_order(path, blocks)
    strong = order.loc[["gender", "patience", "venting", "problem_solving", "social_support"], "entry_rank"]
    weak = order.loc[["only_child", "residence", "mother_edu"], "entry_rank"].fillna(99)
    assert strong.max() < weak.min()


# ---------------------------------------------------------------------------
# Penalised-likelihood-ratio p-values and profile intervals

# logistf's results (coefficients, penalised-likelihood-ratio p, 95 % profile penalised-likelihood limits) for a
# quasi-separated data set generated with numpy's default_rng(42), as printed in the test suite of the Python package
# firthmodels (github jzluo/firthmodels, tests/test_logistic.py and tests/conftest.py; its author checked them
# against R's logistf).  The data are regenerated below with the same draws in the same order.
LOGISTF_SEPARATION = {  # term: (coefficient, PLR p, profile lower, profile upper)
    "const": (-0.4434562830, 0.1997147194, -1.16089382506, 0.2295139209),
    "sep": (3.6577140153, 0.0002084147149, 1.3901042899, 8.5876062114),
    "x1": (0.6759781501, 0.0093173148959, 0.1602568036, 1.2568999211),
    "x2": (-0.8633119501, 0.0236385713206, -1.6677883758, -0.1135186948),
    "x3": (0.3385788510, 0.0055887969164, 0.0893054012, 0.6572681313),
}


def _separation_data(seed=42, n=100):
    from scipy.special import expit

    rng = np.random.default_rng(seed)
    separator = rng.choice([0, 1], n, p=[0.8, 0.2])
    x1, x2, x3 = rng.standard_normal(n), rng.uniform(-1, 1, n), rng.exponential(scale=2.0, size=n)
    y = rng.binomial(1, expit(-0.5 + 0.8 * x1 - 0.6 * x2 + 0.3 * x3))
    y[separator == 1] = 1  # every pupil with the separator has the outcome: ML would diverge
    return pd.DataFrame({"sep": separator, "x1": x1, "x2": x2, "x3": x3}), y


def test_plr_pvalues_and_profile_intervals_match_logistf():
    design, y = _separation_data()
    fit = firth_logit(design, y)
    table = fit.full_table()
    for term, (b, p, low, high) in LOGISTF_SEPARATION.items():
        assert fit.params[term] == pytest.approx(b, rel=1e-6), term
        assert table.loc[term, "p_plr"] == pytest.approx(p, rel=1e-5), term
        assert np.log(table.loc[term, "ci_low_profile"]) == pytest.approx(low, rel=1e-5), term
        assert np.log(table.loc[term, "ci_high_profile"]) == pytest.approx(high, rel=1e-5), term


def _constrained_by_scipy(x, y, j, value):
    """Independent computation: maximise the full-model penalised log-likelihood with beta_j fixed (BFGS)."""
    from scipy.optimize import minimize

    free = [k for k in range(x.shape[1]) if k != j]

    def negative(theta):
        beta = np.empty(x.shape[1])
        beta[free], beta[j] = theta, value
        eta = x @ beta
        p = 1 / (1 + np.exp(-eta))
        info = (x * (p * (1 - p))[:, None]).T @ x
        return -(np.sum(y * eta - np.logaddexp(0, eta)) + 0.5 * np.linalg.slogdet(info)[1])

    result = minimize(negative, np.zeros(len(free)), method="BFGS", options={"gtol": 1e-9})
    return -result.fun


def test_plr_and_profile_limits_against_an_independent_optimiser(endometrial):
    from scipy import stats

    fit = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    table = fit.full_table()
    x = np.column_stack([np.ones(len(endometrial)), endometrial[["NV", "PI", "EH"]].to_numpy(float)])
    y = endometrial["HG"].to_numpy(float)
    cut = stats.chi2.ppf(0.95, 1)
    for j, term in enumerate(["const", "NV", "PI", "EH"]):
        statistic = 2 * (fit.penalised_llf - _constrained_by_scipy(x, y, j, 0.0))
        assert table.loc[term, "p_plr"] == pytest.approx(stats.chi2.sf(statistic, 1), rel=1e-4), term
        for limit in ("ci_low_profile", "ci_high_profile"):
            drop = 2 * (fit.penalised_llf - _constrained_by_scipy(x, y, j, np.log(table.loc[term, limit])))
            assert drop == pytest.approx(cut, abs=1e-4), (term, limit)
    # NV is separated: its Wald interval is symmetric, the profile interval is not, and PLR finds it clearly non-null
    nv = table.loc["NV"]
    assert nv["p_plr"] < 0.05 < nv["p_wald"]
    assert np.log(nv["ci_high_profile"]) - fit.params["NV"] > fit.params["NV"] - np.log(nv["ci_low_profile"])


def test_table_labels_wald_columns():
    design, y = _separation_data()
    table = firth_logit(design, y).table()
    assert list(table.columns) == ["b", "se", "p_wald", "or", "ci_low_wald", "ci_high_wald"]
    full = firth_logit(design, y).full_table(profile=False)
    assert "p_plr" in full.columns and "ci_low_profile" not in full.columns
# --- Tests that would notice (issue 14, item 8): the Firth table, the penalised likelihood, options, L1 helpers ---

from scipy import stats as _stats  # noqa: E402

from leftbehind.stats.penalised import Z95, l1_entry_order, standardise  # noqa: E402


def _penalised_by_hand(x, y, beta):
    eta = x @ beta
    p = 1 / (1 + np.exp(-eta))
    llf = np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))
    info = x.T @ np.diag(p * (1 - p)) @ x
    return llf + 0.5 * np.log(np.linalg.det(info)), llf


def test_firth_estimate_maximises_the_penalised_likelihood(endometrial):
    design = endometrial[["NV", "PI", "EH"]]
    fit = firth_logit(design, endometrial["HG"])
    x = design.assign(const=1.0)[["const", "NV", "PI", "EH"]].to_numpy(float)
    y = endometrial["HG"].to_numpy(float)
    beta = fit.params[["const", "NV", "PI", "EH"]].to_numpy()
    penalised, llf = _penalised_by_hand(x, y, beta)
    assert fit.penalised_llf == pytest.approx(penalised, rel=1e-10)
    assert fit.llf == pytest.approx(llf, rel=1e-10)
    # the gradient of the penalised log-likelihood vanishes at the estimate (central differences)
    for j in range(4):
        e = np.zeros(4)
        e[j] = 1e-5
        slope = (_penalised_by_hand(x, y, beta + e)[0] - _penalised_by_hand(x, y, beta - e)[0]) / 2e-5
        assert abs(slope) < 1e-5
    info = x.T @ np.diag((p := 1 / (1 + np.exp(-x @ beta))) * (1 - p)) @ x
    np.testing.assert_allclose(fit.bse[["const", "NV", "PI", "EH"]], np.sqrt(np.diag(np.linalg.inv(info))), rtol=1e-8)
    assert 3 <= fit.iterations < 50


def test_firth_table_is_wald(endometrial):
    fit = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    table = fit.table()
    for term in ("const", "NV", "PI", "EH"):
        b, se = fit.params[term], fit.bse[term]
        assert table.loc[term, "b"] == b and table.loc[term, "se"] == se
        assert table.loc[term, "p_wald"] == pytest.approx(2 * _stats.norm.sf(abs(b / se)), rel=1e-12)
        assert table.loc[term, "or"] == pytest.approx(np.exp(b), rel=1e-12)
        assert table.loc[term, "ci_low_wald"] == pytest.approx(np.exp(b - 1.959963984540054 * se), rel=1e-12)
        assert table.loc[term, "ci_high_wald"] == pytest.approx(np.exp(b + 1.959963984540054 * se), rel=1e-12)
    assert Z95 == pytest.approx(1.959963984540054)


def test_firth_options(endometrial):
    design, y = endometrial[["NV", "PI", "EH"]], endometrial["HG"]
    default = firth_logit(design, y)
    manual = firth_logit(design.assign(const=1.0)[["const", "NV", "PI", "EH"]], y, add_constant=False)
    np.testing.assert_allclose(manual.params.to_numpy(), default.params.to_numpy(), atol=1e-9)
    assert list(default.params.index) == ["const", "NV", "PI", "EH"]
    short = firth_logit(design, y, max_step=0.05)  # capped steps: more iterations, same answer
    np.testing.assert_allclose(short.params.to_numpy(), default.params.to_numpy(), atol=1e-8)
    assert short.iterations > default.iterations
    with pytest.raises(RuntimeError, match="did not converge in 2 iterations"):
        firth_logit(design, y, maxiter=2)
    loose = firth_logit(design, y, tol=1e-2)
    assert loose.iterations < default.iterations


def test_events_per_variable_uses_the_rarer_outcome():
    assert events_per_variable([1] * 90 + [0] * 10, 5) == {"events": 90, "non_events": 10, "parameters": 5, "epv": 2.0}


def test_standardise_and_constant_columns():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0], "b": [0, 0, 1, 1]})
    out = standardise(frame)
    np.testing.assert_allclose(out.mean(), 0, atol=1e-15)
    np.testing.assert_allclose(out.std(ddof=0), 1)
    np.testing.assert_allclose(out["b"], [-1, -1, 1, 1])
    with pytest.raises(ValueError, match="constant column"):
        standardise(frame.assign(c=2.0))


def test_l1_grid_runs_from_the_smallest_penalty_that_removes_everything():
    rng = np.random.default_rng(4)
    design = pd.DataFrame({"x1": rng.normal(size=300), "x2": rng.normal(size=300)})
    y = (rng.random(300) < 1 / (1 + np.exp(-(0.8 * design["x1"])))).astype(float)
    path = l1_path(design, y, n_alphas=5, min_ratio=0.01)
    x = standardise(design).to_numpy()
    alpha_max = np.max(np.abs(x.T @ (y - y.mean())))
    np.testing.assert_allclose(path["alpha"], alpha_max * np.logspace(0, -2, 5), rtol=1e-12)
    assert list(path.columns) == ["alpha", "x1", "x2"]
    assert (path.iloc[0, 1:].abs() < 1e-8).all() and abs(path.iloc[-1]["x1"]) > 0.3
    # just below alpha_max, x1 (the true predictor) is the first to enter
    assert path.iloc[1]["x1"] != 0


def test_l1_entry_order_by_hand():
    path = pd.DataFrame({"alpha": [8.0, 4.0, 2.0, 1.0], "a": [0, 0.1, 0.2, 0.3], "b[1]": [0, 0, 0, -0.1],
                         "b[2]": [0, 0, 0.05, 0.0], "c": [0, 0.2, 0.1, 0.1], "d": [0, 0, 0, 0]})
    order = l1_entry_order(path, {"a": ["a"], "b": ["b[1]", "b[2]"], "c": ["c"], "d": ["d"]})
    assert order["entry_alpha"].tolist()[:3] == [4.0, 2.0, 4.0] and np.isnan(order.loc["d", "entry_alpha"])
    assert order["entry_rank"].tolist()[:3] == [1.0, 3.0, 1.0] and np.isnan(order.loc["d", "entry_rank"])


def test_singular_information_has_no_penalised_likelihood():
    from leftbehind.stats.penalised import _penalised_loglike

    x = np.column_stack([np.ones(6), np.arange(6.0), 2 * np.arange(6.0)])
    y = np.array([0, 1, 0, 1, 1, 0.0])
    value, llf = _penalised_loglike(x, y, np.zeros(3))
    assert value == -np.inf and llf == pytest.approx(6 * np.log(0.5))


def test_firth_halves_a_step_that_lowers_the_penalised_likelihood(endometrial, monkeypatch):
    import leftbehind.stats.penalised as penalised

    design, y = endometrial[["NV", "PI", "EH"]], endometrial["HG"]
    plain = firth_logit(design, y)
    real = penalised._penalised_loglike
    seen = []

    def first_candidate_is_worse(x, yy, beta):
        seen.append(beta.copy())
        value, llf = real(x, yy, beta)
        return (-np.inf if len(seen) == 2 else value), llf  # call 1: the start; call 2: the first full step

    monkeypatch.setattr(penalised, "_penalised_loglike", first_candidate_is_worse)
    halved = firth_logit(design, y)
    np.testing.assert_allclose(halved.params.to_numpy(), plain.params.to_numpy(), atol=1e-8)
    # the third evaluation is the same step halved: half-way between the start (zeros) and the rejected candidate
    np.testing.assert_allclose(seen[2], seen[1] / 2, rtol=1e-12)
    assert len(seen) >= plain.iterations + 3  # start, the rejected step, its half, ..., the final evaluation


def _first_firth_step(x, y):
    """From beta = 0 every p is 1/2, so the modified score is X'(y - 1/2) and the information X'X / 4."""
    return np.linalg.solve(0.25 * x.T @ x, x.T @ (y - 0.5))


def test_firth_steps_iterations_and_convergence(endometrial, monkeypatch):
    import leftbehind.stats.penalised as penalised

    design, y = endometrial[["NV", "PI", "EH"]], endometrial["HG"]
    x = design.assign(const=1.0)[["const", "NV", "PI", "EH"]].to_numpy(float)
    yv = y.to_numpy(float)
    real = penalised._penalised_loglike
    seen = []

    def counting(xx, yy, beta):
        seen.append(beta.copy())
        return real(xx, yy, beta)

    monkeypatch.setattr(penalised, "_penalised_loglike", counting)
    fit = firth_logit(design, y)
    # no halving on these data: the start, one evaluation per iteration, the final one
    assert len(seen) == fit.iterations + 2
    step = _first_firth_step(x, yv)
    assert np.max(np.abs(step)) < 5  # below max_step = 5: the first candidate is the full step (t = 1)
    np.testing.assert_allclose(seen[1], step, rtol=1e-10)
    seen.clear()
    capped = firth_logit(design, y, max_step=0.05)  # capped: the same direction, largest change 0.05
    np.testing.assert_allclose(seen[1], step * 0.05 / np.max(np.abs(step)), rtol=1e-10)
    assert capped.iterations > fit.iterations
    # converged: the modified score X'(y - p + h (1/2 - p)) vanishes at the estimate
    beta = fit.params[["const", "NV", "PI", "EH"]].to_numpy()
    p = 1 / (1 + np.exp(-x @ beta))
    w = p * (1 - p)
    hat = np.diag(np.sqrt(w)[:, None] * x @ np.linalg.inv(x.T @ (w[:, None] * x)) @ (x * np.sqrt(w)[:, None]).T)
    assert np.max(np.abs(x.T @ (yv - p + hat * (0.5 - p)))) < 1e-8
    # exactly as many iterations as it needs are enough
    monkeypatch.undo()
    assert firth_logit(design, y, maxiter=fit.iterations).iterations == fit.iterations


def test_l1_default_grid():
    rng = np.random.default_rng(2)
    design = pd.DataFrame({"x1": rng.normal(size=200), "x2": rng.normal(size=200)})
    y = (rng.random(200) < 0.3).astype(float)
    path = l1_path(design, y)
    assert len(path) == 25
    assert path["alpha"].iloc[-1] == pytest.approx(0.005 * path["alpha"].iloc[0], rel=1e-12)


# --- Survivors of the second mutation run (issue 14, item 8) ---


def test_profile_interval_defaults_to_95_percent_as_logistf():
    design, y = _separation_data()
    fit = firth_logit(design, y)
    for term in ("sep", "x2"):
        low, high = fit.profile_interval(term)
        assert low == pytest.approx(LOGISTF_SEPARATION[term][2], rel=1e-5), term
        assert high == pytest.approx(LOGISTF_SEPARATION[term][3], rel=1e-5), term


def test_full_table_columns_in_the_documented_order():
    design, y = _separation_data()
    table = firth_logit(design, y).full_table()
    assert list(table.columns) == ["b", "se", "p_wald", "p_plr", "or", "ci_low_wald", "ci_high_wald",
                                   "ci_low_profile", "ci_high_profile"]


def test_firth_maxiter_caps_the_iterations(endometrial):
    design, y = endometrial[["NV", "PI", "EH"]], endometrial["HG"]
    needed = firth_logit(design, y).iterations
    with pytest.raises(RuntimeError, match=f"did not converge in {needed - 1} iterations"):
        firth_logit(design, y, maxiter=needed - 1)


def test_profile_interval_at_another_level_against_an_independent_optimiser(endometrial):
    # at 50 % the limits lie within one Wald SE of the estimate: each is found on its own side, where the drop in
    # penalised log-likelihood equals the chi-square quantile
    fit = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    x = np.column_stack([np.ones(len(endometrial)), endometrial[["NV", "PI", "EH"]].to_numpy(float)])
    y = endometrial["HG"].to_numpy(float)
    cut = _stats.chi2.ppf(0.5, 1)
    low, high = fit.profile_interval("EH", level=0.5)
    b, se = fit.params["EH"], fit.bse["EH"]
    assert b - se < low < b < high < b + se
    for limit in (low, high):
        assert 2 * (fit.penalised_llf - _constrained_by_scipy(x, y, 3, limit)) == pytest.approx(cut, abs=1e-4)
    table = fit.full_table(level=0.5)
    assert np.log(table.loc["EH", "ci_low_profile"]) == pytest.approx(low, rel=1e-9)


def test_a_long_first_step_is_capped_at_logistfs_maxstep(endometrial, monkeypatch):
    # PI in thousands: its coefficient is 1000 times larger and the first Newton step for it is about -18;
    # as in logistf (maxstep = 5) the step is shortened so its largest change is 5, and the fit still converges
    import leftbehind.stats.penalised as penalised

    design = endometrial[["NV", "PI", "EH"]].assign(PI=endometrial["PI"] / 1000)
    x = design.assign(const=1.0)[["const", "NV", "PI", "EH"]].to_numpy(float)
    step = _first_firth_step(x, endometrial["HG"].to_numpy(float))
    assert np.max(np.abs(step)) > 10
    real = penalised._penalised_loglike
    seen = []

    def counting(xx, yy, beta):
        seen.append(beta.copy())
        return real(xx, yy, beta)

    monkeypatch.setattr(penalised, "_penalised_loglike", counting)
    fit = firth_logit(design, endometrial["HG"])
    monkeypatch.undo()
    np.testing.assert_allclose(seen[1], step * 5 / np.max(np.abs(step)), rtol=1e-10)
    plain = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    assert fit.params["PI"] == pytest.approx(1000 * plain.params["PI"], rel=1e-7)
    assert fit.params["EH"] == pytest.approx(plain.params["EH"], rel=1e-7)


def test_l1_path_satisfies_the_lasso_optimality_conditions():
    # an independent check of every point on the path (Karush-Kuhn-Tucker): with the constant unpenalised and
    # re-estimated here, each non-zero coefficient has score alpha * sign(b), each zero one a score within +-alpha
    from scipy.optimize import brentq

    rng = np.random.default_rng(4)
    design = pd.DataFrame({"x1": rng.normal(size=300), "x2": rng.normal(size=300), "x3": rng.normal(size=300)})
    y = (rng.random(300) < 1 / (1 + np.exp(-(-0.5 + 0.8 * design["x1"] - 0.3 * design["x2"])))).astype(float)
    path = l1_path(design, y, n_alphas=6, min_ratio=0.01)
    x = standardise(design).to_numpy()
    for _, row in path.iterrows():
        alpha, b = row["alpha"], row[["x1", "x2", "x3"]].to_numpy(float)
        eta = x @ b
        b0 = brentq(lambda c: np.sum(y - 1 / (1 + np.exp(-(c + eta)))), -20, 20)
        score = x.T @ (y - 1 / (1 + np.exp(-(b0 + eta))))
        for j in range(3):
            if b[j] != 0:
                assert score[j] == pytest.approx(alpha * np.sign(b[j]), abs=5e-3 + 1e-4 * alpha)
            else:
                assert abs(score[j]) <= alpha + 5e-3


def test_l1_path_prints_nothing(capfd):
    # a notebook cell that prints fails the strict book build; the optimiser must stay quiet
    rng = np.random.default_rng(3)
    design = pd.DataFrame({"x1": rng.normal(size=100), "x2": rng.normal(size=100)})
    y = (rng.random(100) < 0.4).astype(float)
    l1_path(design, y, n_alphas=3)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_constrained_fit_reaches_the_same_maximum_from_another_start(endometrial):
    # the profile intervals start each constrained fit from the one at the nearest value already tried
    fit = firth_logit(endometrial[["NV", "PI", "EH"]], endometrial["HG"])
    for term, value in (("PI", 0.0), ("EH", -1.5), ("const", 2.0)):
        default = fit.constrained_penalised_llf(term, value)
        for start in (np.zeros(4), fit.params.to_numpy() + 0.5):
            assert fit.constrained_penalised_llf(term, value, start=start) == pytest.approx(default, abs=1e-9)

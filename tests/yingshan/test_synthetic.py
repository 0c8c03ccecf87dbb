"""The synthetic cohort reproduces the paper's printed counts exactly (seed 2023) and is deterministic."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import Table2x2

from leftbehind.yingshan.pipeline import run_pipeline
from leftbehind.yingshan.synthetic import (COUNTY_TOWN, assumption_values, ipf_round, load_assumptions, schools, simulate_raw,
                                         split_counts, town_of_school, write_raw)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    raw = simulate_raw(seed=2023)
    path = write_raw(raw, tmp_path_factory.mktemp("syn") / "raw.csv")
    return raw, run_pipeline(path)


def test_write_raw_writes_pandas_bytes(cohort, tmp_path):
    """The export is written by the fast writer, with exactly the bytes pandas would write."""
    raw, _ = cohort
    theirs = tmp_path / "pandas.csv"
    raw.to_csv(theirs, index=False, na_rep="", lineterminator="\n")
    ours = write_raw(raw, tmp_path / "ours.csv")
    assert ours.read_bytes() == theirs.read_bytes()


def test_flow_exact(cohort):
    raw, result = cohort
    assert len(raw) == 19005
    assert result.flow == {"collected": 19005, "excluded_incomplete": 2037, "valid": 16968,
                           "excluded_out_of_range": 102, "analysed": 16866}


def test_lbc_counts_exact(cohort):
    a = cohort[1].analysis
    lbc = a[a["lbc"]]
    assert len(lbc) == 6096
    assert lbc["gender"].value_counts().to_dict() == {"boy": 3221, "girl": 2875}
    assert lbc["stage"].value_counts().to_dict() == {"primary": 2532, "junior": 2164, "senior": 1400}
    assert round(100 * (lbc["residence"] == "rural").mean(), 1) == 58.7


def test_nssi_and_help_exact(cohort):
    a = cohort[1].analysis
    lbc = a[a["lbc"]]
    cases = lbc[lbc["nssi"] == 1]
    assert len(cases) == 282
    assert cases["gender"].value_counts().to_dict() == {"girl": 183, "boy": 99}
    assert cases["help_seeking"].value_counts().to_dict() == {"none": 152, "professional": 62, "self_help": 42, "refused": 26}
    assert cohort[1].summary()["help_seeking_lbc"] == {"none": 152, "refused": 26, "self_help": 42, "professional": 62}
    girls = Table2x2(np.array([[183, 2875 - 183], [99, 3221 - 99]]))
    assert round(girls.oddsratio, 2) == 2.14


def test_stage_rates_boarder_or_and_age(cohort):
    a = cohort[1].analysis
    junior = a[a["stage"] == "junior"].groupby("lbc")["nssi"].mean()
    assert round(100 * junior[True], 1) == 5.6 and round(100 * junior[False], 1) == 4.4
    lbc = a[a["lbc"]]
    board = lbc["boarder"] == "yes"
    table = np.array([[(board & (lbc.nssi == 1)).sum(), (board & (lbc.nssi == 0)).sum()],
                      [(~board & (lbc.nssi == 1)).sum(), (~board & (lbc.nssi == 0)).sum()]])
    assert round(Table2x2(table).oddsratio, 2) == 1.71
    low, high = Table2x2(table).oddsratio_confint()
    assert round(low, 2) == 1.33 and round(high, 2) == 2.18
    assert round(a["age"].mean(), 2) == 13.51 and round(a["age"].std(), 2) == 2.32
    assert a["age"].between(10, 18).all() and a["grade"].between(4, 12).all()


def test_schools_are_clusters(cohort):
    raw = cohort[0]
    assert raw["school_id"].nunique() >= 40
    assert raw.groupby("school_id").size().min() > 50


def test_deterministic_and_seed_dependent():
    first, again, other = simulate_raw(seed=7), simulate_raw(seed=7), simulate_raw(seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_helpers():
    assert list(split_counts(10, [1, 1, 1])) == [4, 3, 3]
    table = ipf_round(np.array([[2.0, 2.0, 2.0], [1.0, 1.0, 1.0]]), np.array([183, 99]), np.array([56, 121, 105]))
    assert table.sum(axis=1).tolist() == [183, 99] and table.sum(axis=0).tolist() == [56, 121, 105]


def test_register_is_complete():
    register = load_assumptions()
    assert {"assumption", "value", "justification", "source"} <= set(register.columns)
    assert (register["justification"].str.strip() != "").all()
    assert (register["value"].str.strip() != "").all()


def test_fidelity_table_every_row_matches(cohort):
    from leftbehind.core.provenance import load_published
    from leftbehind.yingshan.synthetic import fidelity_table

    table = fidelity_table(cohort[1].analysis, cohort[1].flow, load_published("yong2023")).set_index("key")
    assert len(table) >= 25
    assert table.loc["age_mean", "synthetic"] == "13.51"
    assert table.loc["nssi_junior_nlbc_pct", "synthetic"] == "4.4"
    mismatches = table[table["matches"] == "no"].index.tolist()  # the two county-town rows are not calibrated
    assert mismatches == [], mismatches


def _full_logit(data, outcome):
    import statsmodels.formula.api as smf

    terms = ["C(gender, Treatment('boy'))", "C(stage, Treatment('primary'))", "C(only_child, Treatment('no'))",
             "C(residence, Treatment('rural'))", "C(boarder, Treatment('no'))", "C(father_edu, Treatment('below_junior'))",
             "C(mother_edu, Treatment('below_junior'))", "C(family, Treatment('nuclear'))", "problem_solving",
             "social_support", "positive_reappraisal", "patience", "escape", "venting", "fantasy_denial"]
    frame = data.copy()
    for column in ("gender", "stage", "only_child", "residence", "boarder", "father_edu", "mother_edu", "family"):
        frame[column] = frame[column].astype(str)
    frame[outcome] = frame[outcome].astype(int)
    return smf.logit(f"{outcome} ~ " + " + ".join(terms), frame).fit(disp=0).tvalues.drop("Intercept")


def test_intended_effects_detectable_and_nulls_small(cohort):
    """Full (not stepwise) models on seed 2023: the paper's retained terms are clear, the rest are small."""
    a = cohort[1].analysis
    lbc = a[a["lbc"]]
    z = _full_logit(lbc, "nssi")
    intended = {"girl": 1, "T.junior": 1, "T.senior": 1, "T.single_parent": 1, "T.remarried": 1,
                "problem_solving": -1, "social_support": -1, "patience": 1, "venting": 1}
    for label, sign in intended.items():
        term = next(t for t in z.index if t.endswith(label) or t.endswith(label + "]"))
        assert sign * z[term] > 3, (term, z[term])
    nulls = [t for t in z.index if not any(t.endswith(l) or t.endswith(l + "]") for l in intended)]
    assert z[nulls].abs().max() < 1.5, z[nulls]
    zh = _full_logit(lbc[lbc["nssi"] == 1], "professional")
    assert zh["problem_solving"] > 2.5 and zh["patience"] < -2.5
    assert zh.drop(["problem_solving", "patience"]).abs().max() < 1.5


def test_logistic_fit_matches_statsmodels():
    import statsmodels.api as sm

    from leftbehind.yingshan.synthetic import logistic_fit

    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(500), rng.normal(size=(500, 3))])
    y = (rng.random(500) < 1 / (1 + np.exp(-(X @ np.array([-1.0, 0.8, -0.5, 0.0]))))).astype(float)
    assert np.allclose(logistic_fit(X, y), sm.Logit(y, X).fit(disp=0).params, atol=1e-8)


def test_town_effect_changes_only_outcomes():
    """A town effect (register town_effect_sd) comes from its own random stream: pupils stay the same.

    Boarding may move too: the boarder odds-ratio calibration flips the boarding of some non-cases.
    """
    base, towns = simulate_raw(seed=2023), simulate_raw(seed=2023, overrides={"town_effect_sd": "0.8"})
    differ = [c for c in base.columns if not base[c].fillna(-1).equals(towns[c].fillna(-1))]
    assert set(differ) <= {"boarder", "nssi", "treatment"} and "nssi" in differ
    assert (base["nssi"] != towns["nssi"]).sum() > 50


def test_town_of():
    from leftbehind.yingshan.synthetic import COUNTY_TOWN, town_of

    assert town_of("T3-P1") == "T3" and town_of("T12-S1") == "T12" and town_of("C-J2") == COUNTY_TOWN


def test_town_of_school_reads_generator_ids_and_rejects_others():
    towns = town_of_school(["T1-P2", "T8-J1", "T4-S1", "C-P3", "C-S1"])
    assert list(towns) == ["T1", "T8", "T4", COUNTY_TOWN, COUNTY_TOWN]
    with pytest.raises(ValueError, match="school_id: cannot tell the town of 2 school id"):
        town_of_school(["T1-P2", "Yingshan No. 1", "X-9"])


def test_every_synthetic_school_has_a_town():
    lists = schools(assumption_values(load_assumptions())["schools"])
    ids = [s for group in lists.values() for s in group]
    towns = town_of_school(ids)
    assert towns.nunique() == 9  # eight towns plus the county town, as sampled in the paper
    assert (towns == COUNTY_TOWN).sum() == 6


def _every_table(n, cases, a0, boarders0, target):
    """The search without the screen: every (boarder cases, boarders) table tested in full, row by row."""
    best, best_distance = None, None
    a = np.arange(1, cases)[:, None]
    nb = np.arange(cases, n - cases)[None, :]
    b, c = nb - a, cases - a
    d = n - nb - c
    with np.errstate(divide="ignore", invalid="ignore"):
        log_or = np.log(a * d / (b * c))
        se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        ok = (b > 0) & (d > 0)
        for value, estimate in zip(target, (log_or, log_or - 1.959964 * se, log_or + 1.959964 * se)):
            ok &= np.round(np.exp(estimate), 2) == value
    for i, j in zip(*np.nonzero(ok)):
        distance = abs(int(a[i, 0]) - a0) * 50 + abs(int(nb[0, j]) - boarders0)
        if best_distance is None or distance < best_distance:
            best, best_distance = (int(a[i, 0]), int(nb[0, j])), distance
    return best


@pytest.mark.parametrize("n, cases, a0, boarders0, target", [
    (6096, 282, 100, 2500, (1.71, 1.33, 2.18)),  # the paper's boarder OR
    (6096, 282, 150, 1000, (1.71, 1.33, 2.18)),
    (6096, 282, 100, 2500, (1.30, 1.01, 1.67)),
    (6096, 282, 71, 1800, (0.80, 0.60, 1.05)),
    (3000, 150, 10, 300, (1.71, 1.33, 2.18)),
])
def test_screened_boarder_search_finds_the_same_table_as_testing_every_table(n, cases, a0, boarders0, target):
    from leftbehind.yingshan.synthetic import boarder_table_target

    expected = _every_table(n, cases, a0, boarders0, target)
    if expected is None:
        with pytest.raises(RuntimeError, match="no boarder table"):
            boarder_table_target(n, cases, a0, boarders0, target)
    else:
        assert boarder_table_target(n, cases, a0, boarders0, target) == expected

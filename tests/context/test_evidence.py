"""Tests for leftbehind.context.evidence: the living evidence table and its meta-analysis."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.plots.figures import show_figure
from leftbehind.context import evidence as ev
from leftbehind.core.errors import UserError
from leftbehind.core.provenance import load_published


@pytest.fixture()
def table() -> pd.DataFrame:
    return ev.load_evidence()


def write_copy(tmp_path: Path, edit=None, extra_rows=()) -> Path:
    """Copy the evidence CSV to ``tmp_path``, optionally editing rows or appending new ones."""
    source = ev.evidence_path()
    with open(source, encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    if edit:
        edit(rows)
    for extra in extra_rows:
        rows.append({field: extra.get(field, "") for field in fields})
    target = tmp_path / "nssi_evidence.csv"
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target


NEW_STUDY = {
    "study_id": "hypothetical2026", "label": "Hypothetical 2026", "citation": "yong2023", "region": "test only",
    "age_group": "child_adolescent", "n_total": "2000", "n_lbc": "1000", "n_nlbc": "1000", "construct": "nssi",
    "events_lbc": "150", "events_nlbc": "60", "includable_in_pooled_or": "yes", "section": "test", "where_read": "test",
}


# --- the table itself --------------------------------------------------------------------------------------------

def test_table_loads_and_every_row_has_provenance(table):
    assert table["study_id"].is_unique
    assert not table["where_read"].isna().any() and not table["section"].isna().any()
    assert set(table["construct"]) <= set(ev.CONSTRUCTS)


def test_bib_has_every_citation(table):
    bib = (Path(ev.__file__).resolve().parents[3] / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(pd.Series(bib.split("@")[1:]).str.extract(r"^\w+\{([^,]+),")[0])
    missing = sorted(set(table["citation"]) - keys)
    assert not missing, f"citations without a bib entry: {missing}"


def test_duplicate_sample_is_marked_and_counted_once(table):
    xiao = table.set_index("study_id").loc["xiao2020"]
    assert xiao["duplicate_of"] == "tian2019"
    prevalence = ev.lbc_prevalence(table)
    assert "xiao2020" not in set(prevalence["study_id"]) and "tian2019" in set(prevalence["study_id"])


def test_printed_percentages_agree_with_counts(table):
    rows = table.set_index("study_id")
    # Yong et al.: 282/6096 printed as 4.6 %; Yu et al.: 243/3596 as 6.8 %, derived 300/5854 as 5.1 %.
    assert round(100 * 282 / 6096, 1) == float(rows.loc["yong2023", "prev_lbc_pct"])
    assert int(rows.loc["yu2023", "events_nlbc"]) == int(rows.loc["yu2023", "events_total"]) - int(rows.loc["yu2023", "events_lbc"])
    assert ev.is_derived(rows.loc["yu2023"], "events_nlbc") and not ev.is_derived(rows.loc["yu2023"], "events_lbc")


def test_a_derived_count_that_contradicts_the_printed_percent_is_rejected(tmp_path):
    def tamper(rows):
        next(r for r in rows if r["study_id"] == "college2025")["events_lbc"] = "330"

    with pytest.raises(UserError, match=r"nssi_evidence\.csv: column 'prev_lbc_pct' disagrees with events_lbc/n_lbc.*row\(s\) 10"):
        ev.load_evidence(write_copy(tmp_path, tamper))


@pytest.mark.parametrize("field, value, message", [
    ("events_lbc", "9999", "column 'events_lbc' must not exceed n_lbc in row(s) 2"),
    ("construct", "suicidality", "column 'construct' must be one of"),
    ("n_total", "9451", "column 'n_total' must equal n_lbc + n_nlbc"),
    ("prev_lbc_decimals", "2", "column 'prev_lbc_decimals' disagrees with the decimals"),
    ("duplicate_of", "nobody", "column 'duplicate_of' must name another study_id in row(s) 2"),
    ("events_nlbc", "", "column 'events_nlbc' must be given for a row includable in the pooled OR in row(s) 2"),
    ("n_lbc", "3596.5", "column 'n_lbc' must be a whole number"),
])
def test_bad_rows_raise_a_user_error_naming_file_column_and_row(tmp_path, field, value, message):
    def tamper(rows):
        rows[1][field] = value  # Yu et al. 2023, data row 2

    with pytest.raises(UserError) as info:
        ev.load_evidence(write_copy(tmp_path, tamper))
    assert "nssi_evidence.csv" in str(info.value) and message in str(info.value)


def test_excluded_rows_must_say_why(tmp_path):
    def tamper(rows):
        rows[0]["exclusion_reason"] = ""

    with pytest.raises(UserError, match=r"'exclusion_reason' must explain.*row\(s\) 1"):
        ev.load_evidence(write_copy(tmp_path, tamper))


# --- per-study statistics against independent arithmetic ---------------------------------------------------------

def wilson(events: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval written out (Wilson 1927), independent of statsmodels."""
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_lbc_prevalence_uses_the_wilson_interval(table):
    prevalence = ev.lbc_prevalence(table).set_index("study_id")
    low, high = wilson(282, 6096)
    assert prevalence.loc["yong2023", "ci_low_pct"] == pytest.approx(100 * low, abs=1e-9)
    assert prevalence.loc["yong2023", "ci_high_pct"] == pytest.approx(100 * high, abs=1e-9)
    assert prevalence.loc["yong2023", "estimate_pct"] == pytest.approx(100 * 282 / 6096)
    assert math.isnan(prevalence.loc["feng2024", "ci_low_pct"])  # no group size printed: no interval invented
    assert list(prevalence["construct"]) == sorted(prevalence["construct"], key=list(ev.CONSTRUCTS).index)


def test_log_odds_ratio_and_se_match_the_textbook_formula(table):
    effects = ev.study_odds_ratios(table).set_index("study_id")
    a, b, c, d = 243, 3596 - 243, 300, 5854 - 300
    assert effects.loc["yu2023", "log_or"] == pytest.approx(math.log(a * d / (b * c)))
    assert effects.loc["yu2023", "se"] == pytest.approx(math.sqrt(1 / a + 1 / b + 1 / c + 1 / d))


def test_only_rows_marked_includable_enter_the_pooled_or(table):
    effects = ev.study_odds_ratios(table)
    assert set(effects["study_id"]) == set(table.loc[table["includable_in_pooled_or"] == "yes", "study_id"])
    assert effects.set_index("study_id")["construct"].to_dict() == {
        "yu2023": "nssi", "college2025": "nssi", "zhou2022": "self_harm"}


# --- pooling against a hand-worked DerSimonian–Laird example --------------------------------------------------------

HAND = pd.DataFrame({"study_id": ["a", "b", "c"], "construct": "nssi",
                     "log_or": [0.2, 0.5, -0.1], "se": np.sqrt([0.01, 0.02, 0.015])})


def test_dersimonian_laird_matches_a_hand_worked_example():
    # Worked by hand: w = 1/v = 100, 50, 66.667; Σw = 216.667; fixed mean = 38.333/216.667 = 0.176923;
    # Q = Σ w (y − mean)² = 0.05325 + 5.21893 + 5.11243 = 10.3846 on 2 df;
    # C = Σw − Σw²/Σw = 216.667 − 78.205 = 138.462; τ² = (Q − df)/C = 0.060556.
    y, v = HAND["log_or"].to_numpy(), HAND["se"].to_numpy() ** 2
    w = 1 / v
    mean_fe = (w * y).sum() / w.sum()
    q = (w * (y - mean_fe) ** 2).sum()
    c = w.sum() - (w**2).sum() / w.sum()
    tau2 = (q - 2) / c
    w_re = 1 / (v + tau2)
    mean_re, se_re = (w_re * y).sum() / w_re.sum(), math.sqrt(1 / w_re.sum())
    assert q == pytest.approx(10.3846, abs=1e-4) and tau2 == pytest.approx(0.060556, abs=1e-6)

    pooled = ev.pool_odds_ratios(HAND, method="dl")
    assert pooled.q == pytest.approx(q) and pooled.q_df == 2
    assert pooled.tau2 == pytest.approx(tau2)
    assert pooled.i2 == pytest.approx((q - 2) / q)
    assert pooled.log_or == pytest.approx(mean_re) and pooled.se == pytest.approx(se_re)
    assert pooled.odds_ratio == pytest.approx(math.exp(mean_re))
    assert pooled.ci_low == pytest.approx(math.exp(mean_re - 1.959963984540054 * se_re))
    assert pooled.ci_high == pytest.approx(math.exp(mean_re + 1.959963984540054 * se_re))


def test_paule_mandel_solves_its_estimating_equation():
    pooled = ev.pool_odds_ratios(HAND, method="pm")
    y, v = HAND["log_or"].to_numpy(), HAND["se"].to_numpy() ** 2
    w = 1 / (v + pooled.tau2)
    mean = (w * y).sum() / w.sum()
    assert (w * (y - mean) ** 2).sum() == pytest.approx(len(y) - 1, abs=1e-4)  # generalised Q = k − 1
    assert pooled.log_or == pytest.approx(mean, abs=1e-6)
    assert pooled.tau2 > ev.pool_odds_ratios(HAND, method="dl").tau2  # PM exceeds DL here, as expected with few studies


def test_dersimonian_laird_tau2_is_truncated_at_zero():
    similar = pd.DataFrame({"study_id": ["a", "b"], "construct": "nssi", "log_or": [0.30, 0.31], "se": [0.1, 0.1]})
    pooled = ev.pool_odds_ratios(similar, method="dl")
    assert pooled.tau2 == 0.0 and pooled.i2 == 0.0
    assert pooled.log_or == pytest.approx(0.305) and pooled.se == pytest.approx(math.sqrt(1 / 200))
    # the small-k intervals use τ² = 0 too: the same as Paule–Mandel, which stops at 0 by itself
    pm = ev.pool_odds_ratios(similar, method="pm")
    assert pm.tau2 == 0.0
    for field in ("hksj_ci_low", "hksj_ci_high", "hksj_scale", "hksj_adhoc_ci_low", "tau2_ci_high"):
        assert getattr(pooled, field) == pytest.approx(getattr(pm, field))
    half = 12.706204736174698 * math.sqrt(1 / 200)  # scale < 1 here, so the ad hoc variant keeps the plain SE
    assert pooled.hksj_adhoc_ci_high == pytest.approx(math.exp(0.305 + half))


def test_pooling_refuses_mixed_constructs_and_single_studies():
    mixed = HAND.assign(construct=["nssi", "nssi", "self_harm"])
    with pytest.raises(UserError, match="refusing to pool different constructs"):
        ev.pool_odds_ratios(mixed)
    with pytest.raises(UserError, match="at least two"):
        ev.pool_odds_ratios(HAND.iloc[:1])


def test_i_squared_is_truncated_at_zero():
    assert ev.i_squared(0.5, 1) == 0.0 and ev.i_squared(10.0, 2) == pytest.approx(0.8) and ev.i_squared(0.0, 1) == 0.0


# --- the living table: an added study changes every number and figure input -----------------------------------------

def nssi(effects: pd.DataFrame) -> pd.DataFrame:
    return effects[effects["construct"] == "nssi"]


def test_adding_a_row_changes_the_pooled_or_i2_and_the_figures_inputs(tmp_path):
    published = load_published("zheng2025")
    before_table = ev.load_evidence(write_copy(tmp_path))
    before_effects = ev.study_odds_ratios(before_table)
    before = ev.pool_odds_ratios(nssi(before_effects))
    before_forest = ev.forest_rows(before_effects, before, published)
    before_prevalence = ev.lbc_prevalence(before_table)

    (tmp_path / "added").mkdir()
    after_table = ev.load_evidence(write_copy(tmp_path / "added", extra_rows=[NEW_STUDY]))
    after_effects = ev.study_odds_ratios(after_table)
    after = ev.pool_odds_ratios(nssi(after_effects))
    after_forest = ev.forest_rows(after_effects, after, published)
    after_prevalence = ev.lbc_prevalence(after_table)

    assert after.k == before.k + 1 and "hypothetical2026" in after.studies
    assert after.odds_ratio != pytest.approx(before.odds_ratio, abs=1e-3)
    assert after.i2 != pytest.approx(before.i2, abs=1e-3) and after.q != pytest.approx(before.q)
    assert len(after_forest) == len(before_forest) + 1 and "Hypothetical 2026" in set(after_forest["label"])
    assert len(after_prevalence) == len(before_prevalence) + 1
    assert ev.forest_alt(after_forest, after) != ev.forest_alt(before_forest, before)
    assert not math.isnan(after.pi_low) and math.isnan(before.pi_low)  # k = 3 gives a prediction interval, k = 2 none
    assert ev.small_k_statement(nssi(after_effects), after) != ev.small_k_statement(nssi(before_effects), before)
    assert "Hypothetical 2026 15.0 %" in ev.prevalence_alt(after_prevalence)


def test_the_real_table_is_unchanged_by_the_temporary_copy(table, tmp_path):
    write_copy(tmp_path, extra_rows=[NEW_STUDY])
    assert "hypothetical2026" not in set(ev.load_evidence()["study_id"])


# --- figures -----------------------------------------------------------------------------------------------------

def test_forest_alt_text_states_each_odds_ratio_and_the_heterogeneity(table):
    effects = ev.study_odds_ratios(table)
    pooled = ev.pool_odds_ratios(nssi(effects))
    rows = ev.forest_rows(effects, pooled, load_published("zheng2025"))
    alt = ev.forest_alt(rows, pooled)
    for r in rows.itertuples():
        assert f"OR {r.odds_ratio:.2f} (95 % CI {r.ci_low:.2f}–{r.ci_high:.2f})" in alt
    assert "OR 1.33 (95 % CI 1.19–1.49)" in alt  # Zheng et al. as published
    assert f"I² {100 * pooled.i2:.0f} %" in alt
    assert "Zhou 2022 (self-harm)" in alt and "includes 1" in alt  # the Hartung–Knapp interval 0.68–2.38
    assert list(rows["kind"]) == ["study", "study", "pooled", "pooled_hksj", "published", "study"]
    assert list(rows["construct"]) == ["nssi"] * 5 + ["self_harm"]
    figure = show_figure(*ev.forest_figure(rows, pooled))
    assert figure.png.startswith(b"\x89PNG") and figure.alt == alt


def test_prevalence_figure_groups_constructs_and_renders(table):
    prevalence = ev.lbc_prevalence(table)
    alt = ev.prevalence_alt(prevalence)
    assert alt.index("NSSI instrument") < alt.index("single survey item") < alt.index("broader self-harm")
    assert "Yong 2023 4.6 %" in alt and "no interval" in alt
    figure = show_figure(*ev.prevalence_figure(prevalence))
    assert figure.png.startswith(b"\x89PNG") and figure.phone_text_px() >= 9


def test_overview_marks_derived_counts(table):
    overview = ev.evidence_overview(table)
    assert overview.loc["College students 2025", "n non-LBC"] == "2,982 (derived)"
    assert overview.loc["Yu 2023", "in pooled OR"] == "yes" and overview.loc["Yong 2023", "in pooled OR"] == "no"
    reasons = ev.exclusion_reasons(table)
    assert "Yong 2023" in reasons.index and "Yu 2023" not in reasons.index
    assert reasons.loc["Xiao 2020"].iloc[0].startswith("same 2898 children")



# --- Tests that would notice (issue 14, item 8): per-study CIs, prevalence rows, pooling details ------------------

Z975 = 1.959963984540054


def test_per_study_confidence_intervals_are_95_percent_woolf(table):
    effects = ev.study_odds_ratios(table).set_index("study_id")
    assert len(effects) >= 2
    for study_id, row in table.set_index("study_id").loc[effects.index].iterrows():
        a, n1, c, n0 = (int(row[k]) for k in ("events_lbc", "n_lbc", "events_nlbc", "n_nlbc"))
        b, d = n1 - a, n0 - c
        log_or = math.log(a * d / (b * c))
        se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
        got = effects.loc[study_id]
        assert got["odds_ratio"] == pytest.approx(a * d / (b * c), rel=1e-12)
        assert got["ci_low"] == pytest.approx(math.exp(log_or - Z975 * se), rel=1e-9)
        assert got["ci_high"] == pytest.approx(math.exp(log_or + Z975 * se), rel=1e-9)
        derived = any(ev.is_derived(row, k) for k in ("events_lbc", "events_nlbc", "n_lbc", "n_nlbc"))
        assert got["counts_derived"] == derived
        assert got["label"] == row["label"] and got["age_group"] == row["age_group"]
    assert effects.loc["yu2023", "counts_derived"] and ev.two_by_two(table.set_index("study_id").loc["yu2023"]).tolist() \
        == [[243, 3596 - 243], [300, 5854 - 300]]


def test_every_prevalence_row_against_its_counts_or_its_print(table):
    prevalence = ev.lbc_prevalence(table).set_index("study_id")
    once = ev.counted_once(table).set_index("study_id")
    expected = [s for s, r in once.iterrows() if not (pd.isna(r["events_lbc"]) or pd.isna(r["n_lbc"]))
                or not pd.isna(r["prev_lbc_value"])]
    assert sorted(prevalence.index) == sorted(expected)
    for study_id, got in prevalence.iterrows():
        row = once.loc[study_id]
        if pd.isna(row["events_lbc"]) or pd.isna(row["n_lbc"]):
            assert got["estimate_pct"] == row["prev_lbc_value"] and math.isnan(got["ci_high_pct"])
            assert not got["events_derived"]
        else:
            low, high = wilson(int(row["events_lbc"]), int(row["n_lbc"]))
            assert got["estimate_pct"] == pytest.approx(100 * row["events_lbc"] / row["n_lbc"], rel=1e-12)
            assert got["ci_low_pct"] == pytest.approx(100 * low, rel=1e-9)
            assert got["ci_high_pct"] == pytest.approx(100 * high, rel=1e-9)
            assert got["events_derived"] == ev.is_derived(row, "events_lbc")
    assert prevalence.loc["tian2019", "events_derived"]
    # within each construct, lowest prevalence first
    for _, part in prevalence.groupby("construct", sort=False):
        assert part["estimate_pct"].is_monotonic_increasing


def test_prevalence_of_rows_without_any_lbc_number_is_empty(table):
    blank = table.assign(events_lbc=pd.NA, n_lbc=pd.NA, prev_lbc_value=np.nan)
    assert ev.lbc_prevalence(blank).empty
    only_print = table.assign(events_lbc=pd.NA)
    assert ev.lbc_prevalence(only_print)["ci_low_pct"].isna().all()


def test_pooled_weights_statistics_and_summary():
    pooled = ev.pool_odds_ratios(HAND, method="dl")
    assert pooled.k == 3 and pooled.studies == ("a", "b", "c") and pooled.method_name == "DerSimonian–Laird"
    v = HAND["se"].to_numpy() ** 2
    w = 1 / (v + pooled.tau2)
    np.testing.assert_allclose(pooled.weights, w / w.sum(), rtol=1e-9)
    from scipy import stats

    assert pooled.q_pvalue == pytest.approx(stats.chi2.sf(pooled.q, 2), rel=1e-12)
    summary = ev.pooled_summary(pooled)["value"]
    assert summary["τ² estimator"] == "DerSimonian–Laird" and summary["studies (k)"] == 3
    assert summary["pooled OR"] == f"{pooled.odds_ratio:.2f}" and summary["Q degrees of freedom"] == 2
    assert summary["Cochran's Q"] == f"{pooled.q:.2f}" and summary["Q p-value"] == f"{pooled.q_pvalue:.3f}"
    assert summary["I² (%)"] == f"{100 * pooled.i2:.1f}" and summary["τ²"] == f"{pooled.tau2:.4f}"
    # truncated DL: the fixed-effect weights
    similar = pd.DataFrame({"study_id": ["a", "b"], "construct": "nssi", "log_or": [0.30, 0.31], "se": [0.1, 0.2]})
    fixed = ev.pool_odds_ratios(similar, method="dl")
    np.testing.assert_allclose(fixed.weights, [0.8, 0.2], rtol=1e-9)
    assert fixed.log_or == pytest.approx(0.8 * 0.30 + 0.2 * 0.31)
    with pytest.raises(UserError, match="pooling method must be one of pm, dl"):
        ev.pool_odds_ratios(HAND, method="reml")


def test_i_squared_edges():
    assert ev.i_squared(2.0, 2) == 0.0 and ev.i_squared(-1.0, 1) == 0.0 and ev.i_squared(4.0, 1) == pytest.approx(0.75)


def test_forest_rows_carry_every_number(table):
    published = load_published("zheng2025")
    effects = ev.study_odds_ratios(table)
    nssi = effects[effects["construct"] == "nssi"]
    pooled = ev.pool_odds_ratios(nssi)
    rows = ev.forest_rows(effects, pooled, published)
    studies = rows[rows["kind"] == "study"]
    ordered = pd.concat([effects[effects["construct"] == c] for c in ev.CONSTRUCTS])
    assert studies["odds_ratio"].tolist() == ordered["odds_ratio"].tolist()
    assert studies["ci_low"].tolist() == ordered["ci_low"].tolist()
    pooled_row = rows[rows["kind"] == "pooled"].iloc[0]
    assert pooled_row["label"] == f"Pooled NSSI (Paule–Mandel, k = {len(nssi)})"
    assert (pooled_row["odds_ratio"], pooled_row["ci_low"], pooled_row["ci_high"]) == \
        (pooled.odds_ratio, pooled.ci_low, pooled.ci_high)
    hksj = rows[rows["kind"] == "pooled_hksj"].iloc[0]
    assert (hksj["ci_low"], hksj["ci_high"]) == (pooled.hksj_ci_low, pooled.hksj_ci_high)
    last = rows[rows["kind"] == "published"].iloc[0]
    assert last["label"] == f"Zheng et al. 2025 (published, k = {int(published.loc['k_studies', 'value'])})"
    assert last["ci_low"] == float(published.loc["pooled_or_ci_low", "value"])
    assert last["odds_ratio"] == float(published.loc["pooled_or", "value"])
    without = ev.forest_rows(effects, None, published)
    assert set(without["kind"]) == {"study", "published"} and len(without) == len(effects) + 1
    alt = ev.forest_alt(without, None)
    assert "Heterogeneity" not in alt and alt.startswith("Forest plot")
    below = rows.assign(ci_low=[0.5] + rows["ci_low"].tolist()[1:])
    assert "Not every study's interval excludes 1." in ev.forest_alt(below, pooled)



# --- small-k care: Hartung–Knapp, prediction interval, Q-profile τ² CI -------------------------------------------

# R meta::metabin(sm="OR", method.tau="DL", hakn=TRUE) on 17 trials, as stored with statsmodels' own tests
# (statsmodels/stats/tests/results/results_meta.py, `results_or_dl_hk`): log ORs, SEs and the published results.
META_TE = [2.70805020110221, 1.25672336971146, 0.374938517449009, 1.65822807660353, 0.784954729813068,
           0.361663949151077, 0.575364144903562, 0.250542525502324, 0.650587566141149, 0.0918075492531229,
           0.273865253802803, 0.485755524477543, 0.182321556793955, 0.980829253011726, 1.31218638896617,
           -0.259511195485085, 0.138402322859119]
META_SE = [1.1130538571376, 0.505568465186247, 0.390847133738078, 0.680511012471685, 0.434831536798166,
           0.26249802054503, 0.490562645746402, 0.376864733063505, 0.529771411128472, 0.458411099840008,
           0.193159187510219, 0.206827050443269, 0.441477021807833, 0.713624032148063, 1.18251919576455,
           0.604874380241894, 0.329592099997789]
META = pd.DataFrame({"study_id": [f"s{i}" for i in range(17)], "construct": "nssi", "log_or": META_TE, "se": META_SE})

# metafor's dat.bcg (Colditz et al. 1994): tpos, tneg, cpos, cneg for 13 BCG-vaccine trials.
BCG = np.array([[4, 119, 11, 128], [6, 300, 29, 274], [3, 228, 11, 209], [62, 13536, 248, 12619],
                [33, 5036, 47, 5761], [180, 1361, 372, 1079], [8, 2537, 10, 619], [505, 87886, 499, 87892],
                [29, 7470, 45, 7232], [17, 1699, 65, 1600], [186, 50448, 141, 27197], [5, 2493, 3, 2338],
                [27, 16886, 29, 17825]], dtype=float)


def bcg_log_rr():
    a, b, c, d = BCG.T
    return np.log(a / (a + b)) - np.log(c / (c + d)), 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)


def test_hartung_knapp_matches_r_meta_and_metafor():
    pooled = ev.pool_odds_ratios(META, method="dl")
    assert pooled.tau2 == pytest.approx(0.0016783981912744, rel=1e-9)
    assert math.log(pooled.hksj_ci_low) == pytest.approx(0.235347059333852, abs=1e-9)
    assert math.log(pooled.hksj_ci_high) == pytest.approx(0.623693678062684, abs=1e-9)
    # metafor rma(method="DL", test="knha") on Kacker's (2004) example: CI 61.7104–63.0699 (log scale here is identity)
    y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
    v = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]
    kacker = pd.DataFrame({"study_id": list("abcdefghi"), "construct": "nssi", "log_or": y, "se": np.sqrt(v)})
    pooled = ev.pool_odds_ratios(kacker, method="dl")
    assert math.log(pooled.hksj_ci_low) == pytest.approx(61.710383798052, abs=1e-8)
    assert math.log(pooled.hksj_ci_high) == pytest.approx(63.0698934108488, abs=1e-8)


def test_hartung_knapp_written_out_for_the_two_real_studies(table):
    effects = nssi(ev.study_odds_ratios(table))
    y, v = effects["log_or"].to_numpy(), effects["se"].to_numpy() ** 2
    w = 1 / v  # τ² = 0 here
    mean = (w * y).sum() / w.sum()
    scale = (w * (y - mean) ** 2).sum() / (len(y) - 1)
    half = 12.706204736174698 * math.sqrt(scale / w.sum())  # t(0.975; 1 df)
    pooled = ev.pool_odds_ratios(effects)
    assert pooled.tau2 == 0.0 and pooled.hksj_scale == pytest.approx(scale)
    assert pooled.hksj_ci_low == pytest.approx(math.exp(mean - half)) and pooled.hksj_ci_high == pytest.approx(math.exp(mean + half))
    assert round(pooled.hksj_ci_low, 2) == 0.68 and round(pooled.hksj_ci_high, 2) == 2.38  # the values the review found
    adhoc = 12.706204736174698 * math.sqrt(max(1.0, scale) / w.sum())
    assert pooled.hksj_adhoc_ci_low == pytest.approx(math.exp(mean - adhoc))
    assert pooled.hksj_adhoc_ci_low < pooled.hksj_ci_low  # scale < 1: truncating at 1 widens the interval
    assert math.isnan(pooled.pi_low) and math.isnan(pooled.pi_high)


def test_prediction_interval_matches_r_meta_and_needs_three_studies():
    # meta's prediction interval: TE.random ± t(k − 2) · √(seTE.random² + τ²)
    low, high = ev.prediction_interval(0.429520368698268, 0.0915952752397692, 0.0016783981912744, 17)
    assert low == pytest.approx(0.215650965184522, abs=1e-9) and high == pytest.approx(0.643389772212014, abs=1e-9)
    assert all(math.isnan(x) for x in ev.prediction_interval(0.3, 0.1, 0.05, 2))
    pooled = ev.pool_odds_ratios(HAND, method="pm")
    half = 12.706204736174698 * math.sqrt(pooled.tau2 + pooled.se**2)  # k = 3: t on 1 df
    assert pooled.pi_low == pytest.approx(math.exp(pooled.log_or - half))
    assert pooled.pi_high == pytest.approx(math.exp(pooled.log_or + half))


def test_q_profile_matches_metafor_on_the_bcg_data():
    # metafor tests/testthat/test_misc_confint.r: DL τ² 0.3088, Q-profile 95 % CI 0.1197–1.1115 (log risk ratios)
    y, v = bcg_log_rr()
    low, high = ev.q_profile_tau2_ci(y, v)
    assert low == pytest.approx(0.1197, abs=5e-5) and high == pytest.approx(1.1115, abs=5e-5)
    effects = pd.DataFrame({"study_id": [f"t{i}" for i in range(13)], "construct": "nssi", "log_or": y, "se": np.sqrt(v)})
    assert ev.pool_odds_ratios(effects, method="dl").tau2 == pytest.approx(0.3088, abs=5e-5)


def test_q_profile_agrees_with_a_brute_force_grid(table):
    effects = nssi(ev.study_odds_ratios(table))
    y, v = effects["log_or"].to_numpy(), effects["se"].to_numpy() ** 2
    grid = np.linspace(0, 10, 200_001)
    q = np.array([ev.generalised_q(t, y, v) for t in grid[::50]])  # coarse pass to check monotone decrease
    assert (np.diff(q) < 0).all()
    w = 1 / (v[None, :] + grid[:, None])
    mean = (w * y).sum(axis=1) / w.sum(axis=1)
    q = (w * (y - mean[:, None]) ** 2).sum(axis=1)
    target = 0.0009820691171752555  # χ²(0.025; 1)
    brute_upper = grid[np.argmax(q < target)]
    low, high = ev.q_profile_tau2_ci(y, v)
    assert low == 0.0  # Cochran's Q is below χ²(0.975; 1): the lower bound is 0
    assert high == pytest.approx(brute_upper, abs=1e-4) and round(high, 2) == 4.88


def test_q_profile_edges():
    assert ev.q_profile_tau2_ci([0.3, 0.3], [0.01, 0.02]) == (0.0, 0.0)  # Q = 0: both bounds 0
    with pytest.raises(UserError, match="at least two"):
        ev.q_profile_tau2_ci([0.3], [0.01])
    with pytest.raises(ValueError, match="alpha"):
        ev.q_profile_tau2_ci([0.3, 0.5], [0.01, 0.01], alpha=0)
    low90, high90 = ev.q_profile_tau2_ci(*bcg_log_rr(), alpha=0.10)
    low95, high95 = ev.q_profile_tau2_ci(*bcg_log_rr())
    assert low95 < low90 < high90 < high95


# --- constructs apart, leave-one-out, and the plain statement ------------------------------------------------------

def test_each_construct_is_pooled_on_its_own(table):
    effects = ev.study_odds_ratios(table)
    by_construct = ev.pool_by_construct(effects)
    assert list(by_construct) == ["nssi", "self_harm"]
    assert by_construct["nssi"].studies == ("yu2023", "college2025") and by_construct["self_harm"] is None
    subgroups = ev.subgroup_table(effects)
    assert subgroups.loc["broader self-harm", "pooled"] == "no: a single study"
    assert subgroups.loc["broader self-harm", "odds ratio"] == pytest.approx(round(551 * 1451 / (2808 * 216), 2))
    assert subgroups.loc["NSSI instrument", "Hartung–Knapp 95 % CI"] == "0.68–2.38"
    assert subgroups.loc["NSSI instrument", "95 % prediction interval"] == "needs k ≥ 3"
    assert subgroups.loc["NSSI instrument", "τ² (95 % Q-profile CI)"] == "0.000 (0.00–4.88)"


def test_leave_one_out_with_two_studies_leaves_each_study_alone(table):
    effects = nssi(ev.study_odds_ratios(table))
    loo = ev.leave_one_out(effects).set_index("left out")
    assert list(loo["k"]) == [1, 1]
    assert loo.loc["Yu 2023", "odds_ratio"] == pytest.approx(effects.set_index("label").loc["College students 2025", "odds_ratio"])
    assert loo.loc["Yu 2023", "remaining"] == "College students 2025"
    assert loo["hksj_ci_low"].isna().all()


def test_leave_one_out_with_three_studies_pools_the_other_two():
    loo = ev.leave_one_out(HAND.assign(label=list("ABC")))
    assert list(loo["k"]) == [2, 2, 2] and list(loo["left out"]) == list("ABC")
    expected = ev.pool_odds_ratios(HAND.iloc[[1, 2]])
    assert loo.loc[0, "odds_ratio"] == pytest.approx(expected.odds_ratio)
    assert loo.loc[0, "hksj_ci_high"] == pytest.approx(expected.hksj_ci_high)
    with pytest.raises(UserError, match="within one construct"):
        ev.leave_one_out(HAND.assign(construct=["nssi", "nssi", "self_harm"]))
    with pytest.raises(UserError, match="at least two"):
        ev.leave_one_out(HAND.iloc[:1])


def test_small_k_statement_is_written_from_the_numbers(table):
    effects = ev.study_odds_ratios(table)
    two = nssi(effects)
    text = ev.small_k_statement(two, ev.pool_odds_ratios(two))
    assert "With two studies" in text and "from 0 to 4.88" in text and "0.68 to 2.38 and includes 1" in text
    assert "needs at least three studies" in text and "agree on the direction" in text
    assert "equals the fixed-effect interval" in text
    lone = effects[effects["construct"] == "self_harm"]
    assert ev.small_k_statement(lone, None).startswith("Only one study (Zhou 2022)")
    assert "nothing to pool" in ev.small_k_statement(lone.iloc[:0], None)
    # three studies pointing different ways, with real heterogeneity
    text = ev.small_k_statement(HAND.assign(label=list("ABC"), odds_ratio=np.exp(HAND["log_or"]),
                                            ci_low=[1.1, 1.2, 0.7], ci_high=[1.5, 2.0, 1.1]), ev.pool_odds_ratios(HAND))
    assert "With three studies" in text and "prediction interval for the odds ratio in a new setting" in text
    assert "not even a common direction" in text and "treats τ² as if it were known" in text
    assert "from 0.01 to 3.54: the true effects very probably differ between settings" in text  # lower bound > 0
    assert "cannot be pinned down" in text
    # many large studies far from 1: the Hartung–Knapp interval excludes 1
    strong = pd.DataFrame({"study_id": list("abcdef"), "label": list("ABCDEF"), "construct": "nssi",
                           "log_or": [0.9, 1.0, 1.1, 0.95, 1.05, 1.0], "se": 0.1})
    strong = strong.assign(odds_ratio=np.exp(strong["log_or"]), ci_low=np.exp(strong["log_or"] - 0.196),
                           ci_high=np.exp(strong["log_or"] + 0.196))
    text = ev.small_k_statement(strong, ev.pool_odds_ratios(strong))
    assert "excludes 1" in text and "With six studies τ² is estimated at 0, and" in text and "with so few studies" not in text
    assert "by less than the pooled effect" in text and "cannot be pinned down" not in text
    assert "plausible size of the difference in settings like these" in text
    # the same studies, only four of them: too few to judge, whatever the intervals say
    text = ev.small_k_statement(strong.iloc[:4], ev.pool_odds_ratios(strong.iloc[:4]))
    assert "cannot be pinned down" in text and "remain uncertain with so few studies" in text


# --- recovering counts from printed statistics -------------------------------------------------------------------

def test_recover_counts_confirms_zhou_2022_and_says_where_it_cannot_help(table):
    recovered = ev.recover_counts(table)
    zhou = recovered.loc["Zhou 2022"]
    assert zhou["LBC counts that fit"] == "550–552 (3)" and zhou["non-LBC counts that fit"] == "216–217 (2)"
    assert zhou["tables that fit every printed number (LBC/non-LBC cases)"].startswith("551/216 (of 6 candidate tables; χ² without")
    assert zhou["verdict"] == "one table fits every printed number: the counts are recovered"
    assert recovered.loc["Feng 2024", "verdict"] == "cannot help: the LBC and non-LBC group sizes are not printed"
    assert recovered.loc["College students 2025", "verdict"].startswith("each printed percentage allows exactly one count")
    assert recovered.loc["Tian 2019", "LBC counts that fit"] == "1,413–1,415 (3)"
    assert "Ma 2021" not in recovered.index  # nothing printed as an LBC/NLBC or whole-sample percentage with decimals


def test_recover_counts_notices_counts_that_do_not_fit(tmp_path):
    def tamper(rows):
        row = next(r for r in rows if r["study_id"] == "tian2019")
        row["events_lbc"] = "1412"  # 48.72 % — still prints as 48.7, not 48.8
    with pytest.raises(UserError, match="prev_lbc_pct"):
        ev.load_evidence(write_copy(tmp_path, tamper))
    table = ev.load_evidence()
    table.loc[table["study_id"] == "deyang", "events_total"] = 344  # bypass the loader: the verdict must notice
    assert ev.recover_counts(table).loc["Deyang survey", "verdict"].startswith("the counts in the evidence table do NOT fit")


def test_a_printed_chi2_that_the_counts_do_not_reproduce_is_rejected(tmp_path):
    def tamper(rows):
        next(r for r in rows if r["study_id"] == "zhou2022")["events_lbc"] = "550"  # prints as 16.4 % but χ² ≈ 10.07

    with pytest.raises(UserError, match=r"column 'chi2_printed' is not reproduced by the 2 × 2 counts.*row\(s\) 14"):
        ev.load_evidence(write_copy(tmp_path, tamper))

    def decimals(rows):
        next(r for r in rows if r["study_id"] == "zhou2022")["chi2_decimals"] = "2"

    with pytest.raises(UserError, match="chi2_decimals' disagrees"):
        ev.load_evidence(write_copy(tmp_path, decimals))


def test_pooled_summary_labels_every_interval(table):
    summary = ev.pooled_summary(ev.pool_odds_ratios(nssi(ev.study_odds_ratios(table))))["value"]
    assert summary["95 % CI (normal, τ² taken as known)"] == "1.13–1.44"
    assert summary["95 % CI (Hartung–Knapp)"] == "0.68–2.38"
    assert summary["95 % prediction interval"] == "needs k ≥ 3"
    assert summary["τ² 95 % CI (Q-profile)"] == "0.00–4.88"
    three = ev.pooled_summary(ev.pool_odds_ratios(HAND))["value"]
    assert three["95 % prediction interval"] != "needs k ≥ 3" and three["studies (k)"] == 3


def test_restricted_statement_follows_the_number_of_studies_left(table):
    effects = nssi(ev.study_odds_ratios(table))
    text = ev.restricted_statement(effects)
    assert text.startswith("Restricted to children and adolescents, only one study remains (Yu 2023: OR ")
    assert ev.restricted_statement(effects, "young_adult").startswith("Restricted to young adults, only one study")
    assert ev.restricted_statement(effects.iloc[:0]) == "Restricted to children and adolescents, no study remains."
    both = pd.concat([effects, effects.iloc[:1].assign(study_id="copy", label="Copy")])
    assert "two studies remain; pooled, OR" in ev.restricted_statement(both)


def test_construct_breakdown_and_words(table):
    effects = ev.study_odds_ratios(table)
    assert ev.construct_breakdown(effects) == ("two used an NSSI instrument (Yu 2023 and College students 2025) and "
                                               "one measured broader self-harm (Zhou 2022)")
    assert ev.join_labels([]) == "" and ev.join_labels(["A"]) == "A" and ev.join_labels("ABC") == "A, B and C"
    assert ev.count_word(2) == "two" and ev.count_word(12) == "12" and ev.count_word(1) == "one"


def test_recover_counts_verdicts_follow_what_was_found(table):
    def verdict(study_id, label, **changes):
        edited = table.copy()
        for column, value in changes.items():
            edited.loc[edited["study_id"] == study_id, column] = value
        return ev.recover_counts(edited).loc[label, "verdict"]

    assert verdict("zhou2022", "Zhou 2022", chi2_value=50.0).startswith("the counts in the evidence table do NOT fit")
    assert verdict("zhou2022", "Zhou 2022", chi2_value=50.0, events_lbc=pd.NA, events_nlbc=pd.NA) == (
        "no integer table fits every printed number")
    assert verdict("zhou2022", "Zhou 2022", chi2_value=10.0, chi2_decimals="0", events_lbc=pd.NA,
                   events_nlbc=pd.NA) == "6 tables fit every printed number"  # Pearson 9.71–10.40 all print as 10
    assert verdict("deyang", "Deyang survey", n_total=7, events_total=pd.NA) == "no integer count fits a printed percentage"
    assert verdict("deyang", "Deyang survey", events_total=pd.NA) == "each printed percentage allows exactly one count"


def test_a_printed_share_of_100_percent_is_valid(tmp_path):
    everyone = {**NEW_STUDY, "events_lbc": "1000", "prev_lbc_pct": "100.0", "prev_lbc_decimals": "1"}
    loaded = ev.load_evidence(write_copy(tmp_path, extra_rows=[everyone])).set_index("study_id")
    assert loaded.loc["hypothetical2026", "prev_lbc_value"] == 100.0


def test_loaded_table_and_prevalences_have_no_stray_columns(table):
    assert "index" not in table.columns and table.index.tolist() == list(range(len(table)))
    prevalence = ev.lbc_prevalence(table)
    assert list(prevalence.columns) == ["study_id", "label", "construct", "events", "n", "printed_pct", "estimate_pct",
                                        "ci_low_pct", "ci_high_pct", "events_derived"]
    assert prevalence.index.tolist() == list(range(len(prevalence)))


def test_q_profile_rejects_alpha_outside_zero_one_and_count_words():
    y, v = HAND["log_or"].to_numpy(), HAND["se"].to_numpy() ** 2
    for alpha in (0.0, 1.0):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            ev.q_profile_tau2_ci(y, v, alpha=alpha)
    assert [ev.count_word(k) for k in range(1, 10)] == ["one", "two", "three", "four", "five", "six", "seven",
                                                         "eight", "nine"]


def test_recover_counts_outcome_codes_match_their_verdicts(table):
    recovered = ev.recover_counts(table)
    assert set(recovered["outcome"]) <= set(ev.RECOVERY_OUTCOMES)
    starts = {"misfit": "the counts in the evidence table do NOT fit", "no_table": "no integer table fits",
              "recovered": "one table fits", "cannot_help": "cannot help", "no_count": "no integer count fits",
              "few_counts": "the printed percentages allow a few", "unique": "each printed percentage allows"}
    for outcome, verdict in zip(recovered["outcome"], recovered["verdict"]):
        if outcome == "several_tables":
            assert verdict.endswith("tables fit every printed number")
        else:
            assert verdict.startswith(starts[outcome]), (outcome, verdict)


# --- Survivors of a sampled mutation run (issue 14, item 8): wording generated from what the recovery found ---


def test_recovery_verdict_says_which_group_sizes_are_missing():
    from leftbehind.context.evidence import _recovery_verdict

    assert _recovery_verdict({}, None, [], ["exposed"]) == (
        "cannot_help", "cannot help: the exposed group size is not printed")
    assert _recovery_verdict({}, None, [], ["exposed", "unexposed"])[1] == \
        "cannot help: the exposed and unexposed group sizes are not printed"


def test_span_of_candidate_counts():
    from leftbehind.context.evidence import _span

    assert _span([]) == "none"
    assert _span([1234]) == "1,234"
    assert _span([3, 4, 5]) == "3–5 (3)"

"""Tests for leftbehind.evidence: the living evidence table and its meta-analysis."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind import evidence as ev
from leftbehind.errors import UserError
from leftbehind.provenance import load_published


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
    bib = (Path(ev.__file__).resolve().parents[2] / "book" / "references.bib").read_text(encoding="utf-8")
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
    assert math.isnan(prevalence.loc["zhou2021", "ci_low_pct"])  # no group size printed: no interval invented
    assert list(prevalence["construct"]) == sorted(prevalence["construct"], key=list(ev.CONSTRUCTS).index)


def test_log_odds_ratio_and_se_match_the_textbook_formula(table):
    effects = ev.study_odds_ratios(table).set_index("study_id")
    a, b, c, d = 243, 3596 - 243, 300, 5854 - 300
    assert effects.loc["yu2023", "log_or"] == pytest.approx(math.log(a * d / (b * c)))
    assert effects.loc["yu2023", "se"] == pytest.approx(math.sqrt(1 / a + 1 / b + 1 / c + 1 / d))


def test_only_rows_marked_includable_enter_the_pooled_or(table):
    effects = ev.study_odds_ratios(table)
    assert set(effects["study_id"]) == set(table.loc[table["includable_in_pooled_or"] == "yes", "study_id"])
    assert set(effects["construct"]) == {"nssi"}


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


def test_pooling_refuses_mixed_constructs_and_single_studies():
    mixed = HAND.assign(construct=["nssi", "nssi", "self_harm"])
    with pytest.raises(UserError, match="refusing to pool different constructs"):
        ev.pool_odds_ratios(mixed)
    with pytest.raises(UserError, match="at least two"):
        ev.pool_odds_ratios(HAND.iloc[:1])


def test_i_squared_is_truncated_at_zero():
    assert ev.i_squared(0.5, 1) == 0.0 and ev.i_squared(10.0, 2) == pytest.approx(0.8) and ev.i_squared(0.0, 1) == 0.0


# --- the living table: an added study changes every number and figure input -----------------------------------------

def test_adding_a_row_changes_the_pooled_or_i2_and_the_figures_inputs(tmp_path):
    published = load_published("zheng2025")
    before_table = ev.load_evidence(write_copy(tmp_path))
    before_effects = ev.study_odds_ratios(before_table)
    before = ev.pool_odds_ratios(before_effects)
    before_forest = ev.forest_rows(before_effects, before, published)
    before_prevalence = ev.lbc_prevalence(before_table)

    (tmp_path / "added").mkdir()
    after_table = ev.load_evidence(write_copy(tmp_path / "added", extra_rows=[NEW_STUDY]))
    after_effects = ev.study_odds_ratios(after_table)
    after = ev.pool_odds_ratios(after_effects)
    after_forest = ev.forest_rows(after_effects, after, published)
    after_prevalence = ev.lbc_prevalence(after_table)

    assert after.k == before.k + 1 and "hypothetical2026" in after.studies
    assert after.odds_ratio != pytest.approx(before.odds_ratio, abs=1e-3)
    assert after.i2 != pytest.approx(before.i2, abs=1e-3) and after.q != pytest.approx(before.q)
    assert len(after_forest) == len(before_forest) + 1 and "Hypothetical 2026" in set(after_forest["label"])
    assert len(after_prevalence) == len(before_prevalence) + 1
    assert ev.forest_alt(after_forest, after) != ev.forest_alt(before_forest, before)
    assert "Hypothetical 2026 15.0 %" in ev.prevalence_alt(after_prevalence)


def test_the_real_table_is_unchanged_by_the_temporary_copy(table, tmp_path):
    write_copy(tmp_path, extra_rows=[NEW_STUDY])
    assert "hypothetical2026" not in set(ev.load_evidence()["study_id"])


# --- figures -----------------------------------------------------------------------------------------------------

def test_forest_alt_text_states_each_odds_ratio_and_the_heterogeneity(table):
    effects = ev.study_odds_ratios(table)
    pooled = ev.pool_odds_ratios(effects)
    rows = ev.forest_rows(effects, pooled, load_published("zheng2025"))
    alt = ev.forest_alt(rows, pooled)
    for r in rows.itertuples():
        assert f"OR {r.odds_ratio:.2f}" in alt
    assert "OR 1.33 (95 % CI 1.19–1.49)" in alt  # Zheng et al. as published
    assert f"I² {100 * pooled.i2:.0f} %" in alt
    figure = ev.plot_forest(rows, pooled)
    assert figure.png.startswith(b"\x89PNG") and figure.alt == alt


def test_prevalence_figure_groups_constructs_and_renders(table):
    prevalence = ev.lbc_prevalence(table)
    alt = ev.prevalence_alt(prevalence)
    assert alt.index("NSSI instrument") < alt.index("single survey item") < alt.index("broader self-harm")
    assert "Yong 2023 4.6 %" in alt and "no interval" in alt
    figure = ev.plot_prevalence(prevalence)
    assert figure.png.startswith(b"\x89PNG") and figure.phone_text_px() >= 9


def test_overview_marks_derived_counts(table):
    overview = ev.evidence_overview(table)
    assert overview.loc["College students 2025", "n non-LBC"] == "2,982 (derived)"
    assert overview.loc["Yu 2023", "in pooled OR"] == "yes" and overview.loc["Yong 2023", "in pooled OR"] == "no"
    reasons = ev.exclusion_reasons(table)
    assert "Yong 2023" in reasons.index and "Yu 2023" not in reasons.index
    assert reasons.loc["Xiao 2020"].iloc[0].startswith("same 2898 children")


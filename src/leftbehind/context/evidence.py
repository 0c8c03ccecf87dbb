"""The living evidence table: where Yong et al.'s 4.6 % sits among other studies.

``data/published/nssi_evidence.csv`` holds one row per published study of NSSI
or self-harm among Chinese left-behind children (LBC).  Every number is
*published* (as printed, with where it was read) unless the row lists it in
``derived_fields``, in which case it is *derived* by the arithmetic written in
``derivation``.  Blanks mean "not available to us"; nothing is imputed.

Schema (one row per study)
==========================

========================  ====================================================
column                    meaning
========================  ====================================================
study_id                  stable identifier (``snake_case``), unique
label                     short name for figures and tables ("Yu 2023")
citation                  key in ``book/references.bib``
region, survey_years      setting and data-collection period as printed
population, age_group     who was surveyed; ``age_group`` is ``child_adolescent``
                          or ``young_adult`` (adults recalling a left-behind
                          childhood)
n_total, n_lbc, n_nlbc    sample sizes (whole numbers or blank)
construct                 ``nssi`` (an NSSI instrument), ``self_harm`` (broader
                          self-harm) or ``single_item`` (one survey item):
                          different constructs are never pooled
instrument, recall_period as printed
events_total/_lbc/_nlbc   young people reporting the outcome (whole numbers)
prev_*_pct, prev_*_decimals  prevalence (%) exactly as printed, and the number
                          of decimals printed, for the whole sample, LBC, NLBC
prev_lbc_ci_printed       a published interval for the LBC prevalence, as text
other_printed             other published results, as text
chi2_printed,             the printed Pearson χ² comparing the outcome in LBC
chi2_decimals             and NLBC (with or without continuity correction), as
                          printed, and its number of decimals (blank if none)
derived_fields            ``;``-separated columns whose values are derived
derivation                the arithmetic behind ``derived_fields``
duplicate_of              ``study_id`` of the row that already counts this
                          sample (duplicates are shown in the table, never in
                          figures or pooling)
includable_in_pooled_or   ``yes`` or ``no``
exclusion_reason          why not (required when ``no``)
section, where_read       provenance: the part of the document and the address
                          (or file) where the numbers were read
note                      anything a reader needs to interpret the row
========================  ====================================================

Rules checked on load (:func:`validate_evidence`): the columns exist; ids are
unique; counts are whole numbers ≥ 0 with events ≤ group size and
``n_lbc + n_nlbc = n_total``; a printed prevalence has as many decimals as
``*_decimals`` says and agrees (within half a printed unit) with its counts;
a printed χ² has its decimals and, when all four counts are known, is
reproduced (to its printed precision) by Pearson's χ² of the 2 × 2 table with
or without Yates' correction; ``duplicate_of`` names another, non-duplicate row; an includable row has all
four two-group counts and is not a duplicate; derived columns are explained.
A failure raises :class:`~leftbehind.core.errors.UserError` naming the file, the
column, the rule and the first 1-based data rows.

Statistics
==========

* Prevalence among LBC with a Wilson 95 % interval
  (``statsmodels.stats.proportion.proportion_confint``).
* Per-study log odds ratio (LBC vs NLBC) and its standard error from the 2 × 2
  table (``statsmodels.stats.contingency_tables.Table2x2``).
* A random-effects pooled odds ratio with
  ``statsmodels.stats.meta_analysis.combine_effects`` using the **Paule–Mandel**
  estimator of the between-study variance τ² (``method_re="pm"``).  We chose it
  over DerSimonian–Laird because simulation studies and methods reviews
  (Veroniki et al. 2016; Langan et al. 2019) find that DerSimonian–Laird
  underestimates τ² when heterogeneity is large and studies are few, which is
  exactly our situation; Paule–Mandel is the usual recommended alternative.
  The DerSimonian–Laird result is available (``method="dl"``) for comparison.
  A second, practical reason: in statsmodels 0.15 the ``"dl"`` option does not
  truncate τ² at zero, so when Q < k − 1 it returns a *negative* τ² and an
  interval narrower than the fixed-effect one.  :func:`pool_odds_ratios`
  corrects that (a negative moment estimate means τ² = 0, so the random-effects
  result equals the fixed-effect one), and the tests check both estimators
  against hand-worked examples.
  Heterogeneity is reported as Cochran's Q (with its χ² p-value), I² (truncated
  at 0, as is conventional; statsmodels leaves it negative when Q < k − 1) and τ².

Small-k care
------------

With two or three studies the usual random-effects interval is too narrow: it
treats τ² as known, and when τ² is estimated as 0 it is simply the fixed-effect
interval.  Beside it :class:`PooledOddsRatio` carries

* the **Hartung–Knapp–Sidik–Jonkman** (HKSJ) interval: the variance of the
  pooled estimate rescaled by the generalised Q over k − 1 and a *t*
  distribution on k − 1 degrees of freedom.  It is statsmodels' own
  (``CombineResults.conf_int(use_t=True)``, the "random effect wls" row), which
  matches R ``metafor::rma(test="knha")``; the scale is not truncated at 1 (as
  in metafor and meta).  The ad hoc variant that truncates the scale at 1
  (Knapp and Hartung 2003; Röver et al. 2015) is also reported, because with
  k = 2 the scale is often below 1 and the untruncated interval can be the
  narrower of the two;
* a 95 % **prediction interval** for the true odds ratio in a new setting
  (Higgins, Thompson and Spiegelhalter 2009):
  ``μ̂ ± t(k − 2) · √(τ̂² + SE(μ̂)²)`` with the usual random-effects SE (R's
  meta package, with ``hakn=TRUE``, puts the Hartung–Knapp SE there).  It needs k ≥ 3 (with k = 2 the t
  distribution has no degrees of freedom) and is left blank otherwise.  No
  library we use computes it, so it is written out here and tested against
  the values of R ``meta::metabin`` stored in statsmodels' own test results;
* a 95 % **Q-profile interval for τ²** (Viechtbauer 2007): the values of τ² at
  which the generalised statistic Q(τ²) = Σ wᵢ(τ²)(yᵢ − μ̂(τ²))², with
  wᵢ = 1/(vᵢ + τ²), equals the 97.5 % and 2.5 % χ² quantiles on k − 1 degrees
  of freedom (a bound is 0 when Q(0) is already below its quantile).  Written
  here with ``scipy.optimize.brentq``; tested against metafor's published
  values for the BCG-vaccine data (τ² CI 0.1197–1.1115) and a brute-force grid.

:func:`pool_by_construct` pools each construct on its own (NSSI instrument,
broader self-harm, single item — never one with another);
:func:`leave_one_out` repeats the pooling without each study; and
:func:`small_k_statement` writes, from k and the intervals, what the pooled
result can and cannot support.

Recovering counts
-----------------

:func:`recover_counts` applies
:func:`leftbehind.audit.reconstruction.tables_from_printed_shares` to every row:
the integer counts consistent with the printed group sizes and percentages
(at their printed precision) and, where a paper prints one, its Pearson χ² —
the same forensic idea as the audit of Yong et al.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

from leftbehind.core.errors import UserError, fail_where, is_blank, require_columns
from leftbehind.stats.granularity import consistent_numerators, rounds_to
from leftbehind.audit.reconstruction import pearson_chi2, tables_from_printed_shares
from leftbehind.core.paths import published_dir

EVIDENCE_FILE = "nssi_evidence.csv"

COLUMNS = (
    "study_id", "label", "citation", "region", "survey_years", "population", "age_group",
    "n_total", "n_lbc", "n_nlbc", "construct", "instrument", "recall_period",
    "events_total", "events_lbc", "events_nlbc",
    "prev_total_pct", "prev_total_decimals", "prev_lbc_pct", "prev_lbc_decimals",
    "prev_nlbc_pct", "prev_nlbc_decimals", "prev_lbc_ci_printed", "other_printed", "chi2_printed", "chi2_decimals",
    "derived_fields", "derivation", "duplicate_of", "includable_in_pooled_or", "exclusion_reason",
    "section", "where_read", "note",
)
REQUIRED = ("study_id", "label", "citation", "region", "construct", "includable_in_pooled_or", "section", "where_read")
COUNT_COLUMNS = ("n_total", "n_lbc", "n_nlbc", "events_total", "events_lbc", "events_nlbc")
GROUPS = ("total", "lbc", "nlbc")

#: The three outcome constructs, in the order the book shows them, with a reader's name for each.
CONSTRUCTS = {
    "nssi": "NSSI instrument",
    "single_item": "single survey item",
    "self_harm": "broader self-harm",
}
AGE_GROUPS = ("child_adolescent", "young_adult")
POOLING_METHODS = {"pm": "Paule–Mandel", "dl": "DerSimonian–Laird"}


def evidence_path() -> Path:
    """Where the living evidence table lives."""
    return published_dir() / EVIDENCE_FILE





def _as_count(table: pd.DataFrame, column: str, source: str) -> pd.Series:
    text = table[column].fillna("").astype(str).str.strip()
    number = pd.to_numeric(text.replace("", np.nan), errors="coerce")
    bad = (text != "") & (number.isna() | (number < 0) | (number != number.round()))
    fail_where(source, column, "must be a whole number ≥ 0 or blank", bad)
    return number.astype("Int64")


def _check_printed_percent(table: pd.DataFrame, group: str, source: str) -> pd.Series:
    pct_col, dec_col = f"prev_{group}_pct", f"prev_{group}_decimals"
    printed = table[pct_col].fillna("").astype(str).str.strip()
    decimals = table[dec_col].fillna("").astype(str).str.strip()
    value = pd.to_numeric(printed.replace("", np.nan), errors="coerce")
    fail_where(source, pct_col, "must be a number between 0 and 100 or blank",
          (printed != "") & (value.isna() | (value < 0) | (value > 100)))
    fail_where(source, dec_col, "must be given exactly when a prevalence is printed", (printed == "") != (decimals == ""))
    shown = printed.str.split(".").str[1].fillna("").str.len()
    fail_where(source, dec_col, "disagrees with the decimals of the printed prevalence",
          (printed != "") & (shown.astype(str) != decimals))
    return value


def _check_printed_chi2(table: pd.DataFrame, counts: dict, source: str) -> pd.Series:
    printed = table["chi2_printed"].fillna("").astype(str).str.strip()
    decimals = table["chi2_decimals"].fillna("").astype(str).str.strip()
    value = pd.to_numeric(printed.replace("", np.nan), errors="coerce")
    fail_where(source, "chi2_printed", "must be a number ≥ 0 or blank", (printed != "") & (value.isna() | (value < 0)))
    fail_where(source, "chi2_decimals", "must be given exactly when a χ² is printed", (printed == "") != (decimals == ""))
    shown = printed.str.split(".").str[1].fillna("").str.len()
    fail_where(source, "chi2_decimals", "disagrees with the decimals of the printed χ²",
               (printed != "") & (shown.astype(str) != decimals))
    mismatch = pd.Series(False, index=table.index)
    for i in table.index[printed != ""]:
        cells = [counts[c][i] for c in ("events_lbc", "n_lbc", "events_nlbc", "n_nlbc")]
        if any(pd.isna(x) for x in cells):
            continue
        e1, n1, e0, n0 = (int(x) for x in cells)
        grid = [[e1, n1 - e1], [e0, n0 - e0]]
        fits = [rounds_to(pearson_chi2(grid, correction), value[i], int(decimals[i])) for correction in (False, True)]
        mismatch[i] = not any(bool(f) for f in fits)
    fail_where(source, "chi2_printed", "is not reproduced by the 2 × 2 counts (Pearson χ², with or without Yates' correction)",
               mismatch)
    return value


def validate_evidence(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check the evidence table against the rules in the module docstring; return it typed.

    Counts become nullable integers, printed prevalences keep their text in
    ``prev_*_pct`` and gain a float ``prev_*_value``; blanks stay blank.
    """
    require_columns(table, COLUMNS, source)
    table = table.reset_index(drop=True).copy()
    for column in REQUIRED:
        fail_where(source, column, "must not be blank", is_blank(table[column]))
    ids = table["study_id"].astype(str).str.strip()
    fail_where(source, "study_id", "must be unique", ids.duplicated(keep=False))
    fail_where(source, "construct", f"must be one of {', '.join(CONSTRUCTS)}", ~table["construct"].isin(list(CONSTRUCTS)))
    fail_where(source, "age_group", f"must be one of {', '.join(AGE_GROUPS)}", ~table["age_group"].isin(AGE_GROUPS))
    fail_where(source, "includable_in_pooled_or", "must be 'yes' or 'no'",
          ~table["includable_in_pooled_or"].isin(["yes", "no"]))
    counts = {c: _as_count(table, c, source) for c in COUNT_COLUMNS}
    for group in GROUPS:
        n, events = counts[f"n_{group}"], counts[f"events_{group}"]
        fail_where(source, f"events_{group}", f"must not exceed n_{group}", (events > n).fillna(False))
    whole = counts["n_lbc"] + counts["n_nlbc"]
    fail_where(source, "n_total", "must equal n_lbc + n_nlbc when all three are given",
          (whole != counts["n_total"]).fillna(False))
    values = {}
    for group in GROUPS:
        value = _check_printed_percent(table, group, source)
        exact = 100 * counts[f"events_{group}"].astype(float) / counts[f"n_{group}"].astype(float)
        decimals = pd.to_numeric(table[f"prev_{group}_decimals"], errors="coerce")
        known = exact.notna() & value.notna() & decimals.notna()
        fail_where(source, f"prev_{group}_pct", f"disagrees with events_{group}/n_{group} beyond rounding",
              known & ~rounds_to(exact, value, decimals))
        values[f"prev_{group}_value"] = value
    chi2_value = _check_printed_chi2(table, counts, source)
    duplicate = table["duplicate_of"].fillna("").astype(str).str.strip()
    known = set(ids)
    fail_where(source, "duplicate_of", "must name another study_id", (duplicate != "") & (~duplicate.isin(known) | (duplicate == ids)))
    originals_are_duplicates = duplicate.map(dict(zip(ids, duplicate))).fillna("") != ""
    fail_where(source, "duplicate_of", "must name a row that is not itself a duplicate", (duplicate != "") & originals_are_duplicates)
    includable = table["includable_in_pooled_or"] == "yes"
    fail_where(source, "exclusion_reason", "must explain why a row is not includable",
          ~includable & is_blank(table["exclusion_reason"]))
    for column in ("n_lbc", "n_nlbc", "events_lbc", "events_nlbc"):
        fail_where(source, column, "must be given for a row includable in the pooled OR", includable & counts[column].isna())
    fail_where(source, "duplicate_of", "must be blank for a row includable in the pooled OR", includable & (duplicate != ""))
    derived = table["derived_fields"].fillna("").astype(str).str.strip()
    unknown = derived.map(lambda text: any(f.strip() not in COLUMNS for f in text.split(";") if f.strip()))
    fail_where(source, "derived_fields", "names a column that does not exist", unknown)
    fail_where(source, "derivation", "must explain the derived fields", (derived != "") & is_blank(table["derivation"]))
    out = table.assign(study_id=ids, duplicate_of=duplicate.replace("", pd.NA), derived_fields=derived, **counts, **values,
                       chi2_value=chi2_value)
    return out


def load_evidence(path: Path | None = None) -> pd.DataFrame:
    """Read and validate the evidence table (``data/published/nssi_evidence.csv`` unless ``path``)."""
    path = Path(path) if path is not None else evidence_path()
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return validate_evidence(table, str(path))


def is_derived(row: pd.Series, column: str) -> bool:
    """Whether ``column`` of an evidence row is derived rather than printed."""
    return column in [f.strip() for f in str(row["derived_fields"]).split(";")]


def counted_once(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence rows that are not duplicates of another row's sample."""
    return evidence[evidence["duplicate_of"].isna()]


def lbc_prevalence(evidence: pd.DataFrame) -> pd.DataFrame:
    """Prevalence among LBC per study (duplicates counted once), with a Wilson 95 % interval.

    Rows with a printed LBC prevalence or LBC counts are kept.  The interval is
    computed from ``events_lbc``/``n_lbc`` when both are known; when only a
    percentage is printed, the estimate is that percentage and the interval is
    left blank (it cannot be computed without the group size).  Sorted by
    construct (in :data:`CONSTRUCTS` order), then prevalence.
    """
    rows = []
    for _, row in counted_once(evidence).iterrows():
        events, n = row["events_lbc"], row["n_lbc"]
        has_counts = not (pd.isna(events) or pd.isna(n))
        if not has_counts and pd.isna(row["prev_lbc_value"]):
            continue
        if has_counts:
            low, high = proportion_confint(int(events), int(n), alpha=0.05, method="wilson")
            estimate = 100 * int(events) / int(n)
        else:
            low = high = np.nan
            estimate = float(row["prev_lbc_value"])
        rows.append({
            "study_id": row["study_id"], "label": row["label"], "construct": row["construct"],
            "events": events, "n": n, "printed_pct": row["prev_lbc_pct"],
            "estimate_pct": estimate, "ci_low_pct": 100 * low, "ci_high_pct": 100 * high,
            "events_derived": has_counts and is_derived(row, "events_lbc"),
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    order = {name: i for i, name in enumerate(CONSTRUCTS)}
    frame = frame.assign(_order=frame["construct"].map(order))
    return frame.sort_values(["_order", "estimate_pct"]).drop(columns="_order").reset_index(drop=True)


def two_by_two(row: pd.Series) -> np.ndarray:
    """The 2 × 2 table of one study: rows LBC, NLBC; columns with, without the outcome."""
    e1, n1, e0, n0 = (int(row[c]) for c in ("events_lbc", "n_lbc", "events_nlbc", "n_nlbc"))
    return np.array([[e1, n1 - e1], [e0, n0 - e0]])


def study_odds_ratios(evidence: pd.DataFrame) -> pd.DataFrame:
    """Log odds ratio (LBC vs NLBC) and its standard error for every includable study."""
    rows = []
    for _, row in evidence[evidence["includable_in_pooled_or"] == "yes"].iterrows():
        table = Table2x2(two_by_two(row))
        low, high = table.oddsratio_confint(alpha=0.05)
        rows.append({
            "study_id": row["study_id"], "label": row["label"], "construct": row["construct"],
            "age_group": row["age_group"], "log_or": table.log_oddsratio, "se": table.log_oddsratio_se,
            "odds_ratio": table.oddsratio, "ci_low": low, "ci_high": high,
            "counts_derived": any(is_derived(row, c) for c in ("events_lbc", "events_nlbc", "n_lbc", "n_nlbc")),
        })
    return pd.DataFrame(rows, columns=[
        "study_id", "label", "construct", "age_group", "log_or", "se", "odds_ratio", "ci_low", "ci_high", "counts_derived",
    ])


@dataclass(frozen=True)
class PooledOddsRatio:
    """A random-effects pooled odds ratio with its heterogeneity and small-k statistics.

    ``ci_*`` is the usual (normal, τ² treated as known) random-effects interval;
    ``hksj_*`` the Hartung–Knapp–Sidik–Jonkman interval and ``hksj_adhoc_*`` its
    variant with the scale truncated at 1; ``pi_*`` the prediction interval (nan
    when k < 3); ``tau2_ci_*`` the Q-profile interval for τ².  All odds ratios
    are on the odds-ratio scale; τ² is on the log-odds scale.
    """

    method: str
    k: int
    studies: tuple[str, ...]
    odds_ratio: float
    ci_low: float
    ci_high: float
    log_or: float
    se: float
    q: float
    q_df: int
    q_pvalue: float
    i2: float
    tau2: float
    weights: tuple[float, ...]
    construct: str = ""
    hksj_ci_low: float = float("nan")
    hksj_ci_high: float = float("nan")
    hksj_scale: float = float("nan")
    hksj_adhoc_ci_low: float = float("nan")
    hksj_adhoc_ci_high: float = float("nan")
    pi_low: float = float("nan")
    pi_high: float = float("nan")
    tau2_ci_low: float = float("nan")
    tau2_ci_high: float = float("nan")

    @property
    def method_name(self) -> str:
        return POOLING_METHODS[self.method]


def i_squared(q: float, df: int) -> float:
    """Higgins' I² as a proportion, truncated at 0: max(0, (Q − df)/Q)."""
    if q <= 0:
        return 0.0
    return max(0.0, (q - df) / q)


def generalised_q(tau2: float, y, v) -> float:
    """Q(τ²) = Σ wᵢ (yᵢ − μ̂)² with wᵢ = 1/(vᵢ + τ²) and μ̂ the weighted mean (Q(0) is Cochran's Q)."""
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    w = 1.0 / (v + tau2)
    mean = (w * y).sum() / w.sum()
    return float((w * (y - mean) ** 2).sum())


def q_profile_tau2_ci(y, v, alpha: float = 0.05) -> tuple[float, float]:
    """Q-profile confidence interval for τ² (Viechtbauer 2007).

    The lower bound solves Q(τ²) = χ²(1 − α/2; k − 1) and the upper bound
    Q(τ²) = χ²(α/2; k − 1); Q(τ²) falls from Cochran's Q towards 0 as τ² grows,
    so each root is unique, and a bound is 0 when Q(0) is already below its
    quantile.  Needs k ≥ 2 studies.
    """
    y, v = np.asarray(y, dtype=float), np.asarray(v, dtype=float)
    k = len(y)
    if k < 2:
        raise UserError(f"a confidence interval for τ² needs at least two studies; found {k}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")

    def bound(target: float) -> float:
        if generalised_q(0.0, y, v) <= target:
            return 0.0
        high = max(1.0, float(v.max()))
        while generalised_q(high, y, v) > target:
            high *= 2.0
        return float(optimize.brentq(lambda t: generalised_q(t, y, v) - target, 0.0, high, xtol=1e-12, rtol=1e-12))

    return bound(stats.chi2.ppf(1 - alpha / 2, k - 1)), bound(stats.chi2.ppf(alpha / 2, k - 1))


def prediction_interval(mean: float, se: float, tau2: float, k: int, alpha: float = 0.05) -> tuple[float, float]:
    """Higgins–Thompson–Spiegelhalter (2009) prediction interval on the effect scale: μ̂ ± t(k − 2)·√(τ² + SE²).

    Returns ``(nan, nan)`` when k < 3: the t distribution then has no degrees of freedom.
    """
    if k < 3:
        return float("nan"), float("nan")
    half = stats.t.ppf(1 - alpha / 2, k - 2) * np.sqrt(tau2 + se**2)
    return float(mean - half), float(mean + half)


def pool_odds_ratios(effects: pd.DataFrame, method: str = "pm") -> PooledOddsRatio:
    """Random-effects pooled OR from per-study log ORs (see the module docstring for the estimator).

    Refuses to pool fewer than two studies or studies of different constructs.
    """
    if method not in POOLING_METHODS:
        raise UserError(f"pooling method must be one of {', '.join(POOLING_METHODS)}, got {method!r}")
    if len(effects) < 2:
        raise UserError(f"a pooled odds ratio needs at least two includable studies; found {len(effects)}")
    constructs = sorted(set(effects["construct"]))
    if len(constructs) > 1:
        raise UserError(f"refusing to pool different constructs: {', '.join(constructs)}")
    y, v = effects["log_or"].to_numpy(dtype=float), (effects["se"] ** 2).to_numpy(dtype=float)
    result = combine_effects(y, v, method_re=method, row_names=list(effects["study_id"]))
    frame = result.summary_frame()
    tau2 = float(result.tau2)
    row, weights = "random effect", np.asarray(result.weights_rel_re)
    truncated = tau2 < 0
    if truncated:  # statsmodels' DerSimonian–Laird is untruncated; τ² = 0 gives the fixed-effect result
        tau2, row, weights = 0.0, "fixed effect", np.asarray(result.weights_rel_fe)
    re = frame.loc[row]
    # Hartung–Knapp–Sidik–Jonkman: statsmodels' "wls" interval with a t(k − 1) quantile (index 3 = random effects,
    # index 2 = fixed effect, which is the random-effects model when τ² is truncated to 0).
    hksj_low, hksj_high = result.conf_int(alpha=0.05, use_t=True)[2 if truncated else 3]
    hksj_scale = float(result.scale_hksj_fe if truncated else result.scale_hksj_re)
    adhoc_half = stats.t.ppf(0.975, len(y) - 1) * float(re["sd_eff"]) * np.sqrt(max(1.0, hksj_scale))
    pi_low, pi_high = prediction_interval(float(re["eff"]), float(re["sd_eff"]), tau2, len(y))
    tau2_low, tau2_high = q_profile_tau2_ci(y, v)
    q, df = float(result.q), int(result.df)
    return PooledOddsRatio(
        method=method, k=len(effects), studies=tuple(effects["study_id"]),
        odds_ratio=float(np.exp(re["eff"])), ci_low=float(np.exp(re["ci_low"])), ci_high=float(np.exp(re["ci_upp"])),
        log_or=float(re["eff"]), se=float(re["sd_eff"]),
        q=q, q_df=df, q_pvalue=float(stats.chi2.sf(q, df)), i2=i_squared(q, df), tau2=tau2,
        weights=tuple(float(w) for w in weights), construct=constructs[0],
        hksj_ci_low=float(np.exp(hksj_low)), hksj_ci_high=float(np.exp(hksj_high)), hksj_scale=hksj_scale,
        hksj_adhoc_ci_low=float(np.exp(re["eff"] - adhoc_half)), hksj_adhoc_ci_high=float(np.exp(re["eff"] + adhoc_half)),
        pi_low=float(np.exp(pi_low)), pi_high=float(np.exp(pi_high)),
        tau2_ci_low=tau2_low, tau2_ci_high=tau2_high,
    )


def pool_by_construct(effects: pd.DataFrame, method: str = "pm") -> dict[str, PooledOddsRatio | None]:
    """Pool each construct on its own, in :data:`CONSTRUCTS` order: a result for k ≥ 2, ``None`` for k = 1.

    Constructs with no includable study are left out.  Different constructs are never pooled together.
    """
    out: dict[str, PooledOddsRatio | None] = {}
    for construct in CONSTRUCTS:
        part = effects[effects["construct"] == construct]
        if len(part):
            out[construct] = pool_odds_ratios(part, method=method) if len(part) >= 2 else None
    return out


def subgroup_table(effects: pd.DataFrame, method: str = "pm") -> pd.DataFrame:
    """One row per construct: k, the studies, and the pooled OR with every interval (or the lone study's OR)."""
    rows = []
    for construct, pooled in pool_by_construct(effects, method=method).items():
        part = effects[effects["construct"] == construct]
        row = {"construct": CONSTRUCTS[construct], "k": len(part), "studies": ", ".join(part["label"])}
        if pooled is None:
            only = part.iloc[0]
            row.update({"odds ratio": only["odds_ratio"], "95 % CI": _interval(only["ci_low"], only["ci_high"]),
                        "Hartung–Knapp 95 % CI": "", "95 % prediction interval": "", "τ² (95 % Q-profile CI)": "",
                        "pooled": "no: a single study"})
        else:
            row.update({"odds ratio": pooled.odds_ratio, "95 % CI": _interval(pooled.ci_low, pooled.ci_high),
                        "Hartung–Knapp 95 % CI": _interval(pooled.hksj_ci_low, pooled.hksj_ci_high),
                        "95 % prediction interval": ("needs k ≥ 3" if np.isnan(pooled.pi_low)
                                                     else _interval(pooled.pi_low, pooled.pi_high)),
                        "τ² (95 % Q-profile CI)": f"{pooled.tau2:.3f} ({_interval(pooled.tau2_ci_low, pooled.tau2_ci_high)})",
                        "pooled": f"yes ({pooled.method_name})"})
        rows.append(row)
    return pd.DataFrame(rows).set_index("construct").round({"odds ratio": 2})


def leave_one_out(effects: pd.DataFrame, method: str = "pm") -> pd.DataFrame:
    """The pooled result without each study in turn (one construct only).

    With two studies, leaving one out leaves a single study, whose own OR and
    CI are shown (``k`` = 1, no Hartung–Knapp interval).
    """
    if len(set(effects["construct"])) > 1:
        raise UserError("leave-one-out works within one construct; select one construct first")
    if len(effects) < 2:
        raise UserError(f"leave-one-out needs at least two studies; found {len(effects)}")
    rows = []
    for index in range(len(effects)):
        rest = effects.drop(effects.index[index])
        if len(rest) >= 2:
            pooled = pool_odds_ratios(rest, method=method)
            values = (pooled.odds_ratio, pooled.ci_low, pooled.ci_high, pooled.hksj_ci_low, pooled.hksj_ci_high)
        else:
            only = rest.iloc[0]
            values = (only["odds_ratio"], only["ci_low"], only["ci_high"], np.nan, np.nan)
        rows.append(dict(zip(("left out", "k", "remaining", "odds_ratio", "ci_low", "ci_high", "hksj_ci_low", "hksj_ci_high"),
                             (effects["label"].iloc[index], len(rest), ", ".join(rest["label"])) + values)))
    return pd.DataFrame(rows)


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def count_word(k: int) -> str:
    """A small count as a word ("two"), larger ones as digits."""
    return _NUMBER_WORDS.get(k, str(k))


def join_labels(labels) -> str:
    """``["A", "B", "C"]`` as "A, B and C"."""
    labels = list(labels)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1] if labels else ""


def construct_breakdown(effects: pd.DataFrame) -> str:
    """How the includable studies split by construct, as a phrase ("two used an NSSI instrument (A and B) and …")."""
    verbs = {"nssi": "used an NSSI instrument", "self_harm": "measured broader self-harm",
             "single_item": "asked a single survey item"}
    parts = []
    for construct in CONSTRUCTS:
        labels = list(effects.loc[effects["construct"] == construct, "label"])
        if labels:
            parts.append(f"{count_word(len(labels))} {verbs[construct]} ({join_labels(labels)})")
    return join_labels(parts)


def small_k_statement(effects: pd.DataFrame, pooled: PooledOddsRatio | None) -> str:
    """What a pooled result from k studies can support, written from k and the intervals (one construct)."""
    k = len(effects)
    if k == 0:
        return "No study of this construct reports both groups, so there is nothing to pool."
    if pooled is None:
        only = effects.iloc[0]
        return (f"Only one study ({only['label']}) reports both groups for this construct: its odds ratio "
                f"({only['odds_ratio']:.2f}, 95 % CI {only['ci_low']:.2f} to {only['ci_high']:.2f}) stands alone, and "
                "nothing is pooled.")
    words = count_word(k)
    parts = []
    if pooled.tau2_ci_low == 0:
        size = ("by more than the pooled effect itself" if np.sqrt(pooled.tau2_ci_high) > abs(pooled.log_or)
                else "by less than the pooled effect")
        spread = (f"the 95 % Q-profile interval for τ² runs from 0 to {pooled.tau2_ci_high:.2f}, so the "
                  f"{words} studies are compatible both with one common effect and with true effects that differ "
                  f"between settings {size}")
    else:
        spread = (f"the 95 % Q-profile interval for τ² runs from {pooled.tau2_ci_low:.2f} to "
                  f"{pooled.tau2_ci_high:.2f}: the true effects very probably differ between settings")
    estimate = "0" if pooled.tau2 == 0 else f"{pooled.tau2:.2f}"
    wide = k < 5 or np.sqrt(pooled.tau2_ci_high) > abs(pooled.log_or)
    if wide:
        parts.append(f"With {words} studies the between-study variance cannot be pinned down: τ² is estimated at "
                     f"{estimate}, but {spread}.")
    else:
        parts.append(f"With {words} studies τ² is estimated at {estimate}, and {spread}.")
    hk_includes_one = pooled.hksj_ci_low <= 1 <= pooled.hksj_ci_high
    same = ("equals the fixed-effect interval" if pooled.tau2 == 0 else "treats τ² as if it were known")
    parts.append(f"The usual random-effects interval ({pooled.ci_low:.2f} to {pooled.ci_high:.2f}) {same}; the "
                 f"Hartung–Knapp interval, which allows for the uncertainty in τ², runs from {pooled.hksj_ci_low:.2f} "
                 f"to {pooled.hksj_ci_high:.2f} and {'includes' if hk_includes_one else 'excludes'} 1.")
    if np.isnan(pooled.pi_low):
        parts.append(f"A prediction interval for a new setting needs at least three studies, so none can be given.")
    else:
        pi_includes_one = pooled.pi_low <= 1 <= pooled.pi_high
        parts.append(f"The 95 % prediction interval for the odds ratio in a new setting runs from {pooled.pi_low:.2f} "
                     f"to {pooled.pi_high:.2f} and {'includes' if pi_includes_one else 'excludes'} 1.")
    above = bool((effects["ci_low"] > 1).all())
    below = bool((effects["ci_high"] < 1).all())
    if above or below:
        direction = "higher" if above else "lower"
        support = (f"What {words} studies can support: each found {direction} odds among left-behind young people, "
                   "so they agree on the direction of the association")
    else:
        support = (f"What {words} studies can support: not even a common direction, because not every study's "
                   "interval excludes 1")
    if hk_includes_one:
        support += "; they cannot tell how large the difference is, or whether it would appear in another setting."
    elif k < 5:
        support += ("; the size of the difference, and whether it would appear in another setting, remain "
                    "uncertain with so few studies.")
    else:
        support += ("; the Hartung–Knapp interval gives the plausible size of the difference in settings like "
                    "these, and the prediction interval what a new setting might show.")
    parts.append(support)
    return " ".join(parts)


def pooled_summary(pooled: PooledOddsRatio) -> pd.DataFrame:
    """A one-column table of the pooled result for display (rounded), with every interval labelled."""
    prediction = ("needs k ≥ 3" if np.isnan(pooled.pi_low) else _interval(pooled.pi_low, pooled.pi_high))
    return pd.DataFrame({
        "value": [
            pooled.method_name, pooled.k, f"{pooled.odds_ratio:.2f}", _interval(pooled.ci_low, pooled.ci_high),
            _interval(pooled.hksj_ci_low, pooled.hksj_ci_high),
            _interval(pooled.hksj_adhoc_ci_low, pooled.hksj_adhoc_ci_high), prediction,
            f"{pooled.q:.2f}", pooled.q_df, f"{pooled.q_pvalue:.3f}", f"{100 * pooled.i2:.1f}", f"{pooled.tau2:.4f}",
            _interval(pooled.tau2_ci_low, pooled.tau2_ci_high),
        ]
    }, index=pd.Index([
        "τ² estimator", "studies (k)", "pooled OR", "95 % CI (normal, τ² taken as known)",
        "95 % CI (Hartung–Knapp)", "95 % CI (Hartung–Knapp, scale ≥ 1)", "95 % prediction interval",
        "Cochran's Q", "Q degrees of freedom", "Q p-value", "I² (%)", "τ²", "τ² 95 % CI (Q-profile)",
    ], name="random-effects result"))


def restricted_statement(effects: pd.DataFrame, age_group: str = "child_adolescent") -> str:
    """What is left of one construct's pooling when only studies of ``age_group`` are kept, as a sentence."""
    kept = effects[effects["age_group"] == age_group]
    who = "children and adolescents" if age_group == "child_adolescent" else "young adults"
    if kept.empty:
        return f"Restricted to {who}, no study remains."
    if len(kept) == 1:
        only = kept.iloc[0]
        return (f"Restricted to {who}, only one study remains ({only['label']}: OR {only['odds_ratio']:.2f}, "
                f"{only['ci_low']:.2f} to {only['ci_high']:.2f}), and one study cannot be pooled.")
    pooled = pool_odds_ratios(kept)
    return (f"Restricted to {who}, {count_word(len(kept))} studies remain; pooled, OR {pooled.odds_ratio:.2f} "
            f"(Hartung–Knapp interval {pooled.hksj_ci_low:.2f} to {pooled.hksj_ci_high:.2f}).")


_SHORT_CONSTRUCT = {"nssi": "NSSI", "self_harm": "self-harm", "single_item": "single item"}


def forest_rows(effects: pd.DataFrame, pooled: PooledOddsRatio | None, published: pd.DataFrame) -> pd.DataFrame:
    """The rows a forest plot draws, grouped by construct, with Zheng et al.'s published (NSSI) OR in the NSSI group.

    Each construct's studies are followed, for the construct that ``pooled``
    pools, by two rows for the pooled OR: the usual random-effects interval
    (``kind`` ``"pooled"``) and the Hartung–Knapp interval (``"pooled_hksj"``).
    Studies of a construct other than NSSI say which construct in their label.
    ``published`` is the provenance table ``zheng2025`` (see :mod:`leftbehind.core.provenance`).
    """
    rows = []
    for construct in CONSTRUCTS:
        part = effects[effects["construct"] == construct]
        for _, r in part.iterrows():
            label = r["label"] if construct == "nssi" else f"{r['label']} ({_SHORT_CONSTRUCT[construct]})"
            rows.append({"label": label, "kind": "study", "construct": construct,
                         "odds_ratio": r["odds_ratio"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]})
        if pooled is not None and pooled.construct == construct:
            name = _SHORT_CONSTRUCT[construct]
            rows.append({"label": f"Pooled {name} ({pooled.method_name}, k = {pooled.k})", "kind": "pooled",
                         "construct": construct, "odds_ratio": pooled.odds_ratio, "ci_low": pooled.ci_low,
                         "ci_high": pooled.ci_high})
            rows.append({"label": "Same, Hartung–Knapp interval", "kind": "pooled_hksj", "construct": construct,
                         "odds_ratio": pooled.odds_ratio, "ci_low": pooled.hksj_ci_low, "ci_high": pooled.hksj_ci_high})
        if construct == "nssi":
            k = int(published.loc["k_studies", "value"])
            rows.append({"label": f"Zheng et al. 2025 (published, k = {k})", "kind": "published", "construct": "nssi",
                         "odds_ratio": float(published.loc["pooled_or", "value"]),
                         "ci_low": float(published.loc["pooled_or_ci_low", "value"]),
                         "ci_high": float(published.loc["pooled_or_ci_high", "value"])})
    return pd.DataFrame(rows)


def _interval(low: float, high: float, digits: int = 2) -> str:
    return f"{low:.{digits}f}–{high:.{digits}f}"


def forest_alt(rows: pd.DataFrame, pooled: PooledOddsRatio | None) -> str:
    """Alt text for the forest plot, stating every odds ratio drawn and what the intervals show."""
    parts = [f"{r.label}: OR {r.odds_ratio:.2f} (95 % CI {_interval(r.ci_low, r.ci_high)})" for r in rows.itertuples()]
    studies = rows[rows["kind"] == "study"]
    above = bool((studies["ci_low"] > 1).all())
    finding = ("Every study's interval lies above 1: each study found higher odds among left-behind young people."
               if above else "Not every study's interval excludes 1.")
    if pooled is not None:
        includes = pooled.hksj_ci_low <= 1 <= pooled.hksj_ci_high
        finding += (f" The Hartung–Knapp interval of the pooled estimate {'includes' if includes else 'excludes'} 1."
                    f" Heterogeneity of the pooled studies: I² {100 * pooled.i2:.0f} %, τ² {pooled.tau2:.3f}"
                    f" (95 % CI {pooled.tau2_ci_low:.2f} to {pooled.tau2_ci_high:.2f}).")
    constructs = [CONSTRUCTS[c] for c in CONSTRUCTS if c in set(studies["construct"])]
    return ("Forest plot of odds ratios, left-behind versus other young people, log scale, grouped by what was "
            f"measured ({', '.join(constructs)}; constructs are never pooled together). "
            + "; ".join(parts) + ". " + finding)


def forest_figure(rows: pd.DataFrame, pooled: PooledOddsRatio | None):
    """Forest plot: squares for studies, diamonds for pooled results (ours, with both intervals, and the published one).

    ``name`` (``fig-…``) lets the prose cite the figure by number."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.62 * len(rows) + 1.4))
    styles = {"study": ("s", OKABE_ITO["blue"], "-"), "pooled": ("D", OKABE_ITO["vermillion"], "-"),
              "pooled_hksj": ("D", OKABE_ITO["vermillion"], ":"), "published": ("D", OKABE_ITO["grey"], "-")}
    y_positions = list(range(len(rows)))[::-1]
    for y, r in zip(y_positions, rows.itertuples()):
        marker, colour, line = styles[r.kind]
        ax.plot([r.ci_low, r.ci_high], [y, y], color=colour, linewidth=2, linestyle=line)
        ax.plot([r.odds_ratio], [y], marker=marker, color=colour, markersize=8, linestyle="none")
    constructs = list(rows["construct"])
    for index in range(1, len(constructs)):
        if constructs[index] != constructs[index - 1]:
            ax.axhline(y_positions[index] + 0.5, color="#999999", linewidth=0.6, linestyle=":")
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    # the estimate and interval sit under each label, so nothing is drawn over the intervals on a narrow screen
    ax.set_yticks(y_positions, [f"{r.label}\n{r.odds_ratio:.2f} ({_interval(r.ci_low, r.ci_high)})" for r in rows.itertuples()])
    upper = float(rows["ci_high"].max())
    ax.set_xlim(min(0.9, float(rows["ci_low"].min()) * 0.95), upper * 1.08)
    ticks = [t for t in (0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0) if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel(wrap("Odds ratio, LBC vs non-LBC (log scale; dashed line = no difference)"))
    return fig, forest_alt(rows, pooled)


def prevalence_alt(prevalence: pd.DataFrame) -> str:
    """Alt text for the prevalence-by-construct figure, naming every study, value and interval."""
    groups = []
    for construct, name in CONSTRUCTS.items():
        part = prevalence[prevalence["construct"] == construct]
        if part.empty:
            continue
        items = []
        for r in part.itertuples():
            ci = (f" (95 % CI {_interval(r.ci_low_pct, r.ci_high_pct, 1)})" if not np.isnan(r.ci_low_pct)
                  else " (no interval: group size not printed)")
            items.append(f"{r.label} {r.estimate_pct:.1f} %{ci}")
        groups.append(f"{name}: " + "; ".join(items))
    low, high = prevalence["estimate_pct"].min(), prevalence["estimate_pct"].max()
    return ("Dot plot of the share of left-behind children reporting the outcome, by study, grouped and coloured by "
            f"what was measured. " + ". ".join(groups) + f". Values range from {low:.1f} % to {high:.1f} %; "
            "the three constructs are shown apart and not pooled.")


def prevalence_figure(prevalence: pd.DataFrame):
    """Prevalence among LBC by study with Wilson 95 % intervals, grouped and coloured by construct (``name``: see
    :func:`forest_figure`)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from leftbehind.plots.figures import MAX_WIDTH_IN, PALETTE, legend_above, wrap

    colours = dict(zip(CONSTRUCTS, PALETTE))
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.42 * len(prevalence) + 1.6))
    y_positions = list(range(len(prevalence)))[::-1]
    for y, r in zip(y_positions, prevalence.itertuples()):
        colour = colours[r.construct]
        if not np.isnan(r.ci_low_pct):
            ax.plot([r.ci_low_pct, r.ci_high_pct], [y, y], color=colour, linewidth=2)
            ax.plot([r.estimate_pct], [y], "o", color=colour, markersize=7)
        else:
            ax.plot([r.estimate_pct], [y], "o", markerfacecolor="white", markeredgecolor=colour, markersize=7)
        right = r.estimate_pct if np.isnan(r.ci_high_pct) else r.ci_high_pct
        ax.text(right + 1.5, y, f"{r.estimate_pct:.1f} %", va="center")
    constructs = list(prevalence["construct"])
    for index in range(1, len(constructs)):
        if constructs[index] != constructs[index - 1]:
            ax.axhline(y_positions[index] + 0.5, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_yticks(y_positions, list(prevalence["label"]))
    ax.set_xlim(0, max(100.0, float(np.nanmax(prevalence["ci_high_pct"].fillna(0))) + 5))
    ax.set_xlabel(wrap("Left-behind children reporting the outcome (%) with 95 % Wilson interval"))
    handles = [Line2D([0], [0], marker="o", color=colours[c], linestyle="none", label=name) for c, name in CONSTRUCTS.items()
               if c in set(prevalence["construct"])]
    handles.append(Line2D([0], [0], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor="black",
                          label="no interval (group size not printed)"))
    legend_above(ax, handles=handles)
    return fig, prevalence_alt(prevalence)


def evidence_overview(evidence: pd.DataFrame) -> pd.DataFrame:
    """The evidence table as a reader sees it: one row per study, what it measured, and whether it is pooled."""
    def counted(value, row, column):
        if pd.isna(value):
            return ""
        return f"{int(value):,}" + (" (derived)" if is_derived(row, column) else "")

    rows = []
    for _, row in evidence.iterrows():
        rows.append({
            "study": row["label"], "setting": row["region"],
            "construct": CONSTRUCTS[row["construct"]],
            "n LBC": counted(row["n_lbc"], row, "n_lbc"), "n non-LBC": counted(row["n_nlbc"], row, "n_nlbc"),
            "LBC % (printed)": row["prev_lbc_pct"] if isinstance(row["prev_lbc_pct"], str) else "",
            "non-LBC % (printed)": row["prev_nlbc_pct"] if isinstance(row["prev_nlbc_pct"], str) else "",
            "duplicate of": "" if pd.isna(row["duplicate_of"]) else row["duplicate_of"],
            "in pooled OR": "yes" if row["includable_in_pooled_or"] == "yes" else "no",
        })
    return pd.DataFrame(rows).set_index("study")


def exclusion_reasons(evidence: pd.DataFrame) -> pd.DataFrame:
    """Why each study left out of the pooled odds ratio was left out, as recorded in the table."""
    excluded = evidence[evidence["includable_in_pooled_or"] == "no"]
    return pd.DataFrame({"study": excluded["label"], "why it is not in the pooled odds ratio": excluded["exclusion_reason"]}
                        ).set_index("study")


def _span(values: list[int]) -> str:
    if not values:
        return "none"
    if len(values) == 1:
        return f"{values[0]:,}"
    return f"{values[0]:,}–{values[-1]:,} ({len(values)})"


#: What :func:`recover_counts` can conclude for a row (its ``outcome`` column).
RECOVERY_OUTCOMES = ("misfit", "no_table", "recovered", "several_tables", "no_count", "cannot_help", "few_counts",
                     "unique")


def recover_counts(evidence: pd.DataFrame) -> pd.DataFrame:
    """For every row with a printed percentage: which integer counts the printed numbers allow.

    Per group (LBC, non-LBC, whole sample) the counts whose share prints as the
    published percentage given the group size; with both group sizes and a
    printed χ², the 2 × 2 tables that also reproduce it
    (:func:`leftbehind.audit.reconstruction.tables_from_printed_shares`); whether the
    counts in the evidence table are among them; an ``outcome`` code and a verdict for readers.  Rows whose
    group size is not printed can only say so.  Duplicates are included: the
    check is about what each paper printed.
    """
    rows = []
    for _, row in evidence.iterrows():
        printed = {g: row[f"prev_{g}_value"] for g in GROUPS}
        if all(pd.isna(v) for v in printed.values()):
            continue
        cells, fits_by_group, agree, unknown_sizes = {}, {}, [], []
        for group, name in (("lbc", "LBC"), ("nlbc", "non-LBC"), ("total", "whole sample")):
            if pd.isna(printed[group]):
                cells[group] = ""
            elif pd.isna(row[f"n_{group}"]):
                cells[group] = "group size not printed"
                unknown_sizes.append(name)
            else:
                fits = consistent_numerators(float(printed[group]), int(row[f"prev_{group}_decimals"]), int(row[f"n_{group}"]))
                cells[group], fits_by_group[group] = _span(fits), fits
                if not pd.isna(row[f"events_{group}"]):
                    agree.append(int(row[f"events_{group}"]) in fits)
        tables_text, fitting = "", None
        if not (pd.isna(row["chi2_value"]) or pd.isna(row["n_lbc"]) or pd.isna(row["n_nlbc"])):
            found = tables_from_printed_shares(
                int(row["n_lbc"]), int(row["n_nlbc"]), None if pd.isna(printed["lbc"]) else printed["lbc"],
                None if pd.isna(printed["nlbc"]) else printed["nlbc"],
                pct_decimals=(_decimals(row, "lbc"), _decimals(row, "nlbc")),
                chi2=float(row["chi2_value"]), chi2_decimals=int(row["chi2_decimals"]))
            fitting = found[found["consistent"]]
            which = [v for v, col in (("without", "pearson_matches"), ("with", "yates_matches")) if fitting[col].any()]
            tables_text = "; ".join(f"{t.a:,}/{t.c:,}" for t in fitting.itertuples()) or "none"
            tables_text += f" (of {len(found)} candidate tables"
            tables_text += f"; χ² {' or '.join(which)} continuity correction)" if which else ")"
            if not (pd.isna(row["events_lbc"]) or pd.isna(row["events_nlbc"])):
                recorded = (int(row["events_lbc"]), int(row["events_nlbc"]))
                agree.append(any((t.a, t.c) == recorded for t in fitting.itertuples()))
        rows.append({
            "study": row["label"], "LBC % printed": row["prev_lbc_pct"] if isinstance(row["prev_lbc_pct"], str) else "",
            "LBC counts that fit": cells["lbc"],
            "non-LBC % printed": row["prev_nlbc_pct"] if isinstance(row["prev_nlbc_pct"], str) else "",
            "non-LBC counts that fit": cells["nlbc"],
            "whole-sample counts that fit": cells["total"],
            "χ² printed": row["chi2_printed"] if isinstance(row["chi2_printed"], str) else "",
            "tables that fit every printed number (LBC/non-LBC cases)": tables_text,
            **dict(zip(("outcome", "verdict"), _recovery_verdict(fits_by_group, fitting, agree, unknown_sizes))),
        })
    return pd.DataFrame(rows).set_index("study")


def _decimals(row: pd.Series, group: str) -> int | None:
    value = row[f"prev_{group}_decimals"]
    return None if pd.isna(value) or value == "" else int(value)


def _recovery_verdict(fits_by_group: dict, fitting: pd.DataFrame | None, agree: list[bool],
                      unknown_sizes: list[str]) -> tuple[str, str]:
    """The ``(outcome, verdict)`` of one :func:`recover_counts` row, from what was found (not from displayed text).

    ``outcome`` is one of :data:`RECOVERY_OUTCOMES`, for code to count; ``verdict`` is the sentence for readers.
    """
    if agree and not all(agree):
        return "misfit", "the counts in the evidence table do NOT fit the printed numbers"
    if fitting is not None:
        if fitting.empty:
            return "no_table", "no integer table fits every printed number"
        if len(fitting) == 1:
            return "recovered", "one table fits every printed number: the counts are recovered"
        return "several_tables", f"{len(fitting)} tables fit every printed number"
    if any(len(fits) == 0 for fits in fits_by_group.values()):
        return "no_count", "no integer count fits a printed percentage"
    if not fits_by_group:
        plural = "sizes are" if len(unknown_sizes) > 1 else "size is"
        return "cannot_help", f"cannot help: the {' and '.join(unknown_sizes)} group {plural} not printed"
    if any(len(fits) > 1 for fits in fits_by_group.values()):
        return "few_counts", "the printed percentages allow a few counts" + (" (the table's counts are among them)" if agree else "")
    return "unique", "each printed percentage allows exactly one count" + (" (the table's counts)" if agree else "")

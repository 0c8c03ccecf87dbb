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
``duplicate_of`` names another, non-duplicate row; an includable row has all
four two-group counts and is not a duplicate; derived columns are explained.
A failure raises :class:`~leftbehind.errors.UserError` naming the file, the
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
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

from leftbehind.errors import UserError, fail_where, is_blank, require_columns
from leftbehind.paths import published_dir

EVIDENCE_FILE = "nssi_evidence.csv"

COLUMNS = (
    "study_id", "label", "citation", "region", "survey_years", "population", "age_group",
    "n_total", "n_lbc", "n_nlbc", "construct", "instrument", "recall_period",
    "events_total", "events_lbc", "events_nlbc",
    "prev_total_pct", "prev_total_decimals", "prev_lbc_pct", "prev_lbc_decimals",
    "prev_nlbc_pct", "prev_nlbc_decimals", "prev_lbc_ci_printed", "other_printed",
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
        half_unit = 0.5 * 10.0 ** (-decimals) + 1e-9
        fail_where(source, f"prev_{group}_pct", f"disagrees with events_{group}/n_{group} beyond rounding",
              ((exact - value).abs() > half_unit).fillna(False))
        values[f"prev_{group}_value"] = value
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
    out = table.assign(study_id=ids, duplicate_of=duplicate.replace("", pd.NA), derived_fields=derived, **counts, **values)
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
    """A random-effects pooled odds ratio with its heterogeneity statistics."""

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

    @property
    def method_name(self) -> str:
        return POOLING_METHODS[self.method]


def i_squared(q: float, df: int) -> float:
    """Higgins' I² as a proportion, truncated at 0: max(0, (Q − df)/Q)."""
    if q <= 0:
        return 0.0
    return max(0.0, (q - df) / q)


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
    result = combine_effects(
        effects["log_or"].to_numpy(), (effects["se"] ** 2).to_numpy(), method_re=method,
        row_names=list(effects["study_id"]),
    )
    frame = result.summary_frame()
    tau2 = float(result.tau2)
    row, weights = "random effect", np.asarray(result.weights_rel_re)
    if tau2 < 0:  # statsmodels' DerSimonian–Laird is untruncated; τ² = 0 gives the fixed-effect result
        tau2, row, weights = 0.0, "fixed effect", np.asarray(result.weights_rel_fe)
    re = frame.loc[row]
    q, df = float(result.q), int(result.df)
    return PooledOddsRatio(
        method=method, k=len(effects), studies=tuple(effects["study_id"]),
        odds_ratio=float(np.exp(re["eff"])), ci_low=float(np.exp(re["ci_low"])), ci_high=float(np.exp(re["ci_upp"])),
        log_or=float(re["eff"]), se=float(re["sd_eff"]),
        q=q, q_df=df, q_pvalue=float(stats.chi2.sf(q, df)), i2=i_squared(q, df), tau2=tau2,
        weights=tuple(float(w) for w in weights),
    )


def pooled_summary(pooled: PooledOddsRatio) -> pd.DataFrame:
    """A one-column table of the pooled result for display (rounded)."""
    return pd.DataFrame({
        "value": [
            pooled.method_name, pooled.k, round(pooled.odds_ratio, 2), round(pooled.ci_low, 2), round(pooled.ci_high, 2),
            round(pooled.q, 2), pooled.q_df, round(pooled.q_pvalue, 3), round(100 * pooled.i2, 1), round(pooled.tau2, 4),
        ]
    }, index=pd.Index([
        "τ² estimator", "studies (k)", "pooled OR", "95 % CI low", "95 % CI high",
        "Cochran's Q", "Q degrees of freedom", "Q p-value", "I² (%)", "τ²",
    ], name="random-effects result"))


def forest_rows(effects: pd.DataFrame, pooled: PooledOddsRatio | None, published: pd.DataFrame) -> pd.DataFrame:
    """The rows a forest plot draws: each study, our pooled OR, and Zheng et al.'s published OR.

    ``published`` is the provenance table ``zheng2025`` (see :mod:`leftbehind.provenance`).
    """
    rows = [
        {"label": r["label"], "kind": "study", "odds_ratio": r["odds_ratio"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]}
        for _, r in effects.iterrows()
    ]
    if pooled is not None:
        rows.append({"label": f"Pooled here ({pooled.method_name}, k = {pooled.k})", "kind": "pooled",
                     "odds_ratio": pooled.odds_ratio, "ci_low": pooled.ci_low, "ci_high": pooled.ci_high})
    k = int(published.loc["k_studies", "value"])
    rows.append({"label": f"Zheng et al. 2025 (published, k = {k})", "kind": "published",
                 "odds_ratio": float(published.loc["pooled_or", "value"]),
                 "ci_low": float(published.loc["pooled_or_ci_low", "value"]),
                 "ci_high": float(published.loc["pooled_or_ci_high", "value"])})
    return pd.DataFrame(rows)


def _interval(low: float, high: float, digits: int = 2) -> str:
    return f"{low:.{digits}f}–{high:.{digits}f}"


def forest_alt(rows: pd.DataFrame, pooled: PooledOddsRatio | None) -> str:
    """Alt text for the forest plot, stating every odds ratio drawn and what the pooled result shows."""
    parts = [f"{r.label}: OR {r.odds_ratio:.2f} (95 % CI {_interval(r.ci_low, r.ci_high)})" for r in rows.itertuples()]
    above = all(r.ci_low > 1 for r in rows.itertuples())
    finding = ("Every interval lies above 1, so each estimate points to higher odds of NSSI among left-behind children."
               if above else "Not every interval excludes 1.")
    heterogeneity = (f" Heterogeneity of the pooled studies: I² {100 * pooled.i2:.0f} %, τ² {pooled.tau2:.3f}."
                     if pooled is not None else "")
    return ("Forest plot of odds ratios of NSSI in left-behind versus other young people, log scale. "
            + "; ".join(parts) + ". " + finding + heterogeneity)


def plot_forest(rows: pd.DataFrame, pooled: PooledOddsRatio | None):
    """Forest plot: squares for studies, diamonds for pooled results (ours and the published one)."""
    import matplotlib.pyplot as plt

    from leftbehind.figures import MAX_WIDTH_IN, OKABE_ITO, show_figure, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.62 * len(rows) + 1.4))
    styles = {"study": ("s", OKABE_ITO["blue"]), "pooled": ("D", OKABE_ITO["vermillion"]),
              "published": ("D", OKABE_ITO["grey"])}
    y_positions = list(range(len(rows)))[::-1]
    for y, r in zip(y_positions, rows.itertuples()):
        marker, colour = styles[r.kind]
        ax.plot([r.ci_low, r.ci_high], [y, y], color=colour, linewidth=2)
        ax.plot([r.odds_ratio], [y], marker=marker, color=colour, markersize=8, linestyle="none")
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    # the estimate and interval sit under each label, so nothing is drawn over the intervals on a narrow screen
    ax.set_yticks(y_positions, [f"{r.label}\n{r.odds_ratio:.2f} ({_interval(r.ci_low, r.ci_high)})" for r in rows.itertuples()])
    upper = float(rows["ci_high"].max())
    ax.set_xlim(min(0.9, float(rows["ci_low"].min()) * 0.95), upper * 1.08)
    ticks = [t for t in (0.8, 0.9, 1.0, 1.2, 1.5, 2.0, 3.0) if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel(wrap("Odds ratio, LBC vs non-LBC (log scale; dashed line = no difference)"))
    caption = ("Derived from published counts: per-study odds ratios (squares) and our random-effects pooled odds ratio "
               "(orange diamond), beside the published pooled odds ratio of Zheng et al. 2025 (grey diamond).")
    return show_figure(fig, forest_alt(rows, pooled), caption=caption)


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


def plot_prevalence(prevalence: pd.DataFrame):
    """Prevalence among LBC by study with Wilson 95 % intervals, grouped and coloured by construct."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from leftbehind.figures import MAX_WIDTH_IN, PALETTE, legend_above, show_figure, wrap

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
    caption = ("Published prevalences among left-behind children; intervals derived by our code from the published "
               "(or, where marked in the table, derived) counts. Duplicate samples appear once.")
    return show_figure(fig, prevalence_alt(prevalence), caption=caption)


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

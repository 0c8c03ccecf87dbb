"""Tables 1-6 of Yong et al. (2023), rebuilt from an analysis dataset.

Each ``table*`` function takes the analysis dataset (one row per analysed pupil,
columns as in the analysis contract) and returns a :class:`TableResult`:

* ``cells`` -- the numbers a reader looks at (counts, percentages with 95 %
  Wilson intervals, means and SDs), one row per category or coping factor;
* ``tests`` -- one row per comparison the paper makes, with a stable
  ``comparison`` id (e.g. ``t2:stage=junior:lbc_vs_nlbc``), the test used, its
  statistic and p-value, and a signed ``difference`` whose sign is the direction
  (defined in the ``contrast`` column).  :mod:`leftbehind.paper.claims` matches
  these ids to what the paper's text says.

Statistical choices (the paper says only "chi-square" and "t-test", run in SPSS):

* categorical comparisons use Pearson's chi-square without continuity correction
  (SPSS's first line); a 2x2 table with an expected count below 5 uses Fisher's
  exact test instead; larger tables with small expected counts keep the
  chi-square and are flagged in ``note``;
* means are compared with Welch's t-test (no equal-variance assumption), with
  Cohen's d on the pooled SD as effect size;
* proportions carry 95 % Wilson score intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import Table2x2

from leftbehind.paper.models import CATEGORICAL, COPING_FACTORS
from leftbehind.stats.comparisons import compare_counts, compare_means
from leftbehind.stats.prevalence import wilson_percent as wilson
from leftbehind.yingshan.derive import LEVELS

#: Subgroups of Tables 1, 2 and 4, in display order.
SUBGROUPS = ["gender", "stage", "residence", "boarder", "only_child", "family", "father_edu", "mother_edu"]
#: Coping scores of Tables 5-6: the seven factors, then the two composites.
COPING_SCORES = COPING_FACTORS + ["problem_oriented", "emotion_oriented"]
#: Help-seeking categories of Table 3, in the questionnaire's order (as the derived variable defines them).
HELP_CATEGORIES = list(LEVELS["help_seeking"])
#: Levels whose share (pooled) defines the direction of a multi-level comparison;
#: default: every non-reference level pooled against the reference.
FOCAL = {"stage": ["senior"]}

ALPHA = 0.05


@dataclass
class TableResult:
    """A rebuilt table: ``cells`` for reading, ``tests`` for the comparisons."""

    cells: pd.DataFrame
    tests: pd.DataFrame


def _levels(data: pd.DataFrame, variable: str) -> list[str]:
    return CATEGORICAL.get(variable, sorted(data[variable].dropna().astype(str).unique()))


def _share(values: pd.Series, levels: list[str]) -> float:
    return 100 * float(values.astype(str).isin(levels).mean()) if len(values) else float("nan")


def _lbc(data: pd.DataFrame) -> pd.Series:
    return data["lbc"].astype(bool)


def _test_row(comparison: str, contrast: str, result: dict, difference: float, **extra) -> dict:
    row = {"comparison": comparison, "contrast": contrast, "difference": difference}
    row.update({k: result.get(k, np.nan) for k in ("test", "statistic", "df", "p")})
    row["note"] = result.get("note", "")
    row.update(extra)
    return row


# --------------------------------------------------------------------------- Table 1


def table1_demographics(data: pd.DataFrame) -> TableResult:
    """Table 1: demographics of LBC vs NLBC -- n (%) with chi-square; age mean ± SD with Welch t."""
    lbc = _lbc(data)
    cells, tests = [], []
    for variable in SUBGROUPS:
        levels = _levels(data, variable)
        counts = pd.crosstab(lbc, data[variable].astype(str)).reindex(index=[True, False], columns=levels, fill_value=0)
        for level in levels:
            cells.append(
                {
                    "variable": variable,
                    "level": level,
                    "lbc_n": int(counts.loc[True, level]),
                    "lbc_pct": 100 * counts.loc[True, level] / counts.loc[True].sum(),
                    "nlbc_n": int(counts.loc[False, level]),
                    "nlbc_pct": 100 * counts.loc[False, level] / counts.loc[False].sum(),
                }
            )
        focal = FOCAL.get(variable, levels[1:])
        diff = _share(data.loc[lbc, variable], focal) - _share(data.loc[~lbc, variable], focal)
        tests.append(
            _test_row(f"t1:{variable}", f"share {'/'.join(focal)}: LBC minus NLBC (points)", compare_counts(counts.to_numpy()), diff)
        )
    age = compare_means(data.loc[lbc, "age"], data.loc[~lbc, "age"])
    ages = {
        "variable": "age",
        "level": "mean (SD)",
        "lbc_mean": float(data.loc[lbc, "age"].mean()),
        "lbc_sd": float(data.loc[lbc, "age"].std()),
        "nlbc_mean": float(data.loc[~lbc, "age"].mean()),
        "nlbc_sd": float(data.loc[~lbc, "age"].std()),
    }
    cells.append(ages)
    tests.append(_test_row("t1:age", "mean age: LBC minus NLBC (years)", age, age["difference"], cohens_d=age["cohens_d"]))
    return TableResult(pd.DataFrame(cells), pd.DataFrame(tests))


# --------------------------------------------------------------------------- Tables 2 and 4


def _prevalence_by_subgroup(data: pd.DataFrame, outcome: str, prefix: str, odds_ratios: tuple[str, ...] = ()) -> TableResult:
    """Prevalence of a 0/1 ``outcome`` by subgroup in LBC and NLBC, with the three kinds of test."""
    lbc = _lbc(data)
    y = pd.to_numeric(data[outcome]).astype(int)
    cells, tests = [], []

    def cell_counts(mask: pd.Series) -> tuple[int, int]:
        return int(mask.sum()), int(y[mask].sum())

    n1, k1 = cell_counts(lbc)
    n0, k0 = cell_counts(~lbc)
    overall = compare_counts(np.array([[k1, n1 - k1], [k0, n0 - k0]]))
    cells.append(_prevalence_cell("all", "all", n1, k1, n0, k0, overall))
    tests.append(_test_row(f"{prefix}:overall:lbc_vs_nlbc", "LBC minus NLBC (points)", overall, cells[-1]["lbc_pct"] - cells[-1]["nlbc_pct"]))
    for variable in SUBGROUPS:
        levels = _levels(data, variable)
        values = data[variable].astype(str)
        focal = FOCAL.get(variable, levels[1:])
        is_level = {lv: values == lv for lv in levels}  # each comparison once (millions of rows at scale)
        in_focal = values.isin(focal)
        for group, mask in (("lbc", lbc), ("nlbc", ~lbc)):
            table = np.array([[y[mask & is_level[lv]].sum(), (mask & is_level[lv]).sum() - y[mask & is_level[lv]].sum()] for lv in levels])
            inside = mask & in_focal
            outside = mask & is_level[levels[0]]
            diff = 100 * (y[inside].mean() - y[outside].mean()) if inside.any() and outside.any() else np.nan
            extra = {}
            if group == "lbc" and variable in odds_ratios:
                t22 = Table2x2(np.array([[y[inside].sum(), (1 - y[inside]).sum()], [y[outside].sum(), (1 - y[outside]).sum()]]))
                low, high = t22.oddsratio_confint()
                extra = {"odds_ratio": float(t22.oddsratio), "or_ci_low": float(low), "or_ci_high": float(high)}
            tests.append(
                _test_row(
                    f"{prefix}:{variable}:within_{group}",
                    f"{'/'.join(focal)} minus {levels[0]} (points)",
                    compare_counts(table),
                    float(diff),
                    **extra,
                )
            )
        for level in levels:
            a = lbc & is_level[level]
            b = ~lbc & is_level[level]
            n1, k1 = cell_counts(a)
            n0, k0 = cell_counts(b)
            result = compare_counts(np.array([[k1, n1 - k1], [k0, n0 - k0]]))
            cells.append(_prevalence_cell(variable, level, n1, k1, n0, k0, result))
            tests.append(
                _test_row(f"{prefix}:{variable}={level}:lbc_vs_nlbc", "LBC minus NLBC (points)", result, cells[-1]["lbc_pct"] - cells[-1]["nlbc_pct"])
            )
    return TableResult(pd.DataFrame(cells), pd.DataFrame(tests))


def _prevalence_cell(variable: str, level: str, n1: int, k1: int, n0: int, k0: int, test: dict) -> dict:
    lo1, hi1 = wilson(k1, n1)
    lo0, hi0 = wilson(k0, n0)
    return {
        "variable": variable,
        "level": level,
        "lbc_n": n1,
        "lbc_cases": k1,
        "lbc_pct": 100 * k1 / n1 if n1 else np.nan,
        "lbc_ci_low": lo1,
        "lbc_ci_high": hi1,
        "nlbc_n": n0,
        "nlbc_cases": k0,
        "nlbc_pct": 100 * k0 / n0 if n0 else np.nan,
        "nlbc_ci_low": lo0,
        "nlbc_ci_high": hi0,
        "test": test["test"],
        "p": test["p"],
    }


def table2_nssi_prevalence(data: pd.DataFrame) -> TableResult:
    """Table 2: NSSI prevalence (95 % Wilson CI) by subgroup in LBC and NLBC, with crude ORs for girls and boarders."""
    return _prevalence_by_subgroup(data, "nssi", "t2", odds_ratios=("gender", "boarder"))


def table4_professional_help(data: pd.DataFrame) -> TableResult:
    """Table 4: professional help among pupils with NSSI, by subgroup, LBC and NLBC."""
    with_nssi = data[pd.to_numeric(data["nssi"]) == 1]
    return _prevalence_by_subgroup(with_nssi, "professional", "t4")


# --------------------------------------------------------------------------- Table 3


def table3_help_seeking(data: pd.DataFrame) -> TableResult:
    """Table 3: help-seeking categories among LBC and NLBC with NSSI (chi-square across the four)."""
    with_nssi = data[pd.to_numeric(data["nssi"]) == 1]
    lbc = _lbc(with_nssi)
    counts = pd.crosstab(lbc, with_nssi["help_seeking"].astype(str)).reindex(index=[True, False], columns=HELP_CATEGORIES, fill_value=0)
    cells = []
    for category in HELP_CATEGORIES:
        row = {"help_seeking": category}
        for group, flag in (("lbc", True), ("nlbc", False)):
            k, n = int(counts.loc[flag, category]), int(counts.loc[flag].sum())
            low, high = wilson(k, n)
            row.update({f"{group}_n": k, f"{group}_pct": 100 * k / n if n else np.nan, f"{group}_ci_low": low, f"{group}_ci_high": high})
        cells.append(row)
    cells = pd.DataFrame(cells)
    result = compare_counts(counts.to_numpy())
    diff = float(cells.loc[cells["help_seeking"] == "professional", "lbc_pct"].iloc[0] - cells.loc[cells["help_seeking"] == "professional", "nlbc_pct"].iloc[0])
    tests = pd.DataFrame([_test_row("t3:help_seeking:lbc_vs_nlbc", "professional share: LBC minus NLBC (points)", result, diff)])
    return TableResult(cells, tests)


def care_cascade(data: pd.DataFrame) -> pd.DataFrame:
    """The care cascade among LBC: all -> NSSI -> any help (self-help or professional) -> professional.

    Each stage has its count, its share of the previous stage and a 95 % Wilson CI.
    """
    lbc = data[_lbc(data)]
    nssi = lbc[pd.to_numeric(lbc["nssi"]) == 1]
    helped = nssi["help_seeking"].astype(str).isin(["self_help", "professional"])
    stages = [
        ("Left-behind children", len(lbc)),
        ("Reported NSSI", len(nssi)),
        ("Any help (self-help or professional)", int(helped.sum())),
        ("Professional help", int((nssi["help_seeking"].astype(str) == "professional").sum())),
    ]
    rows = []
    for i, (stage, count) in enumerate(stages):
        previous = stages[i - 1][1] if i else count
        low, high = wilson(count, previous)
        rows.append({"stage": stage, "n": count, "pct_of_previous": 100 * count / previous if previous else np.nan, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def cascade_figure(cascade: pd.DataFrame, data: str = "synthetic cohort"):
    """Bar chart of the care cascade on a linear count axis (a log axis would make the last stage look large).

    Each bar is labelled with its count and its share of the previous stage; returns ``(fig, alt)``.
    ``data`` names the data in the axis label and alt text (the data tier, e.g. "real survey data")."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, PALETTE, count_axis, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 3.6))
    ypos = np.arange(len(cascade))[::-1]
    ax.barh(ypos, cascade["n"], color=PALETTE[: len(cascade)])
    ax.set_yticks(ypos, [wrap(s, 20) for s in cascade["stage"]])
    top = float(cascade["n"].max())
    for y, row in zip(ypos, cascade.itertuples()):
        label = f"{row.n:,}" if row.Index == 0 else f"{row.n:,}\n({row.pct_of_previous:.1f} % of previous)"
        if row.n > 0.55 * top:  # long bar: label inside, at its end
            ax.text(row.n - 0.02 * top, y, label, va="center", ha="right", color="white", fontweight="bold")
        else:
            ax.text(row.n + 0.02 * top, y, label, va="center", ha="left")
    count_axis(ax)
    ax.set_xlim(0, top * 1.02)
    ax.set_xlabel(f"Children — {data}")
    fig.tight_layout()
    steps = "; ".join(
        f"{r.stage.lower()}: {r.n:,} ({r.pct_of_previous:.1f} % of the previous stage)" for r in cascade.iloc[1:].itertuples()
    )
    alt = (
        f"Care cascade among {cascade['n'].iloc[0]:,} left-behind children in the {data}, narrowing at each stage: "
        f"{steps}."
    )
    return fig, alt


# --------------------------------------------------------------------------- Tables 5 and 6


def _mean_table(scores: pd.DataFrame, a_mask: pd.Series, b_mask: pd.Series, names: tuple[str, str], comparison: str, prefix: str) -> tuple[list, list]:
    cells, tests = [], []
    a_name, b_name = names
    for score in COPING_SCORES:
        a = scores.loc[a_mask, score].astype(float)
        b = scores.loc[b_mask, score].astype(float)
        result = compare_means(a, b)
        cells.append(
            {
                "score": score,
                f"{a_name}_n": int(len(a)),
                f"{a_name}_mean": float(a.mean()),
                f"{a_name}_sd": float(a.std()),
                f"{b_name}_n": int(len(b)),
                f"{b_name}_mean": float(b.mean()),
                f"{b_name}_sd": float(b.std()),
                "t": result["statistic"],
                "df": result["df"],
                "p": result["p"],
                "cohens_d": result["cohens_d"],
            }
        )
        tests.append(_test_row(f"{prefix}:{score}:{comparison}", f"{a_name} minus {b_name} (mean score)", result, result["difference"], cohens_d=result["cohens_d"]))
    return cells, tests


def table5_coping(data: pd.DataFrame) -> dict[str, TableResult]:
    """Table 5: coping scores of LBC vs NLBC, and of girls vs boys among LBC (Welch t, Cohen's d)."""
    lbc = _lbc(data)
    c1, t1 = _mean_table(data, lbc, ~lbc, ("lbc", "nlbc"), "lbc_vs_nlbc", "t5")
    gender = data["gender"].astype(str)
    c2, t2 = _mean_table(data, lbc & (gender == "girl"), lbc & (gender == "boy"), ("girls", "boys"), "girls_vs_boys", "t5")
    return {
        "lbc_vs_nlbc": TableResult(pd.DataFrame(c1), pd.DataFrame(t1)),
        "gender_in_lbc": TableResult(pd.DataFrame(c2), pd.DataFrame(t2)),
    }


def table6_coping_nssi_help(data: pd.DataFrame) -> dict[str, TableResult]:
    """Table 6: coping in LBC with vs without NSSI; among LBC with NSSI, with vs without professional help."""
    lbc = _lbc(data)
    nssi = pd.to_numeric(data["nssi"]) == 1
    c1, t1 = _mean_table(data, lbc & nssi, lbc & ~nssi, ("nssi", "no_nssi"), "nssi_vs_none", "t6")
    professional = pd.Series(pd.to_numeric(data["professional"], errors="coerce").fillna(-1).to_numpy() == 1, index=data.index)
    c2, t2 = _mean_table(data, lbc & nssi & professional, lbc & nssi & ~professional, ("professional", "not_professional"), "professional_vs_not", "t6")
    return {
        "nssi_in_lbc": TableResult(pd.DataFrame(c1), pd.DataFrame(t1)),
        "professional_in_lbc_nssi": TableResult(pd.DataFrame(c2), pd.DataFrame(t2)),
    }


# --------------------------------------------------------------------------- figures


def prevalence_figure(cells: pd.DataFrame, variables: tuple[str, ...] = ("gender", "stage", "residence", "boarder", "family")):
    """Dot plot of NSSI prevalence (95 % Wilson CI) by subgroup, LBC vs NLBC; returns ``(fig, alt)``."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, legend_above

    rows = cells[cells["variable"].isin(("all",) + tuple(variables))].reset_index(drop=True)
    labels = ["All pupils" if r.variable == "all" else f"{r.variable.replace('_', ' ')}: {r.level.replace('_', ' ')}" for r in rows.itertuples()]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.38 * len(rows) + 1.4))
    ypos = np.arange(len(rows))[::-1]
    for group, colour, shift, marker in (("lbc", OKABE_ITO["vermillion"], 0.15, "o"), ("nlbc", OKABE_ITO["blue"], -0.15, "s")):
        ax.hlines(ypos + shift, rows[f"{group}_ci_low"], rows[f"{group}_ci_high"], color=colour, linewidth=1.5)
        ax.scatter(rows[f"{group}_pct"], ypos + shift, color=colour, marker=marker, zorder=3, label=group.upper())
    ax.set_yticks(ypos, labels)
    ax.set_xlabel("Pupils reporting NSSI, % (95 % Wilson CI)")
    ax.set_xlim(left=0)
    legend_above(ax, ncol=2)
    fig.tight_layout()
    overall = rows.iloc[0]
    higher = rows.iloc[1:].sort_values("lbc_pct", ascending=False).head(3)
    alt = (
        f"Dot plot of NSSI prevalence by subgroup in the synthetic cohort. Overall {overall.lbc_pct:.1f} % of left-behind "
        f"children (95% CI {overall.lbc_ci_low:.1f} to {overall.lbc_ci_high:.1f}) against {overall.nlbc_pct:.1f} % of other "
        f"pupils ({overall.nlbc_ci_low:.1f} to {overall.nlbc_ci_high:.1f}). Highest among left-behind children: "
        + "; ".join(f"{lab} {r.lbc_pct:.1f} %" for lab, r in zip([labels[i] for i in higher.index], higher.itertuples()))
        + "."
    )
    return fig, alt


def coping_effects_figure(effects: dict[str, pd.DataFrame]):
    """Cohen's d of each coping score for several comparisons (label -> Table 5/6 cells); returns ``(fig, alt)``."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, PALETTE, legend_above

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 4.6))
    ypos = np.arange(len(COPING_SCORES))[::-1]
    width = 0.8 / len(effects)
    parts = []
    for i, (label, cells) in enumerate(effects.items()):
        d = cells.set_index("score").loc[COPING_SCORES, "cohens_d"]
        ax.barh(ypos + 0.4 - width * (i + 0.5), d, height=width, color=PALETTE[i], label=label)
        top = d.abs().idxmax()
        parts.append(f"{label}: largest difference in {top.replace('_', ' ')} (d = {d[top]:.2f})")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(ypos, [s.replace("_", " ") for s in COPING_SCORES])
    ax.set_xlabel("Cohen's d (first group minus second)")
    legend_above(ax)
    fig.tight_layout()
    alt = "Bar chart of standardised differences in coping scores in the synthetic cohort. " + "; ".join(parts) + "."
    return fig, alt

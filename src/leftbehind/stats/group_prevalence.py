"""Prevalence of a binary outcome in a group and in everyone else, and how the two groups compare.

Intervals come from statsmodels' ``proportion_confint`` (via
:func:`leftbehind.stats.prevalence.prevalence_interval`): Wilson score and
Clopper–Pearson ("exact").  Group comparisons reuse the book's tests
(:func:`leftbehind.stats.comparisons.compare_counts`: Pearson chi-square, Fisher's exact
test for a sparse 2×2 table; :func:`leftbehind.stats.comparisons.compare_means`: Welch's t
and Cohen's d).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leftbehind.stats.prevalence import prevalence_interval
from leftbehind.spec.study import StudySpec
from leftbehind.stats.comparisons import compare_counts, compare_means


def level_order(values) -> list[str]:
    """Levels sorted as numbers when they all are numbers, else as text."""
    levels = sorted({str(v) for v in values})
    try:
        return sorted(levels, key=float)
    except ValueError:
        return levels


def prevalence_row(events: int, n: int) -> dict:
    """``n``, ``events``, ``pct`` and 95 % Wilson (``ci_low``, ``ci_high``) and exact limits, in percent."""
    wilson = prevalence_interval(events, n, "wilson")
    exact = prevalence_interval(events, n, "beta")
    return {"n": int(n), "events": int(events), "pct": 100 * events / n,
            "ci_low": 100 * wilson[0], "ci_high": 100 * wilson[1],
            "exact_ci_low": 100 * exact[0], "exact_ci_high": 100 * exact[1]}


def prevalence_by_group(data: pd.DataFrame, spec: StudySpec) -> dict:
    """``{label: row, rest_label: row}`` for the spec's outcome (see :func:`prevalence_row`).

    A group with no rows gets ``None``.
    """
    out = {}
    for name, mask in ((spec.label, data["_in_group"]), (spec.rest_label, ~data["_in_group"])):
        y = data.loc[mask, spec.outcome]
        out[name] = prevalence_row(int(y.sum()), len(y)) if len(y) else None
    return out


def prevalence_test(data: pd.DataFrame, spec: StudySpec) -> dict:
    """Does the outcome differ between the group and the rest?  (chi-square, or Fisher when sparse)."""
    counts = [[int(data.loc[m, spec.outcome].sum()), int((data.loc[m, spec.outcome] == 0).sum())]
              for m in (data["_in_group"], ~data["_in_group"])]
    return compare_counts(np.array(counts))


def prevalence_table(prevalence: dict, spec: StudySpec) -> pd.DataFrame:
    """One row per group, for a CSV or a notebook (percent, 95 % Wilson and exact limits)."""
    rows = []
    for name in (spec.label, spec.rest_label):
        row = prevalence[name]
        if row is not None:
            rows.append({"group": name, **row})
    table = pd.DataFrame(rows)
    for column in (f"{spec.label} n", f"{spec.rest_label} n"):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table


def compare_groups(data: pd.DataFrame, spec: StudySpec) -> pd.DataFrame:
    """Each candidate predictor in the group vs everyone else.

    Categorical: counts and column percentages per level, with one chi-square
    (or Fisher) test per variable.  Continuous: means and SDs, Welch's t and
    Cohen's d (group minus rest).  The group's own column, if it is also a
    candidate, is left out.
    """
    group = data["_in_group"]
    rows = []
    for c in spec.categorical:
        if c.name == spec.group:
            continue  # the column that defines the groups: nothing to compare
        levels = level_order(data[c.name])
        table = np.array([[int(((data[c.name] == lv) & group).sum()), int(((data[c.name] == lv) & ~group).sum())]
                          for lv in levels])
        test = compare_counts(table.T)
        for lv, (a, b) in zip(levels, table):
            rows.append({
                "variable": c.name, "label": spec.label_of(c.name), "level": lv,
                f"{spec.label} n": a, f"{spec.label} %": 100 * a / max(group.sum(), 1),
                f"{spec.rest_label} n": b, f"{spec.rest_label} %": 100 * b / max((~group).sum(), 1),
                "test": test["test"], "statistic": test["statistic"], "p": test["p"], "cohens_d": np.nan,
            })
    for name in spec.continuous:
        a, b = data.loc[group, name], data.loc[~group, name]
        if len(a) >= 2 and len(b) >= 2:
            test = compare_means(a, b)
        else:
            test = {"test": "not testable", "statistic": np.nan, "p": np.nan, "cohens_d": np.nan}
        rows.append({
            "variable": name, "label": spec.label_of(name), "level": "mean (SD)",
            f"{spec.label} mean": a.mean(), f"{spec.label} sd": a.std(),
            f"{spec.rest_label} mean": b.mean(), f"{spec.rest_label} sd": b.std(),
            "test": test["test"], "statistic": test["statistic"], "p": test["p"], "cohens_d": test["cohens_d"],
        })
    table = pd.DataFrame(rows)
    for column in (f"{spec.label} n", f"{spec.rest_label} n"):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table

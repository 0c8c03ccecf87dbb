"""Backward LR elimination for any study spec, and its coefficient table.

The design is built from the spec: each categorical candidate is dummy coded
against its reference level (columns ``Variable[level]``), each continuous one
enters as it is (column ``Variable``).  The elimination itself is the book's
:func:`leftbehind.stats.stepwise.backward_lr` (LR test, ``p_remove`` 0.10 by default,
a categorical variable leaves as one block).

Before fitting, the rows are checked for what makes a logistic model impossible
to estimate: an outcome that never varies, a reference level that does not
occur, a predictor that never varies, a level with no events or no non-events
(separation) and collinear predictors (rank deficiency).  Each gives a result
with ``estimable = False`` and a ``reason`` that names the variable and says
what to do; the fit is never attempted and nothing raises.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from leftbehind.spec.study import StudySpec
from leftbehind.stats.group_prevalence import level_order
from leftbehind.stats.stepwise import backward_lr

#: A log-odds standard error above this marks a (quasi-)separated term (as in :mod:`leftbehind.paper.models`).
SEPARATION_SE = 10.0


class NotEstimable(Exception):
    """Raised inside this module only; turned into ``estimable = False`` with the reason."""

    def __init__(self, reason: str, variable: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.variable = variable


def modelled_rows(data: pd.DataFrame, spec: StudySpec) -> pd.DataFrame:
    """The rows the model uses: everyone, or only the group (``model_within: group``)."""
    return data[data["_in_group"]] if spec.model_within == "group" else data


def build_design(rows: pd.DataFrame, spec: StudySpec) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Dummy-coded design (no constant) and the candidate -> design columns blocks; raises NotEstimable."""
    n = len(rows)
    columns: dict[str, pd.Series] = {}
    blocks: dict[str, list[str]] = {}
    for c in spec.categorical:
        levels = level_order(rows[c.name])
        if c.reference not in levels:
            raise NotEstimable(
                f"{c.name}: the reference level {c.reference} does not occur among the {n:,} modelled rows "
                f"(levels present: {', '.join(levels)}); set categorical.{c.name} to one of these levels", c.name)
        if len(levels) < 2:
            raise NotEstimable(f"{c.name} never varies among the {n:,} modelled rows (all {levels[0]}); "
                               f"drop it from the spec's candidates", c.name)
        blocks[c.name] = []
        for level in levels:
            if level != c.reference:
                key = f"{c.name}[{level}]"
                columns[key] = (rows[c.name] == level).astype(float)
                blocks[c.name].append(key)
    for name in spec.continuous:
        values = rows[name].astype(float)
        if values.nunique() < 2:
            raise NotEstimable(f"{name} never varies among the {n:,} modelled rows (all {values.iloc[0]:g}); "
                               f"drop it from the spec's candidates", name)
        columns[name] = values
        blocks[name] = [name]
    return pd.DataFrame(columns, index=rows.index), blocks


def check_separation(rows: pd.DataFrame, y: pd.Series, spec: StudySpec) -> None:
    """A categorical level in which every row, or no row, has the event separates the outcome."""
    for c in spec.categorical:
        for level in level_order(rows[c.name]):
            in_level = rows[c.name] == level
            events, total = int(y[in_level].sum()), int(in_level.sum())
            if events in (0, total):
                which = "no events" if events == 0 else "only events"
                raise NotEstimable(
                    f"{c.name}[{level}] has {which} ({events} of {total} rows): the odds ratio is infinite "
                    f"(separation); merge this level with a neighbouring one in your data or drop {c.name} "
                    f"from the spec's candidates", c.name)


def check_rank(design: pd.DataFrame, blocks: dict[str, list[str]]) -> None:
    """Name the first candidate whose columns add nothing new to the ones before it (collinearity)."""
    x = np.ones((len(design), 1))
    for name, cols in blocks.items():
        wider = np.column_stack([x, design[cols].to_numpy(dtype=float)])
        if np.linalg.matrix_rank(wider) < wider.shape[1]:
            earlier = list(blocks)[: list(blocks).index(name)]
            raise NotEstimable(
                f"{name} is collinear with {'the constant' if not earlier else ', '.join(earlier) + ' and the constant'} "
                f"among the modelled rows (rank deficiency: one of its levels is determined by the others); "
                f"drop {name} or the variable it duplicates from the spec's candidates", name)
        x = wider


def coefficient_terms(fit, columns: list[str]) -> dict[str, dict]:
    """``{term: {b, se, p, or, ci_low, ci_high}}`` from a statsmodels fit (Wald 95 % CI, constant left out)."""
    params = np.asarray(fit.params)
    bse = np.asarray(fit.bse)
    pvalues = np.asarray(fit.pvalues)
    ci = np.asarray(fit.conf_int(alpha=0.05))
    terms = {}
    for i, name in enumerate(columns):
        if name == "const":
            continue
        terms[name] = {"b": float(params[i]), "se": float(bse[i]), "p": float(pvalues[i]),
                       "or": float(np.exp(params[i])), "ci_low": float(np.exp(ci[i, 0])),
                       "ci_high": float(np.exp(ci[i, 1]))}
    return terms


def fit_backward_spec(data: pd.DataFrame, spec: StudySpec) -> dict:
    """Backward elimination of the spec's candidates among :func:`modelled_rows`.

    Returns ``estimable``, ``reason`` and ``variable`` (when not estimable),
    ``within``, ``n``, ``events``, ``candidates``, ``retained``, ``terms`` (see
    :func:`coefficient_terms`), ``steps`` and ``notes`` (numerical warnings in words).
    """
    rows = modelled_rows(data, spec)
    y = rows[spec.outcome].astype(int)
    out = {"within": spec.model_within, "n": int(len(rows)), "events": int(y.sum()),
           "p_remove": spec.p_remove, "candidates": spec.candidates, "estimable": False, "reason": "",
           "variable": None, "retained": [], "terms": {}, "steps": [], "notes": []}
    try:
        if len(rows) == 0:
            raise NotEstimable(f"no rows to model (model_within: {spec.model_within})")
        if y.nunique() < 2:
            raise NotEstimable(f"the outcome {spec.outcome} never varies among the {len(rows):,} modelled rows "
                               f"({'all' if y.iloc[0] else 'none'} have the event {spec.event})", spec.outcome)
        design, blocks = build_design(rows, spec)
        check_separation(rows, y, spec)
        check_rank(design, blocks)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = backward_lr(design, y.to_numpy(), blocks, p_remove=spec.p_remove)
            except (RuntimeError, ValueError, np.linalg.LinAlgError) as err:
                raise NotEstimable(f"the logistic fit failed ({err}); the candidates may separate the outcome: "
                                   f"drop or regroup predictors with few rows") from None
        terms = coefficient_terms(result.fit, result.columns)
        huge = [t for t, v in terms.items() if not np.isfinite(v["se"]) or v["se"] > SEPARATION_SE]
        if huge:
            raise NotEstimable(f"{', '.join(huge)}: the estimate runs off to infinity (separation: the predictor "
                               f"almost perfectly splits events from non-events); drop or regroup "
                               f"{huge[0].split('[')[0]}", huge[0].split("[")[0])
    except NotEstimable as err:
        out.update(reason=err.reason, variable=err.variable)
        return out
    if result.not_converged:
        out["notes"].append(f"fits at step(s) {', '.join(map(str, result.not_converged))} did not converge "
                            f"(a variable nearly separated the outcome at that step)")
    if caught:
        kinds = sorted({type(w.message).__name__ for w in caught} - {"DeprecationWarning"})
        if kinds:
            out["notes"].append(f"the numerical library warned while fitting ({', '.join(kinds)}); "
                                f"check the standard errors before reading the odds ratios")
    out.update(estimable=True, retained=list(result.retained), terms=terms,
               steps=[s.as_dict() for s in result.steps])
    return out


def terms_table(model: dict, spec: StudySpec) -> pd.DataFrame:
    """The final model as a table: term, label, B, SE, p, OR and its Wald 95 % CI."""
    rows = [{"term": key, "label": spec.label_of(key), **values} for key, values in model["terms"].items()]
    return pd.DataFrame(rows, columns=["term", "label", "b", "se", "p", "or", "ci_low", "ci_high"])


def steps_table(model: dict) -> pd.DataFrame:
    """Every LR test of every elimination step (one row per step and variable)."""
    rows = [{"step": s["step"], "variable": name, "minus_2ll": s["minus_2ll"], "lr_chi2": t["lr"],
             "df": int(t["df"]), "p": t["p"], "removed": name == s["removed"]}
            for s in model["steps"] for name, t in s["tests"].items()]
    return pd.DataFrame(rows, columns=["step", "variable", "minus_2ll", "lr_chi2", "df", "p", "removed"])

"""The release version of a spec-driven analysis: the same tables with small cells suppressed.

Every count the tables publish is entered in one :class:`~leftbehind.release.ledger.Ledger`
(group sizes, events and non-events per group, each categorical predictor's levels per
group and overall, the flow of exclusions), so a count printed in two tables is hidden in
both.  Then:

* a count below the threshold shows as ``<t``; one hidden to protect another shows as ``x``;
* a percentage or interval built on a hidden count, a mean or SD of a group whose size is
  hidden, and a test on a table with a hidden cell show as ``x`` (with the totals known, a
  test statistic or odds ratio of a small table can be solved back for its cells);
* a model term whose level, or whose reference level, has fewer than ``t`` rows with or
  without the outcome among the modelled rows is suppressed (``x``), with the reason;
* the flow of exclusions is published as counted, without its per-column detail: it counts
  questionnaires left out for a blank or invalid answer, which says nothing about anyone's
  answers (the disclosure report asks the user to check by hand any exclusion rule defined
  by a sensitive answer).  Hiding a zero there would hide the number analysed as well.

Nothing here writes files; :mod:`leftbehind.release.folders` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from leftbehind.release.ledger import Ledger, _text
from leftbehind.release.suppression import COMPLEMENTARY, Protection, marker

HIDDEN = COMPLEMENTARY


@dataclass
class Release:
    """Release tables (name -> DataFrame), the release summary, the release model and what was suppressed."""

    threshold: int
    tables: dict[str, pd.DataFrame]
    summary: dict
    model: dict
    suppressed: dict[str, int] = field(default_factory=dict)  # table -> cells shown as <t or x
    notes: list[str] = field(default_factory=list)


def _count_cells(table: pd.DataFrame, threshold: int) -> int:
    return int(table.isin([marker(threshold), HIDDEN]).sum().sum())


def small_cell_terms(data: pd.DataFrame, spec, model: dict, threshold: int) -> dict[str, str]:
    """Categorical model terms ``Variable[level]`` estimated from a small cell: term -> reason."""
    from leftbehind.stats.backward import modelled_rows

    rows = modelled_rows(data, spec)
    out = {}
    references = {c.name: c.reference for c in spec.categorical}
    for term in model.get("terms", {}):
        if "[" not in term:
            continue
        variable, level = term[:-1].split("[", 1)
        for which in (level, references.get(variable)):
            if which is None:
                continue
            at_level = rows.loc[rows[variable].map(_text) == which, spec.outcome]
            events, others = int(at_level.sum()), int((at_level == 0).sum())
            if min(events, others) < threshold:
                side = "with" if events < threshold else "without"
                out[term] = (f"{variable} = {which} has fewer than {threshold} modelled rows {side} "
                             f"{spec.outcome} = {spec.event}")
                break
    return out


def release_study(result, threshold: int | None = None) -> Release:
    """The release version of a :class:`leftbehind.survey.study.StudyResult` (see the module docstring)."""
    spec = result.spec
    t = spec.disclosure_threshold if threshold is None else threshold
    data = result.prepared.data.copy()
    data["_group"] = data["_in_group"].map({True: spec.label, False: spec.rest_label})
    ledger = Ledger(data)
    everyone = ledger.count(total=True)
    groups = ledger.split(everyone, "_group", [spec.label, spec.rest_label])
    for key in groups.values():
        ledger.key(key, total=True)
    outcome = {name: ledger.split(key, spec.outcome, ["1", "0"]) for name, key in groups.items()}
    overall = ledger.split(everyone, spec.outcome, ["1", "0"])
    for key in overall.values():
        ledger.key(key, total=True)
    for level in ("1", "0"):
        ledger.link(overall[level], [outcome[g][level] for g in groups])
    levels = {}
    for c in spec.categorical:
        if c.name == spec.group:
            continue
        by_level = ledger.split(everyone, c.name)
        levels[c.name] = {g: ledger.split(key, c.name, list(by_level)) for g, key in groups.items()}
        for level, key in by_level.items():
            ledger.link(key, [levels[c.name][g][level] for g in groups])
    flow = result.prepared.flow
    protection = ledger.protect(t)
    show = protection.show

    def hidden(*keys) -> bool:
        return any(protection.is_hidden(k) for k in keys)

    # prevalence
    rows = []
    for name, key in groups.items():
        ev, non = outcome[name]["1"], outcome[name]["0"]
        row = result.prevalence.get(name)
        if row is None:
            continue
        masked = hidden(key, ev, non)
        rows.append({"group": name, "n": show(key), "events": show(ev),
                     **{k: (HIDDEN if masked else row[k])
                        for k in ("pct", "ci_low", "ci_high", "exact_ci_low", "exact_ci_high")},
                     "data_tier": spec.tier})
    prevalence = pd.DataFrame(rows)
    cells = [outcome[g][v] for g in groups for v in ("1", "0")]
    test = dict(result.test)
    if hidden(*cells):
        test = {k: (HIDDEN if k in ("statistic", "p", "df") else v) for k, v in test.items()}
        test["note"] = "suppressed: the table has a small cell"

    # comparison
    comparison = result.comparison.copy().astype(object)
    for i, r in comparison.iterrows():
        if r["level"] == "mean (SD)":
            for g, key in groups.items():
                if hidden(key):
                    for col in (f"{g} mean", f"{g} sd"):
                        comparison.at[i, col] = HIDDEN
            if hidden(*groups.values()):
                for col in ("statistic", "p", "cohens_d"):
                    comparison.at[i, col] = HIDDEN
            continue
        block = levels[r["variable"]]
        for g, key in groups.items():
            cell = block[g][str(r["level"])]
            comparison.at[i, f"{g} n"] = show(cell)
            if hidden(cell, key):
                comparison.at[i, f"{g} %"] = HIDDEN
        if hidden(*(k for g in groups for k in block[g].values())):
            for col in ("statistic", "p"):
                comparison.at[i, col] = HIDDEN
    comparison["data_tier"] = spec.tier

    # model
    small = small_cell_terms(result.prepared.data, spec, result.model, t) if result.model.get("estimable") else {}
    terms = result.terms_table().astype(object)
    if len(terms):
        terms["disclosure"] = ""
        term_column = "term" if "term" in terms.columns else terms.columns[0]
        for i, r in terms.iterrows():
            reason = small.get(r[term_column])
            if reason:
                for col in terms.columns:
                    if col not in (term_column, "label", "name", "variable", "data_tier", "disclosure"):
                        terms.at[i, col] = HIDDEN
                terms.at[i, "disclosure"] = f"suppressed: {reason}"
    model = dict(result.model)
    model["terms"] = {k: v for k, v in result.model.get("terms", {}).items() if k not in small}
    if small:
        model["suppressed_terms"] = small
        if not model["terms"]:
            model["reason"] = "every odds ratio was estimated from a small cell and is suppressed in the release"
    model_n = everyone if spec.model_within == "all" else groups[spec.label]
    model_events = overall["1"] if spec.model_within == "all" else outcome[spec.label]["1"]
    model["n"], model["events"] = show(model_n), show(model_events)

    flow_table = pd.DataFrame([{"step": e["step"], "excluded": e["excluded"], "remaining": e["remaining"],
                                "data_tier": spec.tier} for e in flow])
    scales = result.prepared.alpha.copy().astype(object)
    if "n" in scales:
        for i, r in scales.iterrows():
            if int(r["n"]) < t:
                scales.at[i, "n"] = marker(t)
                scales.at[i, "alpha"] = HIDDEN
    scales["data_tier"] = spec.tier

    tables = {"prevalence.csv": prevalence, "comparison.csv": comparison, "model_terms.csv": terms,
              "model_steps.csv": result.steps_table(), "scales.csv": scales, "flow.csv": flow_table}
    summary = {
        "spec": str(spec.path), "tier": spec.tier, "tier_text": spec.tier_text,
        "n_read": result.prepared.n_read, "n_analysed": show(everyone),
        "flow": flow_table.drop(columns="data_tier").to_dict(orient="records"),
        "outcome": {"column": spec.outcome, "event": spec.event},
        "group": {"column": spec.group, "value": spec.group_value, "label": spec.label, "rest_label": spec.rest_label},
        "prevalence": {r["group"]: {k: v for k, v in r.items() if k not in ("group", "data_tier")}
                       for r in prevalence.to_dict(orient="records")},
        "prevalence_test": test,
        "model": {k: model[k] for k in ("within", "n", "events", "estimable", "reason", "variable", "retained", "terms",
                                        "suppressed_terms") if k in model},
    }
    suppressed = {name: _count_cells(table, t) for name, table in tables.items()}
    notes = []
    if small:
        notes.append(f"{len(small)} model term(s) suppressed (estimated from a small cell): {', '.join(small)}")
    return Release(t, tables, summary, model, {k: v for k, v in suppressed.items() if v}, notes)


def _shown(value, decimals: int | None = None) -> str:
    if isinstance(value, str):
        return value
    return f"{int(value):,}" if decimals is None else f"{value:.{decimals}f}"


def comparison_view(release: Release, spec) -> pd.DataFrame:
    """The release comparison for reading: "n (%)" per level and group, or the marker; the test's p."""
    from leftbehind.presentation.tables import format_p

    table = release.tables["comparison.csv"]
    rows = []
    for _, r in table[table["level"] != "mean (SD)"].iterrows():
        cells = []
        for g in (spec.label, spec.rest_label):
            n, pct = r[f"{g} n"], r[f"{g} %"]
            cells.append(_shown(n) if isinstance(pct, str) else f"{_shown(n)} ({pct:.1f} %)")
        rows.append({"variable": r["label"], "level": r["level"], spec.label: cells[0], spec.rest_label: cells[1],
                     "p": r["p"] if isinstance(r["p"], str) else format_p(r["p"])})
    return pd.DataFrame(rows)


def release_facts(release: Release) -> dict:
    """What a page says about one release: the threshold, how many cells were suppressed, and where (as words)."""
    total = int(sum(release.suppressed.values()))
    where = ", ".join(f"{n:,} in {name}" for name, n in release.suppressed.items())
    return {
        "threshold": release.threshold,
        "n_suppressed": total,
        "suppressed_text": ("no cell had to be suppressed" if total == 0 else
                            f"{total:,} cell{'s were' if total != 1 else ' was'} suppressed ({where})"),
        "n_terms_suppressed": len(release.model.get("suppressed_terms", {})),
    }

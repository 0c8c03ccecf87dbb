"""The release version of the Yingshan tables (``analyse RAW`` on real data): small cells suppressed.

Every count Tables 1-4 and the care cascade publish goes into one
:class:`~leftbehind.release.ledger.Ledger` over the analysis dataset, keyed by what it
counts (left-behind girls; left-behind girls with NSSI; …), with the sums a reader
can subtract (levels of a variable add up to their group; NSSI and no NSSI add up to
a level; help-seeking categories add up to the children with NSSI).  The same count in
two tables is therefore hidden in both.  Then, as in :mod:`leftbehind.release.study`:

* counts below the threshold show as ``<t``, counts hidden to protect them as ``x``;
* percentages and intervals on a hidden count, means of a group whose size is below
  the threshold, and tests on a variable with a hidden cell show as ``x``;
* Table 7/8 terms whose level or reference level has fewer than ``t`` children with
  or without the outcome among the modelled children are suppressed;
* the flow and exclusion counts are published as counted (they count questionnaires,
  not answers; see :mod:`leftbehind.release.folders`).
"""

from __future__ import annotations

import pandas as pd

from leftbehind.release.ledger import Ledger, _text
from leftbehind.release.suppression import COMPLEMENTARY as HIDDEN
from leftbehind.release.suppression import marker

GROUPS = {"lbc": True, "nlbc": False}
#: Model name -> (rows the model uses, outcome column, Table number).
MODEL_ROWS = {"nssi_lbc": ({"lbc": True}, "nssi", 7), "help_lbc_nssi": ({"lbc": True, "nssi": 1}, "professional", 8)}
#: Means tables: name -> (conditions of the two groups, their column prefixes).
MEANS = {
    "table5_gender_in_lbc": (({"lbc": True, "gender": "girl"}, "girls"), ({"lbc": True, "gender": "boy"}, "boys")),
    "table5_lbc_vs_nlbc": (({"lbc": True}, "lbc"), ({"lbc": False}, "nlbc")),
    "table6_nssi_in_lbc": (({"lbc": True, "nssi": 1}, "nssi"), ({"lbc": True, "nssi": 0}, "no_nssi")),
    "table6_professional_in_lbc_nssi": (({"lbc": True, "nssi": 1, "professional": 1}, "professional"),
                                        ({"lbc": True, "nssi": 1, "professional": 0}, "not_professional")),
}


def _levels(table: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for variable, level in zip(table["variable"], table["level"]):
        if variable != "all" and isinstance(level, str) and level != "mean (SD)" and pd.notna(level):
            out.setdefault(variable, []).append(str(level))
    return out


def _numeric_columns(table: pd.DataFrame, keep: tuple[str, ...]) -> list[str]:
    return [c for c in table.columns if c not in keep]


def small_cell_terms(analysis: pd.DataFrame, model_name: str, model: dict, threshold: int) -> dict[str, str]:
    """Terms ``variable[level]`` of a Yingshan model estimated from a small cell: term -> reason."""
    conditions, outcome, _ = MODEL_ROWS[model_name]
    rows = analysis
    for column, value in conditions.items():
        rows = rows[rows[column] == value]
    out = {}
    for term in model.get("terms", {}):
        if "[" not in term:
            continue
        variable, level = term[:-1].split("[", 1)
        present = [_text(v) for v in rows[variable].dropna().unique()]
        others = [lv for lv in present if lv != level]
        for which in [level] + others:  # the level, and every other level (the reference is among them)
            at = rows.loc[rows[variable].map(_text) == which, outcome]
            events, non = int((at == 1).sum()), int((at == 0).sum())
            if min(events, non) < threshold:
                out[term] = (f"{variable} = {which} has fewer than {threshold} modelled children "
                             f"{'with' if events < threshold else 'without'} {outcome}")
                break
    return out


def release_tables(analysis: pd.DataFrame, built: dict, threshold: int) -> dict:
    """Release versions of the tables in :func:`leftbehind.paper.report.build_tables`'s result.

    Returns ``{"tables": {file name: DataFrame}, "models": {name: model without suppressed terms},
    "suppressed_terms": {name: {term: reason}}, "cascade_hidden": bool, "suppressed": {file: cells}}``.
    """
    cells = built["cells"]
    data = analysis.copy()
    ledger = Ledger(data)
    everyone = ledger.count(total=True)
    by_lbc = ledger.split(everyone, "lbc", ["True", "False"])
    group = {"lbc": by_lbc["True"], "nlbc": by_lbc["False"]}
    for key in group.values():
        ledger.key(key, total=True)
    levels = _levels(cells["table1"]) if "table1" in cells else {}
    for name in ("table2", "table4"):
        if name in cells:
            for variable, lv in _levels(cells[name]).items():
                levels.setdefault(variable, lv)
    for variable, lv in levels.items():
        overall = ledger.split(everyone, variable, lv)
        parts = {g: ledger.split(key, variable, lv) for g, key in group.items()}
        for level, key in overall.items():
            ledger.link(key, [parts[g][level] for g in group])
        for g, by_level in parts.items():
            for level, key in by_level.items():
                nssi = ledger.split(key, "nssi", ["1", "0"])
                ledger.split(nssi["1"], "professional", ["1", "0"])
    for g, key in group.items():
        nssi = ledger.split(key, "nssi", ["1", "0"])
        ledger.split(nssi["1"], "help_seeking", ["none", "refused", "self_help", "professional"])
        ledger.split(nssi["1"], "professional", ["1", "0"])
        for variable, lv in levels.items():
            ledger.split(nssi["1"], variable, lv)
            ledger.split(nssi["0"], variable, lv)
    lbc_nssi = ledger.count(lbc=True, nssi=1)
    any_help = ledger.add(("cascade", "any help"), int(((data["lbc"] == True) & (data["nssi"] == 1)  # noqa: E712
                                                         & data["help_seeking"].isin(["self_help", "professional"])).sum()))
    ledger.link(any_help, [ledger.count(lbc=True, nssi=1, help_seeking="self_help"),
                           ledger.count(lbc=True, nssi=1, help_seeking="professional")])
    protection = ledger.protect(threshold)
    show, hidden = protection.show, protection.is_hidden

    def key(**conditions):
        return ledger.count(**conditions)

    tables: dict[str, pd.DataFrame] = {}
    dirty_variables: dict[str, set] = {}
    if "table1" in cells:
        t1 = cells["table1"].copy().astype(object)
        for i, r in t1.iterrows():
            if r["level"] == "mean (SD)" or pd.isna(r.get("lbc_n")) or r["variable"] not in levels:
                for g, value in GROUPS.items():
                    if hidden(group[g]):
                        for col in (f"{g}_mean", f"{g}_sd"):
                            if col in t1:
                                t1.at[i, col] = HIDDEN
                continue
            for g, value in GROUPS.items():
                k = key(lbc=value, **{r["variable"]: r["level"]})
                t1.at[i, f"{g}_n"] = show(k)
                if hidden(k):
                    t1.at[i, f"{g}_pct"] = HIDDEN
                    dirty_variables.setdefault("table1", set()).add(r["variable"])
        tables["table1.csv"] = t1
    for name, extra in (("table2", {}), ("table4", {"nssi": 1})):
        if name not in cells:
            continue
        outcome = "nssi" if name == "table2" else "professional"
        table = cells[name].copy().astype(object)
        for i, r in table.iterrows():
            where = {} if r["variable"] == "all" else {r["variable"]: r["level"]}
            masked_row = False
            for g, value in GROUPS.items():
                n_key = key(lbc=value, **extra, **where)
                case_key = key(lbc=value, **extra, **where, **{outcome: 1})
                non_key = key(lbc=value, **extra, **where, **{outcome: 0})
                table.at[i, f"{g}_n"] = show(n_key)
                table.at[i, f"{g}_cases"] = show(case_key)
                if hidden(n_key) or hidden(case_key) or hidden(non_key):
                    masked_row = True
                    for col in (f"{g}_pct", f"{g}_ci_low", f"{g}_ci_high"):
                        table.at[i, col] = HIDDEN
            if masked_row:
                for col in ("p",):
                    table.at[i, col] = HIDDEN
                dirty_variables.setdefault(name, set()).add(r["variable"])
        tables[f"{name}.csv"] = table
    if "table3" in cells:
        t3 = cells["table3"].copy().astype(object)
        for i, r in t3.iterrows():
            for g, value in GROUPS.items():
                k = key(lbc=value, nssi=1, help_seeking=r["help_seeking"])
                t3.at[i, f"{g}_n"] = show(k)
                if hidden(k) or hidden(key(lbc=value, nssi=1)):
                    for col in (f"{g}_pct", f"{g}_ci_low", f"{g}_ci_high"):
                        t3.at[i, col] = HIDDEN
                    dirty_variables.setdefault("table3", set()).add("help_seeking")
        tables["table3.csv"] = t3
    for name, ((cond_a, a), (cond_b, b)) in MEANS.items():
        if name not in cells:
            continue
        table = cells[name].copy().astype(object)
        small = [hidden(key(**cond)) for cond in (cond_a, cond_b)]
        for prefix, is_small, cond in ((a, small[0], cond_a), (b, small[1], cond_b)):
            table[f"{prefix}_n"] = show(key(**cond))
            if is_small:
                table[[f"{prefix}_mean", f"{prefix}_sd"]] = HIDDEN
        if any(small):
            table[["t", "df", "p", "cohens_d"]] = HIDDEN
            dirty_variables.setdefault(name, set()).add("all")  # its own tests only
        tables[f"{name}.csv"] = table
    cascade_hidden = False
    if built.get("cascade") is not None:
        cascade = built["cascade"].copy().astype(object)
        keys = [group["lbc"], lbc_nssi, any_help, key(lbc=True, nssi=1, help_seeking="professional")]
        for i, k in zip(cascade.index, keys):
            cascade.at[i, "n"] = show(k)
            if hidden(k):
                cascade_hidden = True
                cascade.loc[i, ["pct_of_previous", "ci_low", "ci_high"]] = HIDDEN
                if i + 1 in cascade.index:
                    cascade.loc[i + 1, ["pct_of_previous", "ci_low", "ci_high"]] = HIDDEN
        tables["care_cascade.csv"] = cascade

    suppressed_terms, models = {}, {}
    for name, model in built["models"].items():
        number = MODEL_ROWS[name][2]
        small = small_cell_terms(analysis, name, model, threshold)
        suppressed_terms[name] = small
        models[name] = {**model, "terms": {k: v for k, v in model["terms"].items() if k not in small}}
        if f"table{number}_terms" in cells:
            terms = cells[f"table{number}_terms"].copy().astype(object)
            terms["disclosure"] = ""
            for term in terms.index:
                if term in small:
                    terms.loc[term, _numeric_columns(terms, ("name", "disclosure"))] = HIDDEN
                    terms.loc[term, "disclosure"] = f"suppressed: {small[term]}"
            tables[f"table{number}_terms.csv"] = terms
        if f"table{number}_steps" in cells:
            tables[f"table{number}_steps.csv"] = cells[f"table{number}_steps"]
    for name, tests in built["tests"].items():
        table = tests.copy().astype(object)
        number = name.replace("table", "")
        numeric = [c for c in ("difference", "statistic", "df", "p", "odds_ratio", "or_ci_low", "or_ci_high", "or",
                               "ci_low", "ci_high", "cohens_d") if c in table]
        dirty = set()
        for table_name, variables in dirty_variables.items():
            if table_name == name:
                dirty |= variables
        for i, r in table.iterrows():
            comparison = str(r.get("comparison", ""))
            if name in ("table7", "table8"):
                model_name = "nssi_lbc" if name == "table7" else "help_lbc_nssi"
                term = comparison.split(":", 1)[-1]
                if term in suppressed_terms.get(model_name, {}):
                    table.loc[i, numeric] = HIDDEN
                continue
            tokens = set(comparison.replace("=", ":").split(":"))
            if dirty and ("all" in dirty or tokens & dirty or "overall" in tokens or len(tokens & set(levels)) == 0):
                table.loc[i, numeric] = HIDDEN
        tables[f"{name}_tests.csv"] = table
    suppressed = {f: int(t.isin([marker(threshold), HIDDEN]).sum().sum()) for f, t in tables.items()}
    return {"tables": tables, "models": models, "suppressed_terms": {k: v for k, v in suppressed_terms.items() if v},
            "cascade_hidden": cascade_hidden, "suppressed": {k: v for k, v in suppressed.items() if v}}

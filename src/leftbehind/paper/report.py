"""Write every table (CSV) and figure (PNG) of the analysis, and the models' JSON.

:func:`write_analysis_outputs` is the hook the ``analyse`` command calls after
the survey pipeline: it takes the analysis dataset and an output folder, and
returns a JSON-able dict (``models``, ``tables``, ``figures``, ``agreement``)
that the command merges into its JSON report.  :func:`build_tables` is the
in-memory version the book's chapters use, so the pages and the command line
show the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leftbehind.paper import models
from leftbehind.paper import tables
from leftbehind.core.errors import UserError
from leftbehind.stats.estimable import NotEstimable, collect_warnings, not_estimable_record, warning_summary
from leftbehind.paper.claims import attach_claims, load_claims
from leftbehind.presentation.tables import format_p
from leftbehind.presentation.vocabulary import label, level_label
from leftbehind.yingshan.synthetic import DEFAULT_SEED

MODEL_TITLES = {
    "nssi_lbc": "Table 7: NSSI among left-behind children",
    "help_lbc_nssi": "Table 8: professional help among LBC with NSSI",
}


MODEL_OUTCOMES = {"nssi_lbc": "nssi", "help_lbc_nssi": "professional"}


def _attempt(name: str, compute, skipped: dict, caught_by: dict):
    """Run one table's computation; a failure on a valid file is recorded as "not computed", never raised."""
    with collect_warnings() as caught:
        try:
            return compute()
        except UserError:
            raise
        except NotEstimable:
            raise
        except Exception as err:  # a valid but unusual file (e.g. an empty group) must not lose the other tables
            skipped[name] = f"{type(err).__name__}: {err}"
            return None
        finally:
            caught_by[name] = warning_summary(caught)


def build_tables(analysis: pd.DataFrame, options: models.ModelOptions | None = None) -> dict:
    """Compute Tables 1-8 and the care cascade; comparisons carry the paper's claims.

    Returns ``{"cells": {name: DataFrame}, "tests": {name: DataFrame},
    "models": {"nssi_lbc": record, "help_lbc_nssi": record}, "cascade": DataFrame,
    "not_estimable": {model: [Problem]}, "not_computed": {table: reason}, "warnings": [plain text]}``.
    A model that cannot be estimated is absent from ``models`` and listed in ``not_estimable``
    (the other tables are still computed); ``options`` leaves variables out or merges categories.
    """
    claims = load_claims()
    skipped: dict[str, str] = {}
    caught: dict[str, list[str]] = {}
    results = {}
    for name, compute in (("table1", tables.table1_demographics), ("table2", tables.table2_nssi_prevalence),
                          ("table3", tables.table3_help_seeking), ("table4", tables.table4_professional_help)):
        result = _attempt(name, lambda compute=compute: compute(analysis), skipped, caught)
        if result is not None:
            results[name] = result
    for prefix, compute in (("table5", tables.table5_coping), ("table6", tables.table6_coping_nssi_help)):
        parts = _attempt(prefix, lambda compute=compute: compute(analysis), skipped, caught) or {}
        for key, result in parts.items():
            results[f"{prefix}_{key}"] = result
    cells = {name: r.cells for name, r in results.items()}
    tests = {name: attach_claims(r.tests, claims) for name, r in results.items()}
    fitted, not_estimable = {}, {}
    for name, prefix, fit in (("nssi_lbc", "t7", models.table7_nssi_lbc), ("help_lbc_nssi", "t8", models.table8_help_lbc_nssi)):
        try:
            fitted[name] = fit(analysis, options)
        except NotEstimable as err:
            not_estimable[name] = err
            continue
        caught[name] = fitted[name]["warnings"]
        number = prefix[1]
        cells[f"table{number}_terms"] = models.terms_table(fitted[name])
        cells[f"table{number}_steps"] = models.steps_table(fitted[name])
        tests[f"table{number}"] = attach_claims(models.model_comparisons(fitted[name], prefix), claims)
    cascade = _attempt("care_cascade", lambda: tables.care_cascade(analysis), skipped, caught)
    return {"cells": cells, "tests": tests, "models": fitted, "cascade": cascade, "not_estimable": not_estimable,
            "not_computed": skipped, "warnings": [f"{where}: {line}" for where, lines in caught.items() for line in lines]}


def agreement_summary(tests: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """Per table: how many comparisons agree / disagree with the paper's text."""
    summary = {}
    for name, table in tests.items():
        counts = table["agrees"].value_counts()
        summary[name] = {key: int(counts.get(key, 0)) for key in ("yes", "no", "no claim")}
    return summary


def not_estimable_lines(built: dict) -> list[str]:
    """Plain sentences for the terminal and the run log: each model not estimated (why, what to do),
    cautions on the models that were estimated, and tables that could not be computed."""
    lines = []
    for name, err in built["not_estimable"].items():
        lines.append(f"{MODEL_TITLES[name]}: not estimable from this file.")
        lines += [f"  - {p.sentence()}" for p in err.problems]
    for name, model in built["models"].items():
        lines += [f"{MODEL_TITLES[name]}: caution: {text}" for text in model.get("cautions", [])]
    for name, reason in built["not_computed"].items():
        lines.append(f"{name}: not computed ({reason}).")
    return lines


def write_analysis_outputs(analysis: pd.DataFrame, out_dir: Path, options: models.ModelOptions | None = None,
                           data: str = "synthetic cohort", keep_built: bool = False) -> dict:
    """Write every table (CSV) and figure (PNG) that can be computed into ``out_dir``; return the JSON additions.

    Models that cannot be estimated are listed, with the reason, the variable and what to do, in
    ``models_not_estimable.csv`` and under ``models`` in the returned dict (``"estimable": false``).
    ``data`` names the data (their tier) in the figures and alt text: "synthetic cohort" or "real survey data".
    With ``keep_built`` the computed tables come back under ``"_built"`` (for the release version of real data).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built = build_tables(analysis, options)
    written_tables = {}
    for kind in ("cells", "tests"):
        for name, table in built[kind].items():
            suffix = "" if kind == "cells" else "_tests"
            filename = f"{name}{suffix}.csv"
            table.to_csv(out_dir / filename, index=name.endswith("_terms"))
            written_tables[f"{name}{suffix}"] = filename
    if built["cascade"] is not None:
        built["cascade"].to_csv(out_dir / "care_cascade.csv", index=False)
        written_tables["care_cascade"] = "care_cascade.csv"
    if built["not_estimable"]:
        rows = [{"model": name, "table": MODEL_TITLES[name], **p.as_dict()}
                for name, err in built["not_estimable"].items() for p in err.problems]
        pd.DataFrame(rows).rename(columns={"remedy": "what_you_can_do"}).to_csv(out_dir / "models_not_estimable.csv", index=False)
        written_tables["models_not_estimable"] = "models_not_estimable.csv"

    import matplotlib.pyplot as plt  # here, not at the top: the what-if command draws nothing

    from leftbehind.plots.figures import apply_style

    apply_style()
    figures = {}
    for name, model in built["models"].items():
        fig, alt = models.forest_figure(model, MODEL_TITLES[name], data)
        filename = f"forest_{name}.png"
        fig.savefig(out_dir / filename, bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        figures[filename] = alt
    if built["cascade"] is not None:
        fig, alt = tables.cascade_figure(built["cascade"], data)
        fig.savefig(out_dir / "care_cascade.png", bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        figures["care_cascade.png"] = alt
    records = {name: models.json_record(m) for name, m in built["models"].items()}
    for name, err in built["not_estimable"].items():
        records[name] = not_estimable_record(MODEL_OUTCOMES[name], err.problems, err.n, err.events)
    out = {
        "models": {name: records[name] for name in MODEL_TITLES},
        "tables": written_tables,
        "figures": figures,
        "agreement": agreement_summary(built["tests"]),
        "not_computed": built["not_computed"],
        "warnings": built["warnings"],
        "_messages": not_estimable_lines(built),
    }
    if keep_built:
        out["_built"] = built
    return out


def claims_view(tests: pd.DataFrame, claimed_only: bool = False) -> pd.DataFrame:
    """A comparisons table for reading: our result beside what the paper says, and the verdict."""
    view = tests if not claimed_only else tests[tests["agrees"] != "no claim"]
    from leftbehind.presentation.tables import describe_comparison

    out = pd.DataFrame(
        {
            "comparison": view["comparison"].map(describe_comparison),
            "our difference": view["difference"].round(2),
            "direction defined as": view["contrast"] if "contrast" in view else "B (log odds)",
            "test": view["test"] if "test" in view else "Wald",
            "p (synthetic)": view["p"].map(format_p),
            "paper says": view["paper_says"],
            "paper prints": view["paper_significance"],
            "agrees?": view["agrees"],
        }
    )
    return out.reset_index(drop=True)


def counts_view(cells: pd.DataFrame) -> pd.DataFrame:
    """Table 1 as printed: n (%) for LBC and NLBC, one row per category."""
    rows = cells.dropna(subset=["lbc_n"])
    return pd.DataFrame(
        {
            "variable": rows["variable"].map(label),
            "category": rows["level"].map(level_label),
            "LBC n (%)": [f"{int(n):,} ({p:.1f})" for n, p in zip(rows["lbc_n"], rows["lbc_pct"])],
            "NLBC n (%)": [f"{int(n):,} ({p:.1f})" for n, p in zip(rows["nlbc_n"], rows["nlbc_pct"])],
        }
    ).reset_index(drop=True)


def prevalence_view(cells: pd.DataFrame, outcome: str = "NSSI") -> pd.DataFrame:
    """Table 2/4 as printed: cases/n, % and 95 % Wilson CI for LBC and NLBC, and the LBC-vs-NLBC p."""

    def fmt(k, n, pct, lo, hi):
        return f"{int(k):,}/{int(n):,}  {pct:.1f} ({lo:.1f}–{hi:.1f})" if n else "—"

    return pd.DataFrame(
        {
            "variable": cells["variable"].map(label),
            "category": cells["level"].map(level_label),
            f"LBC {outcome} % (95% CI)": [fmt(*r) for r in cells[["lbc_cases", "lbc_n", "lbc_pct", "lbc_ci_low", "lbc_ci_high"]].to_numpy()],
            f"NLBC {outcome} % (95% CI)": [fmt(*r) for r in cells[["nlbc_cases", "nlbc_n", "nlbc_pct", "nlbc_ci_low", "nlbc_ci_high"]].to_numpy()],
            "test": cells["test"],
            "p (LBC vs NLBC)": cells["p"].map(format_p),
        }
    ).reset_index(drop=True)


#: the groups Tables 5 and 6 compare, as a column header names them
MEANS_GROUPS = {"lbc": "LBC", "nlbc": "NLBC", "girls": "Girls", "boys": "Boys", "nssi": "With NSSI",
                "no_nssi": "Without NSSI", "professional": "Professional help", "not_professional": "No professional help"}


def means_view(cells: pd.DataFrame, groups: tuple[str, str]) -> pd.DataFrame:
    """Tables 5/6 as printed: mean ± SD per group, Welch t, p, Cohen's d."""
    a, b = groups
    return pd.DataFrame(
        {
            "coping score": cells["score"].map(label),
            f"{MEANS_GROUPS.get(a, a)}: mean ± SD": [f"{m:.2f} ± {s:.2f}" for m, s in zip(cells[f"{a}_mean"], cells[f"{a}_sd"])],
            f"{MEANS_GROUPS.get(b, b)}: mean ± SD": [f"{m:.2f} ± {s:.2f}" for m, s in zip(cells[f"{b}_mean"], cells[f"{b}_sd"])],
            "Welch t": cells["t"].round(2),
            "p": cells["p"].map(format_p),
            "Cohen's d": cells["cohens_d"].round(2),
        }
    )


def terms_view(model: dict) -> pd.DataFrame:
    """Table 7/8 final model as SPSS prints it: B, S.E., Wald, p, Exp(B), 95 % CI."""
    table = models.terms_table(model)
    return pd.DataFrame(
        {
            "term": table["name"],
            "B": table["b"].astype(float).round(3),
            "S.E.": table["se"].astype(float).round(3),
            "Wald": table["wald"].astype(float).round(2),
            "p": table["p"].astype(float).map(format_p),
            "OR": table["or"].astype(float).round(2),
            "95% CI": [f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(table["ci_low"].astype(float), table["ci_high"].astype(float))],
        }
    ).reset_index(drop=True)


def steps_view(model: dict) -> pd.DataFrame:
    """Every elimination step, wide: one row per step, the LR p of each variable still in."""
    long = models.steps_table(model)
    wide = long.pivot(index="step", columns="variable", values="p")
    wide = wide[[v for v in models.CANDIDATES if v in wide.columns]]
    first = long.groupby("step").first()
    removed = long[long["removed"]].set_index("step")["variable"]
    out = wide.map(format_p)
    out.insert(0, "-2LL", first["minus_2ll_step"].round(2))
    out.insert(1, "removed", removed.reindex(out.index).map(lambda v: label(v) if isinstance(v, str) else "(stop)"))
    return out.fillna("")


def agreement_counts(tests: pd.DataFrame) -> dict[str, int]:
    """How many of a table's claimed comparisons agree, disagree, and how many are claimed at all."""
    claimed = tests[tests["agrees"] != "no claim"]
    return {"agree": int((claimed["agrees"] == "yes").sum()), "claimed": int(len(claimed)),
            "disagree": int((claimed["agrees"] == "no").sum())}


def disagreements(tests: pd.DataFrame) -> str:
    """The comparisons that disagree with the paper's text, as a readable list ("none" if all agree).

    In prose the paper's tables are "the paper's Table 2", so they are never read as the book's own numbered tables.
    """
    rows = tests[tests["agrees"] == "no"]
    if rows.empty:
        return "none"
    from leftbehind.presentation.tables import describe_comparison

    def described(comparison) -> str:
        text = describe_comparison(comparison)
        return "the paper's " + text if text.startswith("Table ") else text

    return "; ".join(f"{described(r.comparison)}, {p_text(r.p)}" for r in rows.itertuples())


def synthetic_analysis(seed: int = DEFAULT_SEED, overrides: dict[str, str] | None = None) -> pd.DataFrame:
    """The book's synthetic cohort, generated and run through the survey pipeline (analysis dataset).

    ``overrides`` replaces assumption-register values (see :func:`leftbehind.yingshan.synthetic.apply_overrides`).
    The result is cached on disk (:mod:`leftbehind.core.cache`), so the chapters that share the cohort build it once.
    """
    from leftbehind.core.cache import cached_pickle

    return cached_pickle("synthetic_analysis", [seed, overrides or {}], lambda: _run_synthetic(seed, overrides))


def _run_synthetic(seed: int, overrides: dict[str, str] | None) -> pd.DataFrame:
    import tempfile

    from leftbehind.yingshan.pipeline import run_pipeline
    from leftbehind.yingshan.synthetic import simulate_raw, write_raw

    raw = simulate_raw(seed=seed, overrides=overrides)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_raw(raw, Path(tmp) / "synthetic_raw.csv")
        return run_pipeline(path).analysis


def p_text(p: float) -> str:
    """A p-value for prose: ``p < 0.001`` or ``p = 0.034``."""
    shown = format_p(p)
    return f"p {shown}" if shown.startswith("<") else f"p = {shown}"

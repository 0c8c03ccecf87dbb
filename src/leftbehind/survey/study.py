"""One spec-driven analysis: prepared rows -> prevalence, comparison, model, forest plot.

:func:`analyse_study` is what ``python -m leftbehind analyse DATA --spec SPEC``
runs and what a notebook calls; it returns a :class:`StudyResult` holding the
tables, the figure and a JSON-able summary, and writes nothing.  Every output
carries the data tier the spec declares (real data are never called synthetic).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leftbehind.spec.study import StudySpec
from leftbehind.stats.backward import fit_backward_spec, steps_table, terms_table
from leftbehind.stats.group_prevalence import compare_groups, prevalence_by_group, prevalence_table, prevalence_test
from leftbehind.survey.prepare import Prepared, prepare, read_table


@dataclass
class StudyResult:
    """Everything one run computes (nothing written yet)."""

    spec: StudySpec
    prepared: Prepared
    prevalence: dict
    test: dict
    comparison: pd.DataFrame
    model: dict
    log: list[str]

    @property
    def tier(self) -> str:
        return self.spec.tier

    def prevalence_table(self) -> pd.DataFrame:
        return _with_tier(prevalence_table(self.prevalence, self.spec), self.spec)

    def comparison_table(self) -> pd.DataFrame:
        return _with_tier(self.comparison, self.spec)

    def terms_table(self) -> pd.DataFrame:
        return _with_tier(terms_table(self.model, self.spec), self.spec)

    def steps_table(self) -> pd.DataFrame:
        return _with_tier(steps_table(self.model), self.spec)

    def flow_table(self) -> pd.DataFrame:
        rows = [{"step": e["step"], "excluded": e["excluded"], "remaining": e["remaining"],
                 "detail": "; ".join(f"{k}: {v}" for k, v in e["detail"].items())} for e in self.prepared.flow]
        return _with_tier(pd.DataFrame(rows), self.spec)

    def forest(self):
        """``(fig, alt)`` of the final model (see :func:`leftbehind.plots.forest.forest_figure`)."""
        from leftbehind.plots.forest import forest_figure

        return forest_figure(self.model, self.spec)

    def prevalence_view(self) -> pd.DataFrame:
        """The prevalence table for reading: counts, percent and both 95 % intervals as text (1 decimal)."""
        rows = []
        for name in (self.spec.label, self.spec.rest_label):
            row = self.prevalence[name]
            if row is None:
                continue
            rows.append({"group": name, "rows": f"{row['n']:,}", f"{self.spec.outcome_label}": f"{row['events']:,}",
                         "%": f"{row['pct']:.1f}",
                         "95 % CI (Wilson)": f"{row['ci_low']:.1f} to {row['ci_high']:.1f}",
                         "95 % CI (exact)": f"{row['exact_ci_low']:.1f} to {row['exact_ci_high']:.1f}"})
        return pd.DataFrame(rows).set_index("group")

    def comparison_view(self) -> pd.DataFrame:
        """The group comparison for reading: n (%) per level or mean (SD), the test and p (as text)."""
        spec, table = self.spec, self.comparison
        rows = []
        for _, r in table.iterrows():
            if r["level"] == "mean (SD)":
                cells = [f"{r[f'{g} mean']:.2f} ({r[f'{g} sd']:.2f})" for g in (spec.label, spec.rest_label)]
                extra = f"d = {r['cohens_d']:.2f}"
            else:
                cells = [f"{int(r[f'{g} n']):,} ({r[f'{g} %']:.1f} %)" for g in (spec.label, spec.rest_label)]
                extra = ""
            rows.append({"variable": r["label"], "level": r["level"], spec.label: cells[0], spec.rest_label: cells[1],
                         "test": r["test"], "p": _p_text(r["p"]), "effect": extra})
        return pd.DataFrame(rows)

    def terms_view(self) -> pd.DataFrame:
        """The final model for reading: OR and Wald 95 % CI (2 decimals) and p, labelled from the spec."""
        rows = [{"term": self.spec.label_of(k), "OR": f"{v['or']:.2f}",
                 "95 % CI": f"{v['ci_low']:.2f} to {v['ci_high']:.2f}", "p": _p_text(v["p"])}
                for k, v in self.model["terms"].items()]
        return pd.DataFrame(rows, columns=["term", "OR", "95 % CI", "p"])

    def facts(self) -> dict:
        """The numbers and result-dependent words a page states about this run (for glue)."""
        spec, prepared = self.spec, self.prepared
        group, rest = self.prevalence[spec.label], self.prevalence[spec.rest_label]
        excluded = prepared.n_read - prepared.n_analysed
        missing = next((e["detail"] for e in prepared.flow if e["step"].startswith("missing")), {})
        facts = {
            "n_read": prepared.n_read, "n_analysed": prepared.n_analysed, "n_excluded": excluded,
            "excluded_text": ("no row was excluded" if excluded == 0 else
                              f"{excluded:,} row{'s were' if excluded != 1 else ' was'} excluded because a value "
                              "the analysis uses was blank (" + ", ".join(f"{k}: {v:,}" for k, v in missing.items())
                              + ")"),
            "group_pct": group["pct"], "group_low": group["ci_low"], "group_high": group["ci_high"],
            "rest_pct": rest["pct"], "rest_low": rest["ci_low"], "rest_high": rest["ci_high"],
            "group_n": group["n"], "rest_n": rest["n"], "p": self.test["p"],
            "direction": "higher" if group["pct"] > rest["pct"] else ("lower" if group["pct"] < rest["pct"] else
                                                                       "the same"),
            "estimable": self.model["estimable"],
            "retained_text": (", ".join(spec.label_of(v) for v in self.model["retained"]) or "no predictor")
            if self.model["estimable"] else "nothing (the model could not be fitted)",
            "removed_text": ", ".join(spec.label_of(v) for v in spec.candidates if v not in self.model["retained"])
            or "none",
            "events_modelled": self.model["events"], "n_modelled": self.model["n"],
            "n_candidates": len(spec.candidates), "p_text": _p_text(self.test["p"], equals=True),
        }
        return facts

    def summary(self, data_source: str = "") -> dict:
        """The JSON summary: ``n_analysed``, ``prevalence.<label>``, ``model.retained``, ``model.terms`` …"""
        spec = self.spec
        return {
            "data": data_source,
            "spec": str(spec.path),
            "tier": spec.tier,
            "tier_text": spec.tier_text,
            "n_read": self.prepared.n_read,
            "n_analysed": self.prepared.n_analysed,
            "flow": self.prepared.flow,
            "outcome": {"column": spec.outcome, "event": spec.event,
                        "values_found": {str(k): int(v) for k, v in self.prepared.outcome_values.items()}},
            "group": {"column": spec.group, "value": spec.group_value, "label": spec.label,
                      "rest_label": spec.rest_label},
            "prevalence": self.prevalence,
            "prevalence_test": self.test,
            "model": self.model,
            "scales": self.prepared.alpha.to_dict(orient="records"),
            "log": self.log,
        }


def _p_text(p: float, equals: bool = False) -> str:
    """``0.013`` or ``< 0.001`` (``= 0.013`` with ``equals``, to follow "p" in a sentence)."""
    if p != p:  # NaN
        return "not testable" if equals else "–"
    if p < 0.001:
        return "< 0.001"
    return f"= {p:.3f}" if equals else f"{p:.3f}"


def _with_tier(table: pd.DataFrame, spec: StudySpec) -> pd.DataFrame:
    table = table.copy()
    table["data_tier"] = spec.tier
    return table


def analyse_study(table: pd.DataFrame, spec: StudySpec, source: str = "data") -> StudyResult:
    """Prepare ``table`` as ``spec`` says and run every analysis; raises UserError only for invalid input."""
    prepared = prepare(table, spec, source)
    data = prepared.data
    prevalence = prevalence_by_group(data, spec)
    test = prevalence_test(data, spec)
    comparison = compare_groups(data, spec)
    model = fit_backward_spec(data, spec)
    log = list(prepared.log)
    for name in (spec.label, spec.rest_label):
        row = prevalence[name]
        log.append(f"{spec.outcome} = {spec.event} in {name}: " + (
            "no rows" if row is None else
            f"{row['events']:,} of {row['n']:,} ({row['pct']:.1f} %, 95 % Wilson CI {row['ci_low']:.1f} to {row['ci_high']:.1f})"))
    if model["estimable"]:
        log.append(f"model ({model['n']:,} rows, {model['events']:,} events): kept "
                   f"{', '.join(model['retained']) or 'no predictor'}")
    else:
        log.append(f"model not estimable: {model['reason']}")
    log.extend(f"note: {n}" for n in model["notes"])
    return StudyResult(spec, prepared, prevalence, test, comparison, model, log)


def analyse_file(data_path, spec: StudySpec) -> StudyResult:
    """:func:`analyse_study` on a CSV file (read as text; see :func:`leftbehind.survey.prepare.read_table`)."""
    return analyse_study(read_table(data_path), spec, str(data_path))

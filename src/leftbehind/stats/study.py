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
        """``(fig, alt)`` of the final model (see :func:`leftbehind.plots.forest.forest_plot`)."""
        from leftbehind.plots.forest import forest_plot

        return forest_plot(self.model, self.spec)

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

"""``analyse DATA --spec SPEC``: the issue's minimal spec, two real public surveys checked against a direct
statsmodels computation, the data tier in every output, and invalid input that writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
import yaml
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from leftbehind.commands.analyse_spec import OUTPUTS
from leftbehind.spec import load_spec
from leftbehind.survey.examples import export_example, load_example, spec_path
from spec_surveys import ISSUE_MINIMAL, toy_survey

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "leftbehind", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_minimal_spec_exactly_as_written(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(ISSUE_MINIMAL, encoding="utf-8")
    toy_survey(tmp_path / "survey.csv")
    done = cli("analyse", tmp_path / "survey.csv", "--spec", spec, "--out", tmp_path / "out",
               "--json", tmp_path / "summary.json")
    assert done.returncode == 0, done.stderr
    assert "dropped 15 rows: missing a value the analysis uses (complete cases) (sleep_hours: 15)" in done.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["n_analysed"] == 485 and summary["tier"] == "real"
    for label in ("left-behind", "not left-behind"):
        assert set(summary["prevalence"][label]) >= {"n", "events", "pct", "ci_low", "ci_high"}
    assert summary["prevalence"]["left-behind"]["n"] + summary["prevalence"]["not left-behind"]["n"] == 485
    model = summary["model"]
    assert model["estimable"] and isinstance(model["retained"], list)
    for key, term in model["terms"].items():
        assert set(term) >= {"or", "ci_low", "ci_high"}
        assert key in ("age", "sleep_hours") or key.startswith(("sex[", "grade["))
        assert ".0]" not in key
    for name in OUTPUTS:  # real data: the exact outputs are restricted, the suppressed ones released
        assert (tmp_path / "out" / "restricted" / name).exists(), name
        if name not in ("analysis.csv", "run_log.txt"):
            assert (tmp_path / "out" / "release" / name).exists(), name
    assert not (tmp_path / "out" / "release" / "analysis.csv").exists()
    text = " ".join(p.read_text() for p in (tmp_path / "out").rglob("*") if p.suffix in (".csv", ".txt", ".json"))
    assert "synthetic" not in text.lower()


def test_invalid_spec_exits_2_and_writes_nothing(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(ISSUE_MINIMAL.replace('event: "yes"', "event: yes"), encoding="utf-8")
    toy_survey(tmp_path / "survey.csv")
    done = cli("analyse", tmp_path / "survey.csv", "--spec", spec, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(spec) in done.stderr and "outcome.event" in done.stderr
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml", "survey.csv"]


def test_model_that_cannot_be_fitted_is_reported_not_a_traceback(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(ISSUE_MINIMAL, encoding="utf-8")
    data = toy_survey(tmp_path / "survey.csv")
    data["grade"] = data["grade"].clip(lower=9)  # grades 9-12: the reference 7 does not occur
    data.to_csv(tmp_path / "survey.csv", index=False)
    done = cli("analyse", tmp_path / "survey.csv", "--spec", spec, "--out", tmp_path / "out")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "model not estimable: grade: the reference level 7 does not occur" in done.stderr
    summary = json.loads((tmp_path / "out" / "release" / "summary.json").read_text())
    assert summary["model"]["estimable"] is False and summary["model"]["variable"] == "grade"
    assert "prevalence" in summary and summary["figures"]["forest.png"].startswith("No forest plot")


# ---------------------------------------------------------------- real public surveys vs statsmodels directly


def direct_backward(data: pd.DataFrame, y: str, terms: dict[str, str], p_remove: float) -> list[str]:
    """An independent backward LR elimination with statsmodels formulas (categoricals as blocks)."""
    current = list(terms)
    while current:
        full = smf.logit(f"{y} ~ " + " + ".join(terms[v] for v in current), data).fit(disp=0)
        tests = {}
        for v in current:
            rest = [terms[o] for o in current if o != v]
            reduced = smf.logit(f"{y} ~ " + (" + ".join(rest) if rest else "1"), data).fit(disp=0)
            df = len(full.params) - len(reduced.params)
            tests[v] = stats.chi2.sf(2 * (full.llf - reduced.llf), df)
        worst = max(current, key=lambda v: (tests[v], -current.index(v)))
        if tests[worst] <= p_remove:
            break
        current.remove(worst)
    return current


@pytest.mark.parametrize("name", ["anes96", "chile1988"])
def test_real_survey_matches_statsmodels(tmp_path, name):
    spec = load_spec(spec_path(name))
    csv = export_example(name, tmp_path / f"{name}.csv")
    done = cli("analyse", csv, "--spec", spec_path(name), "--out", tmp_path / "out", "--json", tmp_path / "s.json")
    assert done.returncode == 0, done.stderr
    got = json.loads((tmp_path / "s.json").read_text())
    assert got["tier"] == "real"

    raw = load_example(name)
    complete = raw.dropna(subset=spec.used_columns).copy()
    if name == "chile1988":
        assert len(complete) < len(raw)  # the survey with missing values
    assert got["n_analysed"] == len(complete) and got["n_read"] == len(raw)
    event = pd.to_numeric(pd.Series([spec.event]), errors="coerce").iloc[0]
    complete["_y"] = (complete[spec.outcome] == (spec.event if np.isnan(event) else event)).astype(int)
    value = pd.to_numeric(pd.Series([spec.group_value]), errors="coerce").iloc[0]
    in_group = complete[spec.group] == (spec.group_value if np.isnan(value) else value)
    for label, mask in ((spec.label, in_group), (spec.rest_label, ~in_group)):
        events, n = int(complete.loc[mask, "_y"].sum()), int(mask.sum())
        low, high = proportion_confint(events, n, method="wilson")
        row = got["prevalence"][label]
        assert (row["n"], row["events"]) == (n, events)
        assert row["pct"] == pytest.approx(100 * events / n)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))

    terms = {}
    for c in spec.categorical:
        complete[c.name] = complete[c.name].map(lambda v: str(int(v)) if isinstance(v, float) else str(v))
        terms[c.name] = f"C({c.name}, Treatment('{c.reference}'))"
    for v in spec.continuous:
        complete[v] = complete[v] / spec.per.get(v, 1.0)
        terms[v] = v
    retained = direct_backward(complete, "_y", terms, spec.p_remove)
    assert got["model"]["retained"] == retained
    fit = smf.logit("_y ~ " + " + ".join(terms[v] for v in retained), complete).fit(disp=0)
    ci = fit.conf_int()
    expected = {}
    for key in fit.params.index[1:]:
        if key.startswith("C("):
            variable = key[2:key.index(",")]
            level = key.split("[T.")[1][:-1]
            term = f"{variable}[{level}]"
        else:
            term = key
        expected[term] = (np.exp(fit.params[key]), np.exp(ci.loc[key, 0]), np.exp(ci.loc[key, 1]))
    assert set(got["model"]["terms"]) == set(expected)
    for term, (odds, low, high) in expected.items():
        mine = got["model"]["terms"][term]
        assert (mine["or"], mine["ci_low"], mine["ci_high"]) == pytest.approx((odds, low, high), rel=1e-5)
    assert "real survey data" in got["figures"]["forest.png"]


def test_yingshan_spec_reproduces_the_pipeline_and_table7(tmp_path):
    """The generic path on the synthetic raw export gives the pipeline's flow and Table 7 (same retained, same ORs)."""
    from leftbehind.paper.models import table7_nssi_lbc
    from leftbehind.yingshan.pipeline import run_pipeline
    from leftbehind.survey.study import analyse_file

    raw = tmp_path / "raw.csv"
    assert cli("simulate", "--seed", 2023, "--out", raw).returncode == 0
    spec = load_spec(ROOT / "data" / "specs" / "yingshan.yaml")
    result = analyse_file(raw, spec)
    pipeline = run_pipeline(raw)
    assert result.prepared.n_analysed == pipeline.flow["analysed"]
    excluded = sum(e["excluded"] for e in result.prepared.flow[1:])
    assert excluded == pipeline.flow["excluded_incomplete"] + pipeline.flow["excluded_out_of_range"]
    assert result.prevalence["left-behind children"]["n"] == int(pipeline.analysis["lbc"].sum())
    table7 = table7_nssi_lbc(pipeline.analysis)
    assert result.model["retained"] == table7["retained"]
    for term, values in result.model["terms"].items():
        assert values["or"] == pytest.approx(table7["terms"][term]["or"], rel=1e-6)
    assert result.tier == "synthetic"
    fig, alt = result.forest()
    assert "synthetic data (generated, not real people)" in alt


def test_specs_document_their_source():
    for name in ("anes96", "chile1988"):
        raw = yaml.safe_load(spec_path(name).read_text())
        assert raw["tier"] == "real" and raw["study"]["licence"] and raw["study"]["citation"]

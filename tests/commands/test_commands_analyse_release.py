"""Real data through ``analyse``: release/ (suppressed, publishable) and restricted/ (row-level, exact), with a
disclosure report; synthetic data keep the flat layout; a threshold below the minimum is a clear error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from repo_copy import repo_with_tier

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "student_survey.csv"
SPEC = {
    "outcome": {"column": "nssi", "event": "yes"},
    "group": {"column": "away", "value": 1, "label": "left-behind", "rest_label": "others"},
    "categorical": {"school": "A", "sex": "boy"},
    "continuous": ["age"],
}
MARKS = ("<5", "x")


def cli(*args, env=None):
    import os

    return subprocess.run([sys.executable, "-m", "leftbehind", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, env={**os.environ, **(env or {})})


def small_survey(path: Path) -> pd.DataFrame:
    """300 pupils; school C has 3 of them and school D 6; a name and an ID column the spec does not use."""
    rng = np.random.default_rng(8)
    school = np.array(["A"] * 150 + ["B"] * 141 + ["C"] * 3 + ["D"] * 6)
    n = len(school)
    data = pd.DataFrame({"pupil_id": [f"P{i:05d}" for i in range(n)], "pupil_name": [f"Name{i}" for i in range(n)],
                         "nssi": np.where(rng.random(n) < 0.3, "yes", "no"), "away": rng.integers(0, 2, n),
                         "school": school, "sex": rng.choice(["boy", "girl"], n), "age": rng.integers(10, 16, n)})
    data.to_csv(path, index=False)
    return data


def write_spec(path: Path, **extra) -> Path:
    path.write_text(yaml.safe_dump({**SPEC, **extra}), encoding="utf-8")
    return path


def test_real_spec_run_splits_release_and_restricted(tmp_path):
    data = small_survey(tmp_path / "survey.csv")
    out = tmp_path / "out"
    done = cli("analyse", tmp_path / "survey.csv", "--spec", write_spec(tmp_path / "spec.yaml"), "--out", out,
               "--json", tmp_path / "summary.json")
    assert done.returncode == 0, done.stderr
    assert "publish only" in done.stderr
    release, restricted = out / "release", out / "restricted"
    assert sorted(p.name for p in out.iterdir()) == ["release", "restricted"]
    for folder in (release, restricted):
        assert "Who may see it" in (folder / "README.txt").read_text()
    assert (restricted / "analysis.csv").exists() and not (release / "analysis.csv").exists()
    assert not (release / "run_log.txt").exists()
    comparison = pd.read_csv(release / "comparison.csv", dtype=str)
    counts = comparison[comparison["level"] != "mean (SD)"]
    for column in ("left-behind n", "others n"):
        numbers = [int(v) for v in counts[column] if v not in MARKS]
        assert numbers and min(numbers) >= 5
    for school in ("C", "D"):
        row = counts[counts["level"] == school]
        assert set(row["left-behind n"]) | set(row["others n"]) <= set(MARKS)
    for _, block in counts.groupby("variable"):  # no single hidden cell in a row or column with a published total
        hidden = block[["left-behind n", "others n"]].isin(MARKS)
        assert (hidden.sum(axis=0) != 1).all() and (hidden.sum(axis=1) != 1).all()
    text = " ".join(p.read_text(errors="replace") for p in release.iterdir() if p.suffix != ".png")
    assert not any(value in text for value in ("Name12", "P00012", "Name0,", "P00000"))  # no identifier's value
    for table in release.glob("*.csv"):  # the report names the unused columns; no table carries them
        assert "pupil_name" not in table.read_text() and "pupil_id" not in table.read_text()
    report = (release / "disclosure.txt").read_text()
    assert "Threshold: counts below 5" in report and "comparison.csv" in report and "pupil_name" in report
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary == json.loads((release / "summary.json").read_text())  # --json gets the release summary
    assert summary["disclosure"]["threshold"] == 5 and summary["disclosure"]["suppressed_cells"]["comparison.csv"] > 0
    exact = pd.read_csv(restricted / "comparison.csv")
    assert int(exact.loc[exact["level"] == "C", ["left-behind n", "others n"]].sum(axis=1).iloc[0]) == 3
    assert len(pd.read_csv(restricted / "analysis.csv")) == len(data)


def test_spec_threshold_below_the_minimum_is_a_clear_error(tmp_path):
    small_survey(tmp_path / "survey.csv")
    spec = write_spec(tmp_path / "spec.yaml", disclosure={"threshold": 2})
    done = cli("analyse", tmp_path / "survey.csv", "--spec", spec, "--out", tmp_path / "out")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(spec) in done.stderr and "disclosure.threshold" in done.stderr and "minimum of 3" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_higher_threshold_from_the_spec_is_used(tmp_path):
    small_survey(tmp_path / "survey.csv")
    done = cli("analyse", tmp_path / "survey.csv", "--spec", write_spec(tmp_path / "spec.yaml", disclosure={"threshold": 10}),
               "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    comparison = pd.read_csv(tmp_path / "out" / "release" / "comparison.csv", dtype=str)
    counts = comparison[comparison["level"] != "mean (SD)"]
    shown = [int(v) for c in ("left-behind n", "others n") for v in counts[c] if v not in ("<10", "x")]
    assert min(shown) >= 10 and (counts["left-behind n"] == "<10").any()


def test_synthetic_spec_run_keeps_the_flat_unsuppressed_layout(tmp_path):
    small_survey(tmp_path / "survey.csv")
    out = tmp_path / "out"
    done = cli("analyse", tmp_path / "survey.csv", "--spec", write_spec(tmp_path / "spec.yaml", tier="synthetic"),
               "--out", out)
    assert done.returncode == 0, done.stderr
    assert not (out / "release").exists() and (out / "analysis.csv").exists()
    comparison = pd.read_csv(out / "comparison.csv")
    assert int(comparison.loc[comparison["level"] == "C", ["left-behind n", "others n"]].sum(axis=1).iloc[0]) == 3


def test_real_contract_run_releases_suppressed_tables_without_identifiers(tmp_path):
    out = tmp_path / "out"
    done = cli("analyse", EXAMPLE, "--out", out, "--json", tmp_path / "s.json",
               env={"LEFTBEHIND_ROOT": str(repo_with_tier(tmp_path, "real"))})
    assert done.returncode == 0, done.stderr
    release = out / "release"
    assert (out / "restricted" / "analysis.csv").exists() and not (release / "analysis.csv").exists()
    assert not (release / "flow.png").exists()
    for name in ("table1.csv", "table2.csv", "table3.csv", "table4.csv", "care_cascade.csv"):
        table = pd.read_csv(release / name, dtype=str)
        for column in [c for c in table.columns if c.endswith(("_n", "_cases")) or c == "n"]:
            numbers = [float(v) for v in table[column].dropna() if v not in MARKS]
            assert all(v >= 5 for v in numbers), (name, column)
    table2 = pd.read_csv(release / "table2.csv", dtype=str)
    assert (table2["nlbc_cases"] == "<5").any()  # the example has three NSSI reports outside the LBC group
    ids = pd.read_csv(EXAMPLE, dtype=str)[["response_id", "school_id"]]
    text = " ".join(p.read_text() for p in release.iterdir() if p.suffix in (".csv", ".txt", ".json"))
    assert not any(value in text for value in ids["response_id"].head(50))
    assert not any(f",{value}," in text for value in ids["school_id"].unique())
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["disclosure"]["threshold"] == 5 and summary["disclosure"]["suppressed_total"] > 0


def test_a_failure_while_suppressing_writes_nothing(tmp_path, capsys, monkeypatch):
    """The release is written inside the run's atomic folder: if it fails, neither folder appears."""
    import leftbehind.paper.release_write as release_write
    from leftbehind.__main__ import main

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated failure while suppressing")

    monkeypatch.setenv("LEFTBEHIND_ROOT", str(repo_with_tier(tmp_path, "real")))
    monkeypatch.setattr(release_write, "release_tables", broken)
    out = tmp_path / "new" / "out"
    code = main(["analyse", str(EXAMPLE), "--out", str(out), "--json", str(tmp_path / "s.json")])
    text = capsys.readouterr().err
    assert code == 1 and "Traceback" not in text and "simulated failure" in text
    assert not (tmp_path / "new").exists() and not (tmp_path / "s.json").exists()

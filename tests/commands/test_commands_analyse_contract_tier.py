"""``analyse RAW.csv`` without ``--spec`` takes its data tier from data/specs/yingshan.yaml: real data are never
called synthetic in its figures, alt text, summary.json or run log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repo_copy import repo_with_tier

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "student_survey.csv"


def run_contract(root: Path | None, out: Path) -> dict:
    env = dict(os.environ)
    if root is not None:
        env["LEFTBEHIND_ROOT"] = str(root)
    done = subprocess.run([sys.executable, "-m", "leftbehind", "analyse", EXAMPLE, "--out", out, "--json",
                           out / "summary.json"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize("tier", ["synthetic", "real"])
def test_contract_run_labels_the_tier_from_the_yingshan_spec(tmp_path, tier):
    out = tmp_path / "out"
    summary = run_contract(repo_with_tier(tmp_path, tier) if tier == "real" else None, out)
    assert summary["tier"] == tier
    alts = " ".join(summary["figures"].values())
    # real data: the exact outputs and the run log are restricted; --json holds the release summary
    log = (out / ("restricted" if tier == "real" else ".") / "run_log.txt").read_text(encoding="utf-8")
    if tier == "real":
        assert "real survey data" in alts and "synthetic" not in alts.lower()
        assert "data tier: real" in log and "synthetic" not in log.lower()
    else:
        assert "synthetic cohort" in alts and "data tier: synthetic" in log

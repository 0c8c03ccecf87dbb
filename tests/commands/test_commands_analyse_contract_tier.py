"""``analyse RAW.csv`` without ``--spec`` takes its data tier from data/specs/yingshan.yaml: real data are never
called synthetic in its figures, alt text, summary.json or run log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def repo_with_tier(tmp_path: Path, tier: str) -> Path:
    """A repository root whose data/ is the real one except that the Yingshan spec declares ``tier``."""
    root = tmp_path / "repo"
    (root / "data" / "specs").mkdir(parents=True)
    for entry in (ROOT / "data").iterdir():
        if entry.name != "specs":
            (root / "data" / entry.name).symlink_to(entry)
    text = (ROOT / "data" / "specs" / "yingshan.yaml").read_text(encoding="utf-8")
    assert "\ntier: synthetic\n" in text
    (root / "data" / "specs" / "yingshan.yaml").write_text(text.replace("\ntier: synthetic\n", f"\ntier: {tier}\n"))
    return root


@pytest.mark.parametrize("tier", ["synthetic", "real"])
def test_contract_run_labels_the_tier_from_the_yingshan_spec(tmp_path, tier):
    out = tmp_path / "out"
    summary = run_contract(repo_with_tier(tmp_path, tier) if tier == "real" else None, out)
    assert summary["tier"] == tier
    alts = " ".join(summary["figures"].values())
    log = (out / "run_log.txt").read_text(encoding="utf-8")
    if tier == "real":
        assert "real survey data" in alts and "synthetic" not in alts.lower()
        assert "data tier: real" in log and "synthetic" not in log.lower()
    else:
        assert "synthetic cohort" in alts and "data tier: synthetic" in log

"""The adapt-your-survey guide works on its example file: run the guide's own commands."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "notebooks" / "adapt_your_survey.md"
EXAMPLE = ROOT / "data" / "examples" / "student_survey.csv"
# provenance.validate_published (not ours) triggers a pandas deprecation warning; the lead has been told.


def guide_commands() -> list[str]:
    """Every ``python -m leftbehind`` line in the guide's bash blocks, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("python -m leftbehind")]


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "leftbehind"]
    return subprocess.run([sys.executable, *argv[1:]], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder laid out like the repository root (``data/`` linked), so the guide's relative paths work."""
    folder = tmp_path_factory.mktemp("guide")
    (folder / "data").symlink_to(ROOT / "data")
    return folder


def test_example_file_is_labelled_and_small():
    raw = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    assert 200 <= len(raw) <= 1000
    assert "synthetic" in GUIDE.read_text(encoding="utf-8").lower()
    assert "SYNTHETIC" in (ROOT / "scripts" / "make_example_survey.py").read_text(encoding="utf-8")


def test_analyse_command_from_the_guide(workdir):
    commands = [c for c in guide_commands() if "student_survey.csv" in c]
    assert len(commands) == 1, commands
    done = run(commands[0], workdir)
    assert done.returncode == 0, done.stderr
    out = workdir / "my_results"
    yingshan_route = GUIDE.read_text(encoding="utf-8").split("## 6.")[0]  # sections 1-5; the spec route is tested below
    listed = re.findall(r"`([a-z0-9_*]+\.(?:csv|png|json))`", yingshan_route)
    for name in listed:
        if "*" in name or name == "student_survey.csv" or name == "broken_survey.csv":
            continue
        assert (out / name).exists(), f"the guide lists {name} but analyse did not write it"
    summary = json.loads((out / "summary.json").read_text())
    flow = summary["flow"]
    assert flow["collected"] == len(pd.read_csv(EXAMPLE, dtype=str))
    assert flow["analysed"] == len(pd.read_csv(out / "analysis.csv"))
    assert set(summary["models"]) >= {"nssi_lbc", "help_lbc_nssi"}
    assert summary["models"]["nssi_lbc"]["retained"]


def test_broken_file_step(workdir):
    """Step 4: change the first pupil's gender to 3, save as broken_survey.csv, rerun -> named error, nothing written."""
    raw = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    raw.loc[0, "gender"] = "3"
    raw.to_csv(workdir / "broken_survey.csv", index=False)
    commands = [c for c in guide_commands() if "broken_survey.csv" in c]
    assert len(commands) == 1
    done = run(commands[0], workdir)
    assert done.returncode == 2
    assert "broken_survey.csv" in done.stderr and "gender" in done.stderr and "1" in done.stderr
    assert not (workdir / "broken_results" / "analysis.csv").exists()


def test_python_snippet_from_the_guide(monkeypatch):
    snippet = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(snippet) == 1
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(snippet[0], str(GUIDE), "exec"), namespace)
    assert namespace["tables"]["models"]["nssi_lbc"]["retained"]


def guide_shell_lines() -> list[str]:
    """Every command line in the guide's bash blocks (comments removed)."""
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_minimal_spec_in_the_guide_is_the_issue_spec_and_runs(workdir):
    """Section 6: the guide's five-line spec, saved as my_spec.yaml, runs on a survey with those columns."""
    from spec_surveys import ISSUE_MINIMAL, toy_survey

    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert blocks[0] == ISSUE_MINIMAL
    (workdir / "my_spec.yaml").write_text(blocks[0], encoding="utf-8")
    toy_survey(workdir / "my_survey.csv")
    commands = [c for c in guide_commands() if "--spec my_spec.yaml" in c]
    assert len(commands) == 1
    done = run(commands[0], workdir)
    assert done.returncode == 0, done.stderr
    summary = json.loads((workdir / "my_spec_results" / "summary.json").read_text())
    assert summary["n_analysed"] > 0 and set(summary["prevalence"]) == {"left-behind", "not left-behind"}
    listed = re.findall(r"`([a-z_]+\.(?:csv|png|json|txt))`", GUIDE.read_text(encoding="utf-8").split("## 6.")[1]
                        .split("### The richer form")[0])
    for name in listed:
        if name not in ("my_survey.csv",):
            folders = [workdir / "my_spec_results" / sub for sub in (".", "restricted", "release")]  # real data
            assert any((f / name).exists() for f in folders), f"the guide lists {name} but analyse did not write it"


def test_worked_example_commands_from_the_guide(workdir):
    """Section 7: export the Chile survey and analyse it with its spec, exactly as the guide says."""
    lines = [line for line in guide_shell_lines() if "chile1988" in line]
    assert len(lines) == 2 and lines[0].startswith("python -c")
    argv = shlex.split(lines[0])
    done = subprocess.run([sys.executable, *argv[1:]], cwd=workdir, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    done = run(lines[1], workdir)
    assert done.returncode == 0, done.stderr
    summary = json.loads((workdir / "chile_results" / "summary.json").read_text())
    assert summary["tier"] == "real" and summary["n_analysed"] < summary["n_read"]
    assert "sex" in summary["model"]["retained"]


def test_setup_commands_are_the_makefile_ones():
    lines = guide_shell_lines()
    assert "make env" in lines and "source .venv/bin/activate" in lines
    assert "\nenv:" in (ROOT / "Makefile").read_text(encoding="utf-8")

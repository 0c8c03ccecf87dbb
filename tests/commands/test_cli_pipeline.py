"""End to end through the command line: simulate, analyse, and a rejected file."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "leftbehind", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def test_simulate_then_analyse(tmp_path):
    raw = tmp_path / "raw.csv"
    done = cli("simulate", "--seed", 2023, "--out", raw)
    assert done.returncode == 0, done.stderr
    out, summary = tmp_path / "D", tmp_path / "J.json"
    done = cli("analyse", raw, "--out", out, "--json", summary)
    assert done.returncode == 0, done.stderr
    assert "[analyse]" in done.stderr  # progress lines
    data = json.loads(summary.read_text())
    assert data["flow"] == {"collected": 19005, "excluded_incomplete": 2037, "valid": 16968,
                            "excluded_out_of_range": 102, "analysed": 16866}
    assert data["lbc"] == {"n": 6096, "nssi": 282}
    assert data["help_seeking_lbc"] == {"none": 152, "refused": 26, "self_help": 42, "professional": 62}
    for name in ("analysis.csv", "flow.csv", "exclusions_by_reason.csv", "alpha.csv", "flow.png", "run_log.txt"):
        assert (out / name).exists(), name


def test_invalid_file_exit_2_and_no_outputs(tmp_path):
    raw = tmp_path / "raw.csv"
    assert cli("simulate", "--seed", 1, "--out", raw).returncode == 0
    lines = raw.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index("gender")] = "3"
    lines[5] = ",".join(cells)
    raw.write_text("\n".join(lines) + "\n")
    out, summary = tmp_path / "D", tmp_path / "J.json"
    done = cli("analyse", raw, "--out", out, "--json", summary)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(raw) in done.stderr and "'gender'" in done.stderr and "valid set" in done.stderr
    assert "row(s) 5" in done.stderr
    assert not out.exists() and not summary.exists()


def test_extra_identifier_column_never_reaches_outputs(tmp_path):
    raw = tmp_path / "raw.csv"
    assert cli("simulate", "--seed", 3, "--out", raw).returncode == 0
    lines = raw.read_text().splitlines()
    lines = [lines[0] + ",pupil_name"] + [f"{line},name{i}" for i, line in enumerate(lines[1:])]
    raw.write_text("\n".join(lines) + "\n")
    out = tmp_path / "D"
    done = cli("analyse", raw, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "pupil_name" in (out / "run_log.txt").read_text()
    assert "pupil_name" not in (out / "analysis.csv").read_text().splitlines()[0]
    assert "name1" not in (out / "analysis.csv").read_text()

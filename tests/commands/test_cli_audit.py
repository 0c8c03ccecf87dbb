"""``python -m leftbehind audit --json`` in a real subprocess: shape and values."""

import json
import subprocess
import sys

import pytest

from leftbehind.core.paths import repo_root


def run_audit(*args):
    return subprocess.run([sys.executable, "-m", "leftbehind", "audit", *args], capture_output=True, text=True,
                          cwd=repo_root(), check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "audit.json"
    result = run_audit("--json", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "110 published numbers" in result.stdout and " not checkable;" in result.stdout
    return json.loads(path.read_text(encoding="utf-8"))


def test_top_level_shape(report):
    assert set(report) == {"source", "ci_method", "summary", "scorecard", "checks", "granularity", "reconstructions"}
    assert sum(report["summary"].values()) == len(report["scorecard"]) == 110
    assert list(report["summary"]) == ["reproduced", "consistent", "flagged", "not_checkable"]
    statuses = [row["status"] for row in report["scorecard"]]
    assert all(report["summary"][s] == statuses.count(s) for s in report["summary"])
    assert report["summary"]["flagged"] < report["summary"]["not_checkable"]  # problems are no longer mixed with the rest


def test_reconstruction_shape_and_values(report):
    recon = {r["name"]: r for r in report["reconstructions"]}
    assert list(recon) == ["girls_vs_boys", "boarders_vs_nonboarders"]
    for entry in report["reconstructions"]:
        assert set(entry) == {"name", "solutions"}
        for sol in entry["solutions"]:
            assert set(sol) == {"a", "b", "c", "d", "or", "ci_low", "ci_high"}
            assert all(isinstance(sol[k], int) for k in "abcd")
            assert all(isinstance(sol[k], float) for k in ("or", "ci_low", "ci_high"))
            assert sol["a"] + sol["c"] == 282 and sol["a"] + sol["b"] + sol["c"] + sol["d"] == 6096
    girls = recon["girls_vs_boys"]["solutions"]
    assert [(s["a"], s["b"], s["c"], s["d"]) for s in girls] == [(183, 2692, 99, 3122)]
    assert round(girls[0]["or"], 2) == 2.14 and round(girls[0]["ci_high"], 2) == 2.75
    boarders = recon["boarders_vs_nonboarders"]["solutions"]
    assert len(boarders) == 14
    assert min(s["a"] + s["b"] for s in boarders) == 1659


def test_scorecard_and_granularity_values(report):
    card = {row["key"]: row for row in report["scorecard"]}
    assert card["analysed"]["status"] == "flagged"
    assert card["valid_rate_pct"]["status"] == "reproduced"
    gran = {row["key"]: row for row in report["granularity"]}
    assert gran["help_no_treatment_pct"]["numerators"] == [152]
    assert gran["lbc_rural_pct"]["numerators"] == list(range(3576, 3582))


def test_exact_z_changes_the_boarder_set(tmp_path):
    path = tmp_path / "exact.json"
    assert run_audit("--json", str(path), "--z", "exact").returncode == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    sizes = {r["name"]: len(r["solutions"]) for r in data["reconstructions"]}
    assert sizes == {"girls_vs_boys": 1, "boarders_vs_nonboarders": 15}


def test_missing_folder_is_a_user_error(tmp_path):
    result = run_audit("--json", str(tmp_path / "no" / "such" / "audit.json"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr

"""nbval really compares numbers: a corrupted stored output must fail it."""

import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

TWIN = ROOT / "notebooks" / "study_at_a_glance.ipynb"


def run_nbval(path):
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
            "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path),
        ],
        capture_output=True, text=True, cwd=path.parent, timeout=300,
    )


def glue_output(notebook, key):
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == key:
                return output
    raise KeyError(key)


@pytest.fixture
def copies(tmp_path):
    good = tmp_path / "good" / TWIN.name
    bad = tmp_path / "bad" / TWIN.name
    for path in (good, bad):
        path.parent.mkdir()
        shutil.copy(TWIN, path)
    notebook = json.loads(bad.read_text())
    output = glue_output(notebook, "collected")
    assert output["data"]["application/papermill.record/text/plain"] == "19005"
    output["data"]["application/papermill.record/text/plain"] = "19006"
    bad.write_text(json.dumps(notebook))
    return good, bad


def test_changed_stored_number_fails_nbval_and_the_original_passes(copies):
    good, bad = copies
    passed = run_nbval(good)
    assert passed.returncode == 0, passed.stdout[-2000:]
    failed = run_nbval(bad)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "19006" in failed.stdout and "19005" in failed.stdout

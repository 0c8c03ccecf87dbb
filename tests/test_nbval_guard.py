"""nbval compares what the book shows: a changed shown digit fails, machine noise does not.

Three properties of the comparison that the reviewers' promise ("rerun everything and get the same numbers on
your own machine") rests on:

- a stored number whose *shown* digits change makes nbval fail (strict comparison is kept);
- every stored float perturbed by a relative 1e-12 (the size of BLAS and threading noise) leaves nbval green
  (numbers are compared at 10 significant digits by ``tests/nbval_numbers.py``);
- the heaviest chapter re-executed with single-threaded BLAS/OpenMP reproduces its stored outputs (the twins are
  executed with the machine's default thread count).  ``make test-code`` leaves ``robustness.ipynb`` to this test.
"""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

TWIN = ROOT / "notebooks" / "study_at_a_glance.ipynb"
FLOATS_TWIN = ROOT / "notebooks" / "auditing_the_numbers.ipynb"
HEAVIEST = ROOT / "notebooks" / "robustness.ipynb"
DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
SINGLE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def run_nbval(path, extra_env=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"), **(extra_env or {}))
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "nbval_numbers", "--nbval",
            "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path),
        ],
        capture_output=True, text=True, cwd=path.parent, timeout=900, env=env,
    )


def glue_output(notebook, key):
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == key:
                return output
    raise KeyError(key)


def copy_twin(twin, folder):
    folder.mkdir()
    path = folder / twin.name
    shutil.copy(twin, path)
    return path


@pytest.fixture
def copies(tmp_path):
    good, bad = copy_twin(TWIN, tmp_path / "good"), copy_twin(TWIN, tmp_path / "bad")
    notebook = json.loads(bad.read_text())
    output = glue_output(notebook, "collected")
    assert output["data"]["application/papermill.record/text/plain"] == "19005"
    output["data"]["application/papermill.record/text/plain"] = "19006"
    shown = glue_output(notebook, "valid_rate_exact")  # a float the page shows with two decimals
    before = shown["data"]["application/papermill.record/text/plain"]
    assert len(before.split(".")[1]) <= 2, "glued floats are stored at their shown precision"
    bad.write_text(json.dumps(notebook))
    return good, bad


def test_changed_stored_number_fails_nbval_and_the_original_passes(copies):
    good, bad = copies
    passed = run_nbval(good)
    assert passed.returncode == 0, passed.stdout[-2000:]
    failed = run_nbval(bad)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "19006" in failed.stdout and "19005" in failed.stdout


def test_a_changed_shown_decimal_digit_fails_nbval(tmp_path):
    bad = copy_twin(TWIN, tmp_path / "bad")
    notebook = json.loads(bad.read_text())
    data = glue_output(notebook, "valid_rate_exact")["data"]
    key = "application/papermill.record/text/plain"
    value = float(data[key])
    data[key] = repr(round(value + 0.01, 2))  # the second shown decimal changes
    bad.write_text(json.dumps(notebook))
    failed = run_nbval(bad)
    assert failed.returncode == 1, failed.stdout[-2000:]


def perturb(text: str) -> tuple[str, int]:
    count = 0

    def bump(match):
        nonlocal count
        count += 1
        return repr(float(match.group(0)) * (1 + 1e-12))

    return DECIMAL.sub(bump, text), count


def test_every_stored_float_perturbed_by_1e_12_leaves_nbval_green(tmp_path):
    noisy = copy_twin(FLOATS_TWIN, tmp_path / "noisy")
    notebook = json.loads(noisy.read_text())
    perturbed = 0
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                if mime.startswith("image/") or "image/" in mime:
                    continue
                text = "".join(value) if isinstance(value, list) else value
                if isinstance(text, str) and "base64" not in text:
                    output["data"][mime], n = perturb(text)
                    perturbed += n
    assert perturbed >= 50, f"expected many stored floats to perturb, found {perturbed}"
    noisy.write_text(json.dumps(notebook))
    assert noisy.read_text() != FLOATS_TWIN.read_text()
    result = run_nbval(noisy)
    assert result.returncode == 0, result.stdout[-3000:]


def test_heaviest_chapter_reproduces_its_outputs_with_single_threaded_blas(tmp_path):
    # run in place (the chapter reads its own MyST source beside it), single-threaded, with an empty result cache
    # so that every bootstrap and scenario is recomputed; the twin was executed with the default thread count
    result = run_nbval(HEAVIEST, extra_env={**SINGLE_THREAD, "LEFTBEHIND_CACHE_DIR": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout

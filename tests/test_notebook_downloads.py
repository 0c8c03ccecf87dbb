"""The chapter downloads: plain-Jupyter notebooks and a code-and-data zip that runs outside the repository.

The artefacts are built by calling the book extension's :func:`build_downloads` on the committed twins (no
book build).  The last test unpacks the zip into a temporary folder, creates the environment the way "How to
use this book" documents (``uv sync --locked --no-default-groups --extra notebooks``, from uv's cache when
possible) and executes one downloaded chapter there with ``jupyter execute``.  It takes about a minute, so it
is marked ``download`` (deselect with ``-m "not download"``); it needs no built site.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "auditing_the_numbers"  # reads only published numbers: quick, and it has glue roles and the content note


def _extension():
    spec = importlib.util.spec_from_file_location("notebook_downloads", ROOT / "book" / "_ext" / "notebook_downloads.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    _extension().build_downloads(ROOT, out)
    return out


def markdown_of(notebook: dict) -> str:
    return "\n".join(cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "markdown")


def test_every_downloaded_notebook_is_plain_markdown_with_the_glued_values(built):
    twins = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert twins
    for twin in twins:
        notebook = json.loads((built / "_sources" / "notebooks" / twin.name).read_text(encoding="utf-8"))
        text = markdown_of(notebook)
        leftover = re.findall(r"\{(?:glue|include|ref|term|cite)(?::[a-z]*)?\}`?|^(?:```|:::)\{", text, flags=re.M)
        assert not leftover, (twin.name, leftover[:5])
        assert "jupytext" not in notebook["metadata"]
        source = (ROOT / "notebooks" / f"{twin.stem}.md").read_text(encoding="utf-8")
        if "content_note.md" in source:
            assert "Content note and where to find help" in text and "12356" in text, twin.name
        original = json.loads(twin.read_text(encoding="utf-8"))
        code = [c["source"] for c in original["cells"] if c["cell_type"] == "code"]
        assert [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"] == code


def test_glue_roles_become_the_values_the_book_shows():
    ext = _extension()
    values = {"n": "16866", "share": "0.12345", "word": "'none'"}
    text = "N {glue:text}`n:,`, {glue:text}`share:.1%`, {glue}`word`, {glue:text}`gone:.2f`, {cite:p}`yong2023`"
    assert ext.replace_roles(text, values, {"yong2023": "Yong et al. 2023"}) == (
        f"N 16,866, 12.3%, none, {ext.NOT_SHOWN}, (Yong et al. 2023)")
    assert ext.replace_roles("{ref}`the chapter <risk-factors>` and {term}`LBC`", {}) == "the chapter and LBC"


def test_zip_holds_what_the_download_tells_readers_to_run(built):
    with zipfile.ZipFile(built / "_downloads" / "leftbehind-code-and-data.zip") as archive:
        names = set(archive.namelist())
        plain = json.loads(archive.read(f"notebooks/{CHAPTER}.ipynb"))
    for required in ("Makefile", "pyproject.toml", "uv.lock", "README.md", "scripts/execute_notebooks.py",
                     "src/leftbehind/__init__.py", "data/codebook.yaml", f"notebooks/{CHAPTER}.md"):
        assert required in names, required
    assert not [n for n in names if "__pycache__" in n or "/." in n or n.startswith(".")]
    assert "{glue" not in markdown_of(plain)  # the zip carries the plain-Jupyter notebooks too


def _uv() -> Path | None:
    for candidate in (ROOT / ".tools" / "bin" / "uv", shutil.which("uv")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


@pytest.mark.download
def test_a_downloaded_chapter_runs_outside_the_repository(built, tmp_path):
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed (run `make env` once)")
    folder = tmp_path / "leftbehind"
    with zipfile.ZipFile(built / "_downloads" / "leftbehind-code-and-data.zip") as archive:
        archive.extractall(folder)
    shutil.copyfile(built / "_sources" / "notebooks" / f"{CHAPTER}.ipynb", folder / "notebooks" / f"{CHAPTER}.ipynb")
    venv = folder / ".venv"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LEFTBEHIND_", "VIRTUAL_ENV", "UV_PROJECT", "PYTHONPATH", "JUPYTER"))}
    env.update({"UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON_DOWNLOADS": "never"})
    python = shutil.which("python3.11") or sys.executable
    sync = [str(uv), "sync", "--locked", "--no-default-groups", "--extra", "notebooks", "--python", python]
    done = subprocess.run([*sync, "--offline"], cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # not everything in uv's cache: fetch from PyPI
        done = subprocess.run(sync, cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"  # as `source .venv/bin/activate` does
    done = subprocess.run([str(venv / "bin" / "jupyter"), "execute", "--inplace", f"notebooks/{CHAPTER}.ipynb"],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads((folder / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    assert str(ROOT) not in (folder / "notebooks" / f"{CHAPTER}.ipynb").read_text(encoding="utf-8")
    # the package it ran is the unpacked copy, not the repository's
    located = subprocess.run([str(venv / "bin" / "python"), "-c", "import leftbehind; print(leftbehind.__file__)"],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert located.stdout.strip().startswith(str(folder)), located.stdout + located.stderr

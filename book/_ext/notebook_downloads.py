"""Offer every chapter as an executed ``.ipynb`` (and the code + data it needs).

Each ``notebooks/<page>.md`` has an executed twin ``notebooks/<page>.ipynb``.
This extension copies the twins into the site's ``_sources/`` folder and sets
``ipynb_source`` so sphinx-book-theme shows an ".ipynb" entry in the page's
download menu.  It also writes ``_downloads/leftbehind-code-and-data.zip``
(``src/``, ``data/``, ``notebooks/``, ``pyproject.toml``, ``uv.lock``), linked
from "How to use this book", so a downloaded notebook can be run.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

ARCHIVE = "leftbehind-code-and-data.zip"
ARCHIVE_CONTENT = ("src", "data", "notebooks", "pyproject.toml", "uv.lock", "README.md", "LICENSE")


def _twin(app, pagename: str) -> Path | None:
    twin = Path(app.srcdir) / f"{pagename}.ipynb"
    return twin if pagename.startswith("notebooks/") and twin.exists() else None


def _set_ipynb_source(app, pagename, templatename, context, doctree):
    if _twin(app, pagename):
        context["ipynb_source"] = pagename + ".ipynb"


def _copy_twins_and_archive(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    src = Path(app.srcdir)
    out = Path(app.outdir)
    for twin in sorted((src / "notebooks").glob("*.ipynb")):
        target = out / "_sources" / "notebooks" / twin.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(twin, target)
    downloads = out / "_downloads"
    downloads.mkdir(exist_ok=True)
    with zipfile.ZipFile(downloads / ARCHIVE, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ARCHIVE_CONTENT:
            path = src / name
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                if "__pycache__" in file.parts or file.name.startswith("."):
                    continue
                info = zipfile.ZipInfo(str(file.relative_to(src)), date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, file.read_bytes())


def setup(app):
    app.connect("html-page-context", _set_ipynb_source, priority=400)
    app.connect("build-finished", _copy_twins_and_archive)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Invalidate the Jupyter Book execution cache when code, data or packages change.

jupyter-cache keys a notebook only on its code cells, so a change in ``src/``,
``data/`` or ``uv.lock`` would be served stale.  This script compares
:func:`leftbehind.core.cache.inputs_fingerprint` with the one recorded at the last
build and deletes ``_build/.jupyter_cache`` when they differ, so that
``make book`` re-executes.  It deletes each edition's doctrees too: Sphinx decides what
to re-read from the page sources, which have not changed, so without this it would keep
the pages it read from the old outputs.  (Heavy results cached by the package itself are
keyed by the same fingerprint and need no clearing.)
"""

from __future__ import annotations

import shutil

from leftbehind.core.cache import inputs_fingerprint
from leftbehind.core.paths import repo_root

CACHE = repo_root() / "_build" / ".jupyter_cache"
STAMP = repo_root() / "_build" / ".inputs-hash"
#: Sphinx's environment of each edition (scripts/build_edition.py)
DOCTREES = [repo_root() / "_build" / ".doctrees", repo_root() / "_build" / ".doctrees-zh"]


def main() -> None:
    current = inputs_fingerprint()
    previous = STAMP.read_text().strip() if STAMP.exists() else ""
    if current != previous:
        if CACHE.exists():
            print("src/, data/ or uv.lock changed since the last build: clearing the execution cache")
            shutil.rmtree(CACHE)
        for doctrees in DOCTREES:
            shutil.rmtree(doctrees, ignore_errors=True)
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(current + "\n")


if __name__ == "__main__":
    main()

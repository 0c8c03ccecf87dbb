"""Invalidate the Jupyter Book execution cache when code or data change.

jupyter-cache keys a notebook only on its code cells, so a change in ``src/`` or
``data/`` would be served stale.  This script hashes every file under ``src/``,
``data/`` plus ``uv.lock``; when the hash differs from the one recorded at the
last build it deletes ``_build/.jupyter_cache`` so that ``make book`` re-executes.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
STAMP = ROOT / "_build" / ".inputs-hash"


def inputs_hash() -> str:
    digest = hashlib.sha256()
    files = [ROOT / "uv.lock"]
    for folder in ("src", "data"):
        files += sorted(p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    current = inputs_hash()
    previous = STAMP.read_text().strip() if STAMP.exists() else ""
    if current != previous:
        if CACHE.exists():
            print("src/, data/ or uv.lock changed since the last build: clearing the execution cache")
            shutil.rmtree(CACHE)
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(current + "\n")


if __name__ == "__main__":
    main()

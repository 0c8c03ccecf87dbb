"""An on-disk cache for heavy results that cannot go stale.

Every cached result is keyed by :func:`inputs_fingerprint` — a hash of all the
package's code, everything under ``data/`` and ``uv.lock`` — plus the
parameters of the computation.  Any change to code, data or package versions
therefore produces a new key; an old entry is simply never read again.  Files
live under ``_build/cache/<kind>/`` (or ``$LEFTBEHIND_CACHE_DIR``) and are written atomically, so two
processes filling the same entry (the book build and nbval, say) cannot leave a
half-written file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leftbehind.core.paths import repo_root


def input_files(root: Path | None = None) -> list[Path]:
    """The files whose content decides every result: package code, ``data/`` and ``uv.lock``."""
    root = root or repo_root()
    files = [root / "uv.lock"] if (root / "uv.lock").exists() else []
    for folder in (Path(__file__).resolve().parents[1], root / "data"):  # the whole package, then data/
        files += sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def inputs_fingerprint(root: Path | None = None) -> str:
    """A SHA-256 over the names and bytes of :func:`input_files`."""
    root = root or repo_root()
    digest = hashlib.sha256()
    for path in input_files(root):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_root() -> Path:
    """``$LEFTBEHIND_CACHE_DIR`` if set (tests use a temporary folder), else ``_build/cache/``."""
    env = os.environ.get("LEFTBEHIND_CACHE_DIR")
    return Path(env) if env else repo_root() / "_build" / "cache"


def cache_path(kind: str, parameters: Any, suffix: str) -> Path:
    """Where the result of ``kind`` for these JSON-able ``parameters`` is stored."""
    key = hashlib.sha256(json.dumps([inputs_fingerprint(), parameters], sort_keys=True).encode()).hexdigest()[:24]
    return cache_root() / kind / f"{key}{suffix}"


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a unique temporary file beside ``path``, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(handle)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cached_pickle(kind: str, parameters: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, stored as a pickle under ``_build/cache/<kind>/`` (our own files only)."""
    path = cache_path(kind, parameters, ".pkl")
    if path.exists():
        with open(path, "rb") as handle:
            return pickle.load(handle)
    result = compute()
    write_atomically(path, lambda tmp: tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
    return result

"""Where the repository's data live.

The book is run from a clone with the package installed in editable mode, so the
data folder is found relative to this file.  ``LEFTBEHIND_ROOT`` overrides the
repository root (useful when the package is installed elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """The repository root: ``$LEFTBEHIND_ROOT`` if set, else the folder that holds ``src/``."""
    env = os.environ.get("LEFTBEHIND_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]  # src/leftbehind/core/paths.py


def data_dir() -> Path:
    """The ``data/`` folder."""
    return repo_root() / "data"


def published_dir() -> Path:
    """``data/published/``: numbers read in a source, each with its provenance."""
    return data_dir() / "published"

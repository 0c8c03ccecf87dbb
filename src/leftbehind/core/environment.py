"""The software environment: versions pinned in ``uv.lock`` and what is installed.

``uv.lock`` is the single source of exact versions.  ``environment.yml`` (for
conda users) is generated from it by :func:`render_environment_yml`; a test
fails if the committed file drifts from the lock.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd

from leftbehind.core.paths import repo_root

KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "jupytext",
    "nbval",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
)


def locked_versions(lock_path: Path | None = None) -> dict[str, str]:
    """Every third-party package and its exact version in ``uv.lock``."""
    lock = tomllib.loads((lock_path or repo_root() / "uv.lock").read_text())
    return {
        pkg["name"]: pkg["version"]
        for pkg in lock["package"]
        if "version" in pkg and pkg.get("source", {}).get("editable") is None
        and pkg.get("source", {}).get("virtual") is None
    }


def render_environment_yml(versions: dict[str, str]) -> str:
    """A conda ``environment.yml`` that pins exactly ``versions`` through pip."""
    lines = [
        "# Generated from uv.lock by `python scripts/write_environment_yml.py`; do not edit by hand.",
        "# A test (tests/core/test_environment.py) fails if this file drifts from the lock.",
        "name: leftbehind",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {name}=={versions[name]}" for name in sorted(versions)]
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def key_package_versions() -> pd.DataFrame:
    """The installed versions of the packages that shape the book's numbers and pages."""
    rows = [{"package": "python", "version": f"{sys.version_info.major}.{sys.version_info.minor}"}]
    rows += [{"package": name, "version": metadata.version(name)} for name in KEY_PACKAGES]
    return pd.DataFrame(rows).set_index("package")

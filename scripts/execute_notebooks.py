"""Re-execute the stored ``.ipynb`` twins of the book's MyST notebooks.

nbval compares a fresh run of each ``notebooks/*.ipynb`` with the outputs stored
in it, so the stored outputs must come from the current code.  This script reads
each ``notebooks/*.md`` with jupytext, executes it top to bottom in a fresh
kernel (working directory ``notebooks/``) and writes the executed twin beside it.

    python scripts/execute_notebooks.py                 # every notebook, two at a time
    python scripts/execute_notebooks.py notebooks/x.md  # just these

Each notebook runs in its own kernel, so running two at once (on a 2-core machine) changes nothing in the outputs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# outputs are written for both editions of the book (leftbehind.presentation.i18n), as `make` asks
os.environ.setdefault("LEFTBEHIND_EDITIONS", "en zh_CN")
NOTEBOOKS = ROOT / "notebooks"


def execute(md_path: Path, write: bool = True) -> float:
    """Execute one notebook (and write its twin unless ``write`` is false); return the seconds it took."""
    notebook = jupytext.read(md_path)
    notebook.metadata["jupytext"] = {"formats": "ipynb,md:myst"}
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"  # stable ids keep the twins' diffs small
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
    ).execute()
    elapsed = time.perf_counter() - start
    nbformat.validate(notebook)
    if write:
        jupytext.write(notebook, md_path.with_suffix(".ipynb"), fmt="ipynb")
    return elapsed


def _run(path: Path) -> tuple[Path, float]:
    return path, execute(path)


def main(argv: list[str]) -> int:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("*.md"))
    slow_first = sorted(paths, key=lambda p: p.stem != "robustness")
    print(f"executing {len(paths)} notebook(s), two at a time ...", flush=True)
    with ProcessPoolExecutor(max_workers=min(2, len(paths))) as pool:
        futures = [pool.submit(_run, path) for path in slow_first]
        for future in as_completed(futures):
            path, seconds = future.result()
            print(f"  {path.relative_to(ROOT)} done in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

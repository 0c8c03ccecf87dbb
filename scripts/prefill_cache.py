"""Execute the book's notebooks two at a time into Jupyter Book's execution cache, before Sphinx reads them.

Jupyter Book executes notebooks one after another while Sphinx reads the pages, so on a 2-core machine one core
idles through every kernel start-up and import.  This script registers every chapter in the same jupyter-cache
project Jupyter Book uses (``_build/.jupyter_cache``), read with myst-nb's own reader (so the cache keys are the
ones the build looks up), and executes the outdated ones in a pool of processes.  The build then finds every
notebook cached.  Each notebook runs in its own kernel and folder exactly as in a sequential build, so the outputs
are the same; a notebook that fails here is simply left to the build, which fails with the usual message.

    python scripts/prefill_cache.py            # what `make book` and `make book-fresh` run first
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# outputs are written for both editions of the book (leftbehind.presentation.i18n), as `make` asks
os.environ.setdefault("LEFTBEHIND_EDITIONS", "en zh_CN")
CACHE = ROOT / "_build" / ".jupyter_cache"
READER = {"type": "plugin", "name": "myst_nb_md"}  # the reader myst-nb registers for MyST notebooks
#: the slowest chapters start first, so the pool's two lanes finish close together
FIRST = ("robustness", "coping", "help_seeking", "risk_factors", "who_are_lbc", "what_if")


def chapters() -> list[Path]:
    found = sorted((ROOT / "notebooks").glob("*.md"))
    rank = {name: i for i, name in enumerate(FIRST)}
    return sorted(found, key=lambda p: (rank.get(p.stem, len(FIRST)), p.stem))


def chapters_stamp() -> str:
    """The chapters' names, sizes and modification times: unchanged since the cache was last found complete
    means there is nothing to look up (a no-op `make book` then skips importing jupyter-cache and myst-nb)."""
    return "\n".join(f"{p.name}|{p.stat().st_size}|{p.stat().st_mtime_ns}" for p in chapters())


STAMP = CACHE / "prefill.stamp"


def main() -> int:
    start = time.perf_counter()
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == chapters_stamp():
        print("prefill: every notebook is already cached (no chapter changed since)")
        return 0
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(str(CACHE))
    for path in chapters():
        cache.add_nb_to_project(str(path), read_data=READER)
    logger = logging.getLogger("prefill")
    logger.addHandler(logging.StreamHandler(sys.stdout))
    logger.setLevel(logging.WARNING)
    outdated = [r.uri for r in cache.list_unexecuted()]
    if not outdated:
        STAMP.write_text(chapters_stamp(), encoding="utf-8")
        print("prefill: every notebook is already cached")
        return 0
    print(f"prefill: executing {len(outdated)} notebook(s), two at a time ...", flush=True)
    executor = load_executor("local-parallel", cache=cache, logger=logger)
    result = executor.run_and_cache(filter_uris=outdated, timeout=600, allow_errors=False)
    seconds = time.perf_counter() - start
    failed = result.excepted + result.errored
    if not failed:
        STAMP.write_text(chapters_stamp(), encoding="utf-8")
    print(f"prefill: {len(result.succeeded)} executed in {seconds:.1f} s"
          + (f"; left to the build (it will report why): {', '.join(Path(u).stem for u in failed)}" if failed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

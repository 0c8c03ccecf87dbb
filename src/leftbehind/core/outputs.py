"""Atomic output folders: a run either writes all its files or none.

:func:`atomic_output_dir` hands the caller a fresh temporary folder *beside*
the target (same file system, so the final move is a rename).  When the block
finishes without an exception the files move into place; on any exception --
a bad file, a bug, Ctrl-C -- the temporary folder is removed and the target is
left exactly as it was.  :func:`write_text_atomically` does the same for one
file (the ``--json`` summary).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from leftbehind.core.errors import UserError


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise UserError(f"--out {target}: exists and is not a folder")


@contextlib.contextmanager
def atomic_output_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; move its files into ``target`` only on success.

    A new ``target`` appears in one rename.  An existing ``target`` keeps files the
    run does not produce; files with the same names are replaced one by one, each
    by an atomic rename, once every output has been written.  Missing parent folders
    are created and removed again if the run fails.
    """
    target = Path(target)
    _check_target(target)
    created = [p for p in reversed(target.parents) if not p.exists()]
    for parent in created:
        parent.mkdir()
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield tmp
        if not target.exists():
            os.replace(tmp, target)
        else:
            for item in sorted(tmp.rglob("*")):
                if item.is_file():
                    destination = target / item.relative_to(tmp)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(item, destination)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for parent in reversed(created):
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise
    else:
        shutil.rmtree(tmp, ignore_errors=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder (created if missing)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

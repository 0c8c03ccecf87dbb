"""Build language editions of the book, or the gettext message templates the Chinese edition translates.

    python scripts/build_edition.py en        # _build/html            (what `jupyter-book build .` does)
    python scripts/build_edition.py zh        # _build/html/zh         (Simplified Chinese, from book/locales)
    python scripts/build_edition.py gettext   # _build/gettext/*.pot   (the English messages, one file per page)
    python scripts/build_edition.py en zh     # both, side by side on two cores (what `make book` runs)

Several editions are built at the same time, each by its own process (Sphinx is not re-entrant), when the
machine has the cores; their output lines are prefixed with the edition.  The editions share no file they write
(each has its own output folder, doctrees and executed-notebook folder) and only read the execution cache, so
the result is the one a build after another gives.

An edition whose inputs and output are unchanged since its last successful build is not built again
(:func:`up_to_date`; ``LEFTBEHIND_FORCE_BUILD=1`` builds it anyway): a rebuild with nothing to do takes well under
a second instead of two Sphinx start-ups.

Both editions are built from the same sources by Jupyter Book's own Sphinx entry point with the same
``_config.yml``; the Chinese edition only overrides the language settings below.  Neither executes a notebook:
both read the execution cache that ``scripts/prefill_cache.py`` fills, so the two editions show the outputs of
one execution and therefore the same numbers.  Each edition keeps its own doctrees, so switching between them does
not force a full re-read.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# a notebook the cache lacks is executed by the build itself: for both editions, as `make` asks
os.environ.setdefault("LEFTBEHIND_EDITIONS", "en zh_CN")
LOCALES = ROOT / "book" / "locales"

#: what each target changes in the shared configuration
EDITIONS = {
    "en": {"out": "_build/html", "doctrees": "_build/.doctrees", "builder": "html", "config": {}},
    "zh": {
        "out": "_build/html/zh",
        "doctrees": "_build/.doctrees-zh",
        "builder": "html",
        "config": {
            "language": "zh_CN",
            "locale_dirs": [str(LOCALES)],
            "gettext_compact": False,
            "numfig_format": {"table": "表 %s", "figure": "图 %s"},
            "html_search_language": "zh",
            # jieba splits Chinese text into words for the search index; these terms stay whole words
            # (留守儿童 is found as 留守儿童 as well as 留守 and 儿童)
            "html_search_options": {"dict": str(LOCALES / "zh_CN" / "search_terms.txt")},
            # a paragraph whose English changed since it was translated is marked "untranslated" in the HTML,
            # so tests/test_editions.py finds it in the built page
            "translation_progress_classes": True,
            # myst-nb's buttons that fold a code cell
            "nb_code_prompt_show": "显示代码",
            "nb_code_prompt_hide": "隐藏代码",
        },
    },
    "gettext": {
        "out": "_build/gettext",
        "doctrees": "_build/.doctrees-gettext",
        "builder": "gettext",
        "config": {"gettext_compact": False, "gettext_uuid": False, "gettext_location": False,
                   "gettext_last_translator": "", "gettext_language_team": ""},
    },
}


#: the Chinese edition's own words for what the theme shows on every page
ZH_THEME = {
    "search_bar_text": "搜索本书……",
    "extra_footer": "代码采用 MIT 许可；文字采用 CC BY 4.0 许可。本网站不从其他主机加载任何内容。\n",
}
ZH_TITLE = "Left Behind：留守儿童的非自杀性自伤、求助与应对"
ZH_AUTHOR = "Left Behind 作者团队"
#: what `jupyter-book build` itself passes to Sphinx
#: (``-n``: nitpicky, as the Makefile's JB_FLAGS asked of `jupyter-book build`)
JB_OVERRIDES = {"external_toc_path": str(ROOT / "_toc.yml"), "latex_individualpages": False, "nitpicky": True}


def overrides(edition: str) -> dict:
    config = {**JB_OVERRIDES, **EDITIONS[edition]["config"]}
    if edition == "zh":
        from jupyter_book.config import get_final_config

        final, _ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config=dict(JB_OVERRIDES),
                                    sourcedir=ROOT, use_external_toc=True)
        config["html_theme_options"] = {**final["html_theme_options"], **ZH_THEME}
        config["html_title"] = ZH_TITLE
        config["author"] = ZH_AUTHOR
    return config


#: editions whose build is skipped when nothing it reads has changed since its last successful build
STAMPED = ("en", "zh")
STAMPS = ROOT / "_build" / ".stamps"
#: what a build does not read: build products, environments, caches, version control, the tests and benchmarks
NOT_INPUTS = {"_build", ".venv", ".tools", ".git", ".hypothesis", ".pytest_cache", "tests", "benchmarks"}


def _listing(folder: Path, skip: Path | None = None):
    """``(relative path, size, mtime in ns)`` of every file under ``folder`` (not under ``skip``), sorted."""
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and (skip is None or skip not in path.parents):
            stat = path.stat()
            found.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return found


def _contents(digest, paths) -> None:
    """Add each file's path (relative to the repository) and contents to ``digest``, in the order given."""
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_fingerprint(edition: str) -> str:
    """A hash of everything an edition's build reads: the repository's files (contents), the execution cache's
    executed notebooks (listing), the edition's settings, the Python and the editions asked for
    (``LEFTBEHIND_EDITIONS``).

    Deliberately wide (a change to the README rebuilds too); what matters is that nothing the build reads is left
    out.  The installed packages are covered by ``uv.lock`` and the Python version."""
    digest = hashlib.sha256()
    digest.update(json.dumps([edition, sys.version, os.environ.get("LEFTBEHIND_EDITIONS", ""),
                              EDITIONS[edition]["config"], ZH_THEME, ZH_TITLE, ZH_AUTHOR, JB_OVERRIDES],
                             sort_keys=True, default=str).encode())
    for top in sorted(ROOT.iterdir()):
        if top.name not in NOT_INPUTS:
            _contents(digest, [top] if top.is_file() else sorted(top.rglob("*")))
    # the executed notebooks, one folder per content hash; not the database beside them, which reading the cache
    # rewrites (a cold build would otherwise always be followed by one more)
    digest.update(json.dumps(_listing(ROOT / "_build" / ".jupyter_cache" / "executed")).encode())
    return digest.hexdigest()


def outputs_fingerprint(edition: str) -> str:
    """A hash of the listing of an edition's output folder (another edition's folder inside it left out)."""
    out = ROOT / EDITIONS[edition]["out"]
    inner = [ROOT / EDITIONS[other]["out"] for other in EDITIONS if other != edition]
    skip = next((folder for folder in inner if out in folder.parents), None)
    return hashlib.sha256(json.dumps(_listing(out, skip)).encode()).hexdigest()


def static_fingerprint() -> str:
    """A hash of the site's own static files (``book/_static``: styles and scripts)."""
    digest = hashlib.sha256()
    _contents(digest, sorted((ROOT / "book" / "_static").rglob("*")))
    return digest.hexdigest()


def up_to_date(edition: str) -> bool:
    """True when the edition's last build succeeded, nothing it reads has changed and its output is untouched."""
    if edition not in STAMPED or os.environ.get("LEFTBEHIND_FORCE_BUILD"):
        return False
    stamp = STAMPS / f"{edition}.json"
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return recorded == {"inputs": inputs_fingerprint(edition), "outputs": outputs_fingerprint(edition)}


def build(edition: str) -> int:
    """Build one edition, unless it is up to date (:func:`up_to_date`); 0 on success."""
    if up_to_date(edition):
        print(f"The {edition} edition is up to date: nothing it reads has changed since its last build "
              f"({EDITIONS[edition]['out']}; LEFTBEHIND_FORCE_BUILD=1 builds it anyway).", flush=True)
        return 0
    stamp = STAMPS / f"{edition}.json"
    stamp.unlink(missing_ok=True)  # an interrupted or failed build is never taken for an up-to-date one
    inputs = inputs_fingerprint(edition) if edition in STAMPED else None  # before the build reads them
    # Sphinx copies static files only when it writes some page, and a page links them with a checksum: when a style
    # or script changed since the last successful build, every page is written again (the doctrees are kept)
    static = STAMPS / f"{edition}.static"
    styles = static_fingerprint()
    recorded = static.read_text() if static.is_file() else None
    status = _sphinx(edition, force_all=(ROOT / EDITIONS[edition]["out"]).is_dir() and recorded != styles)
    if status == 0:
        STAMPS.mkdir(parents=True, exist_ok=True)
        static.write_text(styles)
        if inputs is not None:
            stamp.write_text(json.dumps({"inputs": inputs, "outputs": outputs_fingerprint(edition)}))
    return status


def _sphinx(edition: str, force_all: bool = False) -> int:
    from jupyter_book.sphinx import build_sphinx

    spec = EDITIONS[edition]
    result = build_sphinx(
        str(ROOT),
        str(ROOT / spec["out"]),
        doctreedir=str(ROOT / spec["doctrees"]),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=overrides(edition),
        builder=spec["builder"],
        force_all=force_all,
        warningiserror=True,
        keep_going=True,
    )
    if isinstance(result, Exception):
        print(f"build_edition: the {edition} build failed: {result}", file=sys.stderr)
        return 1
    return int(result or 0)


def build_side_by_side(editions: list[str]) -> int:
    """Build ``editions`` in parallel processes (as many at a time as there are cores); 0 if all succeeded."""
    import subprocess
    import threading

    def relay(edition: str, stream) -> None:
        for line in stream:
            print(f"[{edition}] {line}", end="", flush=True)

    failed = []
    at_once = max(1, min(len(editions), os.cpu_count() or 1))
    for start in range(0, len(editions), at_once):
        running = []
        for edition in editions[start:start + at_once]:
            process = subprocess.Popen([sys.executable, __file__, edition], stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True, cwd=ROOT)
            relay_thread = threading.Thread(target=relay, args=(edition, process.stdout))
            relay_thread.start()
            running.append((edition, process, relay_thread))
        for edition, process, relay_thread in running:
            if process.wait():
                failed.append(edition)
            relay_thread.join()
    if failed:
        print(f"build_edition: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if not argv or any(edition not in EDITIONS for edition in argv) or len(set(argv)) != len(argv):
        print(f"usage: python scripts/build_edition.py {{{'|'.join(EDITIONS)}}} [...]", file=sys.stderr)
        return 2
    return build(argv[0]) if len(argv) == 1 else build_side_by_side(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

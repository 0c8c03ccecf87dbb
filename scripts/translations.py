"""Keep the Chinese edition's message catalogues in step with the English book.

    python scripts/translations.py update        # new English messages into every catalogue (make translations)
    python scripts/translations.py check [PO…]   # untranslated, fuzzy or unfaithful messages; exit 1 if any
    python scripts/translations.py status        # translated / total per catalogue

``update`` extracts the English messages of every page (Sphinx's gettext builder, ``_build/gettext``), merges
them into ``book/locales/zh_CN/LC_MESSAGES/<page>.po`` with ``sphinx-intl`` (a changed English message becomes an
untranslated or fuzzy one there), fills a message that another page already translated identically (the content
note, the crisis lines), and adds to ``data/locales/zh_CN/outputs/<page>.po`` every output string the last Chinese
build could not translate (``_build/html/zh/untranslated.json``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from leftbehind.presentation.i18n import message_problems, outputs_catalogue_dir, outputs_catalogues  # noqa: E402

LANGUAGE = "zh_CN"
PAGES = ROOT / "book" / "locales" / LANGUAGE / "LC_MESSAGES"
UNTRANSLATED = ROOT / "_build" / "html" / "zh" / "untranslated.json"


def catalogues() -> list[Path]:
    return sorted(PAGES.rglob("*.po")) + outputs_catalogues(LANGUAGE)


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False)


def fill_from_memory() -> int:
    """Fill empty messages that another catalogue translated (same English text); return how many."""
    memory: dict[str, str] = {}
    for path in catalogues():
        if path.exists():
            for message in _read(path):
                if message.id and message.string and not message.fuzzy:
                    memory.setdefault(message.id, message.string)
    filled = 0
    for path in catalogues():
        if not path.exists():
            continue
        catalog = _read(path)
        changed = False
        for message in catalog:
            if message.id and not message.string and message.id in memory:
                message.string = memory[message.id]
                filled += 1
                changed = True
        if changed:
            _write(path, catalog)
    return filled


def add_untranslated_outputs() -> int:
    """Add each output string the last Chinese build showed in English to the catalogue of its page."""
    if not UNTRANSLATED.exists():
        return 0
    wanted = json.loads(UNTRANSLATED.read_text(encoding="utf-8"))
    added = 0
    for page, msgids in sorted(wanted.items()):
        path = outputs_catalogue_dir(LANGUAGE) / f"{Path(page).name}.po"
        catalog = _read(path) if path.exists() else Catalog(locale=LANGUAGE, project="Left Behind",
                                                            fuzzy=False)
        for msgid in msgids:
            if catalog.get(msgid) is None:
                catalog.add(msgid, "", auto_comments=[f"shown on {page}"])
                added += 1
        _write(path, catalog)
    return added


def update() -> int:
    status = subprocess.call([sys.executable, str(ROOT / "scripts" / "build_edition.py"), "gettext"])
    if status:
        return status
    status = subprocess.call([str(Path(sys.executable).with_name("sphinx-intl")), "update", "-p",
                              str(ROOT / "_build" / "gettext"), "-l", LANGUAGE, "-d", str(ROOT / "book" / "locales"),
                              "-w", "0"])
    if status:
        return status
    for stray in (PAGES / "_static").rglob("*.po") if (PAGES / "_static").exists() else []:
        stray.unlink()
    print(f"filled {fill_from_memory()} message(s) from identical translations elsewhere")
    print(f"added {add_untranslated_outputs()} output string(s) to {outputs_catalogue_dir(LANGUAGE).relative_to(ROOT)}/")
    return 0


def problems(path: Path) -> list[str]:
    found = []
    for message in _read(path):
        if not message.id:
            continue
        where = f"{path.relative_to(ROOT)}:{message.lineno}"
        if message.fuzzy:
            found.append(f"{where}: fuzzy (the English changed; check the translation and remove the flag)")
            continue
        for problem in message_problems(str(message.id), str(message.string or "")):
            found.append(f"{where}: {problem}: {str(message.id)[:70]!r}")
    return found


def check(paths: list[str]) -> int:
    chosen = [Path(p).resolve() for p in paths] or [p for p in catalogues() if p.exists()]
    found = [line for path in chosen for line in problems(path)]
    for line in found:
        print(line)
    print(f"{len(found)} problem(s) in {len(chosen)} catalogue(s)")
    return 1 if found else 0


def status() -> int:
    for path in catalogues():
        if not path.exists():
            print(f"{path.relative_to(ROOT)}: missing")
            continue
        messages = [m for m in _read(path) if m.id]
        done = sum(1 for m in messages if m.string and not m.fuzzy)
        print(f"{done:5d} / {len(messages):5d}  {path.relative_to(ROOT)}")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "check", "status"):
        print(__doc__)
        return 2
    if argv[0] == "update":
        return update()
    if argv[0] == "check":
        return check(argv[1:])
    return status()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The numbers manifest: every number the built book shows, and the reviewer's comparison of two builds.

The build (``book/_ext/numbers_manifest.py``) writes ``_build/html/numbers.json``.  One entry per number a reader
sees, from three places in each executed chapter:

- **glue** — each ``{glue:text}`key:spec``` role in the chapter's prose, formatted exactly as myst-nb formats it;
  the tier (and, for published numbers, the source) comes from :class:`leftbehind.presentation.glue.Page`;
- **tables** — every cell containing a digit in an HTML table the chapter displays (key ``table-N[row | column]``);
- **figures** — every number in a figure's alt text (key ``figure-N#i``).

Tables and figures take the page's default tier.  :func:`compare` lists every number whose shown text differs
between two manifests (another machine, another environment, a newer lock).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from leftbehind.presentation.glue import METADATA_KEY, ROLE, TIERS
from leftbehind.presentation.i18n import SHOWN_NUMBER

FORMAT_VERSION = 1
#: a number in an alt text or a table cell, in either edition (one definition: leftbehind.presentation.i18n)
NUMBER = SHOWN_NUMBER
HAS_DIGIT = re.compile(r"\d")
#: an output without these characters has no table (or image) to parse (most outputs: parsing is the slow part)
TABLE_TAG = re.compile(r"<table", re.IGNORECASE)
IMAGE_TAG = re.compile(r"<img", re.IGNORECASE)


def format_plain_text(text: str, spec: str) -> str:
    """Format a glued ``text/plain`` value as myst-nb's ``{glue:text}`` role does."""
    from myst_nb.core.variables import format_plain_text as myst_format

    return myst_format(text, spec)


def glue_roles(markdown: str) -> list[tuple[str, str]]:
    """``(key, spec)`` for every glue role in ``markdown``, in order, without repeats."""
    seen: list[tuple[str, str]] = []
    for match in ROLE.finditer(markdown):
        content = match.group(1).split("::")[-1]
        key, _, spec = content.partition(":")
        pair = (key.strip(), spec.strip())
        if pair not in seen:
            seen.append(pair)
    return seen


def page_tier(glue_data: dict) -> str:
    """The page's default tier, as its :class:`Page` recorded it (``derived`` when the page glues nothing)."""
    for output in glue_data.values():
        tier = output.get("metadata", {}).get(METADATA_KEY, {}).get("page_tier")
        if tier:
            return tier
    return "derived"


def glue_entries(page: str, markdown: str, glue_data: dict) -> list[dict]:
    """One entry per (key, format) shown in the prose whose text contains a digit."""
    entries = []
    for key, spec in glue_roles(markdown):
        output = glue_data.get(key)
        if output is None:
            entries.append({"page": page, "key": key, "kind": "glue", "shown": None, "tier": None,
                            "problem": "no glued value with this key"})
            continue
        text = output["data"].get("text/plain", "")
        shown = format_plain_text(text, spec)
        if not HAS_DIGIT.search(shown):
            continue
        meta = output.get("metadata", {}).get(METADATA_KEY, {})
        entry = {"page": page, "key": key if not spec else f"{key}:{spec}", "kind": "glue", "shown": shown,
                 "tier": meta.get("tier")}
        if meta.get("source"):
            entry["source"] = meta["source"]
        entries.append(entry)
    return entries


def _cell_text(cell) -> str:
    return " ".join(cell.get_text(" ", strip=True).split())


def table_entries(page: str, html_outputs: list[str], tier: str) -> list[dict]:
    """One entry per table cell with a digit, in every ``<table>`` of the page's HTML outputs."""
    from bs4 import BeautifulSoup

    entries = []
    number = 0
    for html in html_outputs:
        if not TABLE_TAG.search(html):
            continue
        soup = BeautifulSoup(html, "html.parser")
        for table in soup.find_all("table"):
            number += 1
            header_rows = table.find("thead").find_all("tr") if table.find("thead") else []
            columns = [_cell_text(c) for c in header_rows[0].find_all(["th", "td"])] if header_rows else []
            body = table.find("tbody") or table
            for row_index, row in enumerate(body.find_all("tr"), start=1):
                cells = row.find_all(["th", "td"])
                row_label = _cell_text(cells[0]) if cells and cells[0].name == "th" else str(row_index)
                for col_index, cell in enumerate(cells):
                    text = _cell_text(cell)
                    if cell.name == "th" or not HAS_DIGIT.search(text):
                        continue
                    column = columns[col_index] if col_index < len(columns) and columns[col_index] else str(col_index)
                    entries.append({"page": page, "key": f"table-{number}[{row_label} | {column}]",
                                    "kind": "table", "shown": text, "tier": tier})
    return entries


def figure_entries(page: str, html_outputs: list[str], tier: str) -> list[dict]:
    """One entry per number in the alt text of every figure among the page's HTML outputs."""
    from bs4 import BeautifulSoup

    entries = []
    number = 0
    for html in html_outputs:
        if not IMAGE_TAG.search(html):
            continue
        for image in BeautifulSoup(html, "html.parser").find_all("img"):
            number += 1
            for index, match in enumerate(NUMBER.finditer(image.get("alt", "")), start=1):
                entries.append({"page": page, "key": f"figure-{number}#{index}", "kind": "figure",
                                "shown": match.group(0), "tier": tier})
    return entries


def html_outputs(notebook: dict, language: str | None = None) -> list[str]:
    """The ``text/html`` of every displayed output, in page order (glue records are not displayed), as the
    edition in ``language`` shows it (English by default; see :mod:`leftbehind.presentation.i18n`)."""
    from leftbehind.presentation.i18n import choose_edition

    found = []
    for cell in notebook.get("cells", []):
        if "remove-output" in cell.get("metadata", {}).get("tags", []) or \
                "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                found.append(choose_edition("".join(html) if isinstance(html, list) else html, language)[0])
    return found


def _as_shown_in(english: list[dict], translated: list[dict]) -> list[dict]:
    """The English entries of one kind with the values the translated edition shows.

    Tables: cell by cell in page order (a translation changes a table's words, never which cells hold numbers, nor
    the numbers in them, though it may reorder them: "8 of 9" is "9 项中的 8 项").
    Figures: a translated alt text may order its numbers differently, so per figure the numbers are matched as a
    multiset.  Where the editions disagree the translated entries are returned as they are, so a comparison of
    the two manifests shows the difference.
    """
    def group(entries):
        grouped: dict[str, list[dict]] = {}
        for entry in entries:
            grouped.setdefault(re.split(r"[\[#]", entry["key"], maxsplit=1)[0], []).append(entry)
        return grouped

    ours, theirs = group(english), group(translated)
    result = []
    for name in list(ours) + [n for n in theirs if n not in ours]:
        a, b = ours.get(name, []), theirs.get(name, [])
        same = len(a) == len(b) and (
            [sorted(NUMBER.findall(e["shown"])) for e in a] == [sorted(NUMBER.findall(e["shown"])) for e in b]
            if a and a[0]["kind"] == "table"
            else sorted(e["shown"] for e in a) == sorted(e["shown"] for e in b))
        if same and a and a[0]["kind"] == "table":
            result.extend({**e, "shown": t["shown"]} for e, t in zip(a, b))
        elif same:
            result.extend(a)
        else:
            result.extend(b)
    return result


def page_entries(page: str, markdown: str, notebook: dict, glue_data: dict, language: str | None = None) -> list[dict]:
    """Every number one executed chapter shows (in the edition in ``language``; the same keys in both)."""
    tier = page_tier(glue_data)
    outputs = html_outputs(notebook)
    tables, figures = table_entries(page, outputs, tier), figure_entries(page, outputs, tier)
    if language and not language.startswith("en"):
        shown = html_outputs(notebook, language)
        tables = _as_shown_in(tables, table_entries(page, shown, tier))
        figures = _as_shown_in(figures, figure_entries(page, shown, tier))
    return glue_entries(page, markdown, glue_data) + tables + figures


def has_outputs(notebook: dict) -> bool:
    return any(cell.get("outputs") for cell in notebook.get("cells", []))


def cached_outputs(notebook: dict, cache_path: Path | None) -> dict:
    """The notebook with its outputs from Jupyter Book's execution cache.

    When the build takes a chapter from the cache, myst-nb writes the notebook to ``jupyter_execute`` without its
    outputs; the cache, keyed by the same code, still has them.
    """
    if cache_path is None or not Path(cache_path).is_dir():
        return notebook
    import nbformat
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(str(cache_path)).merge_match_into_notebook(nbformat.from_dict(notebook))
    except KeyError:  # not in the cache
        return notebook
    return json.loads(nbformat.writes(merged))


def build(docs: list[tuple[str, str, Path]], executed: Path, cache_path: Path | None = None,
          language: str | None = None) -> dict:
    """The manifest for ``docs``: ``(docname, page path, source file)`` of each executed chapter.

    ``executed`` is the folder where myst-nb writes executed notebooks and their ``.glue.json``; ``cache_path`` is
    Jupyter Book's execution cache, read for the outputs of chapters the build took from it. ``language`` is the
    edition (``None``: English).
    """
    numbers = []
    for docname, page, source in docs:
        ipynb = executed / f"{docname}.ipynb"
        if not ipynb.is_file():
            continue
        glue_file = executed / f"{docname}.glue.json"
        glue_data = json.loads(glue_file.read_text(encoding="utf-8")) if glue_file.is_file() else {}
        notebook = json.loads(ipynb.read_text(encoding="utf-8"))
        if not has_outputs(notebook):
            notebook = cached_outputs(notebook, cache_path)
        numbers.extend(page_entries(page, source.read_text(encoding="utf-8"), notebook, glue_data, language))
    return {"format_version": FORMAT_VERSION, "tiers": list(TIERS), "numbers": numbers}


class ManifestError(ValueError):
    """A manifest file cannot be read."""


def load(path: Path) -> dict:
    """Read a manifest, with a clear message naming the file when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such file (build the book with `make book` to write _build/html/numbers.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(f"{path}: not a numbers manifest ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("numbers"), list):
        raise ManifestError(f"{path}: not a numbers manifest (no 'numbers' list)")
    return data


@dataclass(frozen=True)
class Difference:
    page: str
    key: str
    ours: str | None
    theirs: str | None

    def describe(self) -> str:
        ours = "(absent)" if self.ours is None else self.ours
        theirs = "(absent)" if self.theirs is None else self.theirs
        return f"{self.page}  {self.key}:  this build {ours}  |  other build {theirs}"


def compare(ours: dict, theirs: dict) -> list[Difference]:
    """Every (page, key) whose shown text differs between two manifests, or that only one of them has."""
    def index(manifest):
        return {(e["page"], e["key"]): e.get("shown") for e in manifest["numbers"]}

    a, b = index(ours), index(theirs)
    differences = []
    for page_key in sorted(set(a) | set(b)):
        if a.get(page_key, None) != b.get(page_key, None) or (page_key in a) != (page_key in b):
            differences.append(Difference(page_key[0], page_key[1], a.get(page_key), b.get(page_key)))
    return differences

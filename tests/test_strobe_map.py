"""The STROBE map (book/strobe_map.md) covers every checklist item and points somewhere real.

Each STROBE cross-sectional item must have a row, and each row must either point
to a chapter of this book with ``{ref}`` or say plainly "not reported in the
source".  Only the chapter labels the book guarantees may be referenced.
"""

import re
from pathlib import Path

import pytest

from conftest import ROOT

PAGE = ROOT / "book" / "strobe_map.md"
FACTS = ROOT.parent / "shared" / "facts" / "strobe_cross_sectional.md"  # beside the clone, here and in CI

#: the item column of the STROBE facts sheet (strobe_cross_sectional.md), as printed there
FACT_ITEMS = ["1a/b", "2", "3", "4", "5", "6a", "7", "8*", "9", "10", "11", "12a–e", "13*", "14*", "15*", "16a–c",
              "17", "18", "19", "20", "21", "22"]
#: chapter labels the book guarantees to exist (the chapters table shared by all helpers)
CHAPTER_LABELS = {
    "how-to-use", "study-at-a-glance", "published-record", "auditing-the-numbers", "questionnaire-and-data",
    "cleaning-and-flow", "who-are-lbc", "help-seeking", "coping", "risk-factors", "where-does-it-sit", "how-many-lbc",
    "own-words", "evidence-to-action", "understanding-nssi", "strobe-map", "glossary", "references", "status",
}
NOT_REPORTED = "not reported in the source"


def expand(item: str) -> list[str]:
    """'12a–e' → 12a…12e; '1a/b' → 1a, 1b; '8*' → 8."""
    item = item.rstrip("*")
    if m := re.fullmatch(r"(\d+)([a-z])[–-]([a-z])", item):
        return [f"{m[1]}{chr(c)}" for c in range(ord(m[2]), ord(m[3]) + 1)]
    if m := re.fullmatch(r"(\d+)([a-z])/([a-z])", item):
        return [f"{m[1]}{m[2]}", f"{m[1]}{m[3]}"]
    return [item]


EXPECTED = [i for item in FACT_ITEMS for i in expand(item)]


def rows() -> dict[str, str]:
    """The map's table rows keyed by item number (asterisks and escapes removed)."""
    out = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(r"\d+[a-e]?(\\\*)?", cells[0]):
            key = cells[0].replace("\\*", "")
            assert key not in out, f"item {key} appears twice"
            out[key] = line
    return out


def test_expansion_of_item_ranges():
    assert expand("12a–e") == ["12a", "12b", "12c", "12d", "12e"]
    assert expand("1a/b") == ["1a", "1b"]
    assert expand("13*") == ["13"]
    assert len(EXPECTED) == 29


def test_item_list_matches_the_facts_sheet():
    if not FACTS.exists():
        pytest.skip("shared facts sheet not present outside the project workspace")
    printed = re.findall(r"^\| (\d+[a-z]?(?:/[a-z]|[–-][a-z])?\*?) \|", FACTS.read_text(encoding="utf-8"), re.MULTILINE)
    assert printed == FACT_ITEMS


def test_every_item_has_exactly_one_row_in_checklist_order():
    assert list(rows()) == EXPECTED


@pytest.mark.parametrize("item", EXPECTED)
def test_each_row_points_to_a_chapter_or_says_not_reported(item):
    line = rows()[item]
    labels = re.findall(r"\{ref\}`([^`]+)`", line)
    assert labels or NOT_REPORTED in line.lower(), f"item {item}: no {{ref}} and no '{NOT_REPORTED}'"
    unknown = [label for label in labels if label not in CHAPTER_LABELS]
    assert not unknown, f"item {item} references labels that are not book chapters: {unknown}"


@pytest.mark.parametrize("item", ["10", "12c", "12d", "12e", "14", "22"])
def test_known_gaps_in_the_source_are_declared(item):
    assert NOT_REPORTED in rows()[item].lower()


def test_the_page_carries_its_label_and_the_content_note_twice():
    text = PAGE.read_text(encoding="utf-8")
    assert text.startswith("(strobe-map)=\n# STROBE map")
    assert text.count("```{include} _snippets/content_note.md") == 2

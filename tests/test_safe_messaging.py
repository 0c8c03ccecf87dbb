"""Safe messaging is checked, not remembered.

Every page that mentions self-harm, self-injury, NSSI or suicide carries the
shared content note (calm wording, crisis lines, national numbers first) near
the top and again at the end: in the sources, and in the built HTML.
"""

import csv
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, toc_documents

SENSITIVE = re.compile(r"self[- ]harm|self[- ]injur|\bnssi\b|suicid|自伤|自我伤害|自杀", re.IGNORECASE)
SNIPPET = ROOT / "book" / "_snippets" / "content_note.md"
INCLUDE = re.compile(r"```\{include\}\s+\S*_snippets/content_note\.md\s*\n```")
# Words that must not appear on public pages (stigmatising or sensationalising; safe_messaging.md).
FORBIDDEN = re.compile(r"attention[- ]seeking|manipulative|\bcutters?\b|epidemic|skyrocket", re.IGNORECASE)


def source_pages() -> list[Path]:
    pages = []
    for doc in toc_documents():
        path = ROOT / f"{doc}.md"
        assert path.exists(), f"{doc} in _toc.yml has no .md source"
        pages.append(path)
    return pages


def crisis_lines() -> list[dict]:
    with open(ROOT / "data" / "published" / "crisis_lines.csv", encoding="utf-8") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: int(row["order"]))


def test_content_note_lists_every_crisis_line_with_national_numbers_first():
    text = SNIPPET.read_text(encoding="utf-8")
    elsewhere = text.index("**Elsewhere:**")
    for line in crisis_lines():
        assert f"**{line['number']}**" in text, f"{line['line']} ({line['number']}) missing from the content note"
        if line["region"] == "China" and not line["line"].startswith("Emergency"):
            assert text.index(f"**{line['number']}**") < elsewhere, f"{line['number']} must come before other countries"
    assert text.index("**12356**") < text.index("**12355**") < elsewhere


def test_every_number_in_the_content_note_is_a_tap_to_call_link():
    text = SNIPPET.read_text(encoding="utf-8")
    bold = re.findall(r"\*\*([0-9][0-9 -]*[0-9])\*\*", text)
    assert bold, "no numbers found in the content note"
    for number in bold:
        digits = re.sub(r"\D", "", number)
        assert f"[**{number}**](tel:{digits})" in text, f"{number} is not a tel: link to {digits}"


def test_content_note_is_calm_and_says_help_works():
    text = SNIPPET.read_text(encoding="utf-8").lower()
    assert ":class: tip content-note" in text
    assert "help works" in text
    assert not FORBIDDEN.search(text)
    assert "warning" not in text and "danger" not in text.split("immediate danger")[0]


@pytest.mark.parametrize("page", source_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_sensitive_source_pages_include_the_note_at_top_and_end(page: Path):
    text = page.read_text(encoding="utf-8")
    body = INCLUDE.sub("", text)
    assert not FORBIDDEN.search(body), f"{page.name}: stigmatising or sensational wording"
    if not SENSITIVE.search(body):
        return
    includes = list(INCLUDE.finditer(text))
    assert len(includes) >= 2, f"{page.name} mentions self-harm but does not include the content note twice"
    first_heading = re.search(r"^## ", text, re.MULTILINE)
    assert first_heading is None or includes[0].start() < first_heading.start(), (
        f"{page.name}: the content note must come before the first section"
    )
    assert text[includes[-1].end():].strip() == "", f"{page.name}: the content note must be the last thing on the page"


@pytest.mark.site
@pytest.mark.parametrize("edition", ["en", "zh"])
def test_every_built_page_that_mentions_self_harm_carries_the_note(site, edition):
    """Both editions: the Chinese one carries the translated note, with the same tap-to-call numbers."""
    site = site if edition == "en" else site / "zh"
    checked = 0
    for doc in toc_documents():
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        notes = article.select("div.content-note")
        for note in notes:
            note.extract()
        if not SENSITIVE.search(article.get_text(" ")):
            continue
        checked += 1
        soup = BeautifulSoup((site / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        order = {id(el): i for i, el in enumerate(article.descendants)}
        notes = article.select("div.content-note")
        assert len(notes) >= 2, f"{doc}: mentions self-harm but has {len(notes)} content note(s)"
        first, last = order[id(notes[0])], order[id(notes[-1])]
        headings = article.select("h2")
        assert not headings or first < order[id(headings[0])], f"{doc}: first content note is not near the top"
        blocks = [
            el for el in article.select("p, table, figure, img, li, h2, h3, div.cell")
            if not el.find_parent("div", class_="content-note")
        ]
        trailing = [el for el in blocks if order[id(el)] > last]
        assert not trailing, f"{doc}: content after the final content note: {trailing[0].get_text()[:80]!r}"
        assert "12356" in notes[0].get_text() and "12356" in notes[-1].get_text()
        for note in (notes[0], notes[-1]):
            links = {a.get("href") for a in note.select("a[href^='tel:']")}
            assert {"tel:12356", "tel:12355"} <= links, f"{edition} {doc}: crisis numbers are not tap-to-call links"
    assert checked >= 1


SYNTHETIC_USE = re.compile(r"synthetic_analysis\(|simulate_raw\(|leftbehind simulate|WhatIf\(")
SYNTHETIC_INCLUDE = re.compile(r"```\{include\}\s+\S*_snippets/synthetic_note\.md\s*\n```")


@pytest.mark.parametrize("page", source_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_that_use_the_synthetic_cohort_say_so_near_the_top(page: Path):
    """Honesty rule: synthetic pupils are never presented as real children."""
    text = page.read_text(encoding="utf-8")
    if not SYNTHETIC_USE.search(text):
        return
    include = SYNTHETIC_INCLUDE.search(text)
    assert include, f"{page.name} uses the synthetic cohort but lacks the synthetic-data note"
    first_heading = re.search(r"^## ", text, re.MULTILINE)
    assert first_heading is None or include.start() < first_heading.start(), f"{page.name}: note must precede sections"


@pytest.mark.parametrize("page", source_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_synthetic_note_appears_only_where_the_synthetic_cohort_is_analysed(page: Path):
    """The note says "the pupils analysed on this page are a synthetic cohort": false on a page that analyses none."""
    text = page.read_text(encoding="utf-8")
    if SYNTHETIC_INCLUDE.search(text):
        assert SYNTHETIC_USE.search(text), f"{page.name} carries the synthetic-data note but analyses no synthetic pupils"


def test_synthetic_note_says_plainly_these_are_not_real_children():
    text = (ROOT / "book" / "_snippets" / "synthetic_note.md").read_text(encoding="utf-8")
    assert "not real children" in text and "synthetic-note" in text

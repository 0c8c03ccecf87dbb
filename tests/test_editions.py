"""The Chinese edition (``_build/html/zh``): complete, in Chinese, linked to the English one, same numbers.

Checks of the built site (``make book`` builds both editions); the browser checks of both editions are in
``test_browser.py``.
"""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import toc_documents
from leftbehind.presentation.manifest import NUMBER

pytestmark = pytest.mark.site

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: what a reader sees that is not prose to translate: code, maths, citations and bibliography entries, the
#: numbers manifest's keys, and the language switch (which names the other edition in its own language)
NOT_PROSE = ("pre", "code", "script", "style", "math", ".math", "mjx-container", ".bibtex", "cite", ".citation",
             "span.cite", "a.reference.internal > span.std-ref", "nav.lb-language-switch", "div.highlight",
             "table.lb-numbers td:first-child", "dl.citation", "div.docutils.container[id^='id']",
             ".cell_input", "a[href^='http']")
#: the share of a page's visible words (a Chinese character counts as one, an English word as one) that may be
#: English: names, abbreviations (NSSI, LBC, OR, CI), author names and untranslatable identifiers stay Latin
MAX_ENGLISH_SHARE = 0.35


def zh(site: Path) -> Path:
    path = site / "zh"
    if not (path / "book" / "index.html").exists():
        pytest.fail(f"No Chinese edition at {path}: run `make book` (it builds both editions).")
    return path


def article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.bd-article") or soup


IDENTIFIER = re.compile(r"\S*[_/]\S*")  # a file name, a path or a variable name reads the same in both editions


def visible_words(node) -> tuple[int, int]:
    """(Chinese characters, English words) of the prose a reader sees in ``node``."""
    for selector in NOT_PROSE:
        for element in node.select(selector):
            element.decompose()
    text = IDENTIFIER.sub(" ", node.get_text(" "))
    return len(CJK.findall(text)), len(LATIN_WORD.findall(text))


def test_the_english_site_does_not_publish_the_chinese_builds_executed_notebooks(site):
    # myst-nb would write them to _build/html/jupyter_execute, beside _build/html/zh (book/_ext/editions.py)
    assert not (site / "jupyter_execute").exists()
    assert (site.parent / "jupyter_execute-zh_CN" / "notebooks").is_dir()


def test_every_page_has_a_chinese_edition(site):
    missing = [doc for doc in toc_documents() if not (zh(site) / f"{doc}.html").exists()]
    assert not missing


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_every_page_links_to_the_same_page_in_the_other_edition(site, edition):
    root = site if edition == "en" else zh(site)
    other_root = zh(site) if edition == "en" else site
    problems = []
    for doc in toc_documents():
        page = root / f"{doc}.html"
        switch = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
            "nav.lb-language-switch a[hreflang]")
        if switch is None:
            problems.append(f"{edition} {doc}: no language switch")
            continue
        target = (page.parent / switch["href"]).resolve()
        if target != (other_root / f"{doc}.html").resolve():
            problems.append(f"{edition} {doc}: the switch goes to {switch['href']}")
    assert not problems, "\n".join(problems)


def test_chinese_pages_say_they_are_chinese(site):
    for doc in toc_documents():
        soup = BeautifulSoup((zh(site) / f"{doc}.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.html.get("lang", "").lower().startswith("zh"), doc


def test_no_output_was_left_in_english(site):
    """Every table header and text cell, caption, figure text, alt text and glued phrase had a translation."""
    path = zh(site) / "untranslated.json"
    assert path.is_file(), "the Chinese build writes untranslated.json (book/_ext/editions.py)"
    left = json.loads(path.read_text(encoding="utf-8"))
    assert left == {}, ("output strings without a translation (run `make translations`, then translate them in "
                        f"data/locales/zh_CN/outputs/): {json.dumps(left, ensure_ascii=False)[:2000]}")


def test_no_paragraph_is_waiting_for_a_new_translation(site):
    """A message whose English changed since it was translated (or was never translated) is marked by Sphinx
    (``translation_progress_classes``): run `make translations` and translate it."""
    left = []
    for doc in toc_documents():
        for element in article(zh(site) / f"{doc}.html").select(".untranslated"):
            left.append(f"{doc}: {element.get_text(' ')[:80]!r}")
    assert not left, "\n".join(left[:30])


def test_the_sidebar_names_the_parts_of_the_book_in_chinese(site):
    soup = BeautifulSoup((zh(site) / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    captions = [c.get_text(" ").strip() for c in soup.select("nav.bd-links p.caption, .bd-sidebar p.caption")]
    assert captions, "no part captions in the sidebar"
    english = [c for c in captions if not CJK.search(c)]
    assert not english, f"part captions still in English: {english}"


def test_chinese_pages_are_mostly_chinese(site):
    too_english = []
    for doc in toc_documents():
        chinese, english = visible_words(article(zh(site) / f"{doc}.html"))
        share = english / max(1, english + chinese)
        if share > MAX_ENGLISH_SHARE:
            too_english.append(f"{doc}: {share:.0%} English ({english} English words, {chinese} Chinese characters)")
    assert not too_english, "\n".join(too_english)


def test_the_english_edition_is_english(site):
    for doc in toc_documents():
        chinese, english = visible_words(article(site / f"{doc}.html"))
        assert chinese <= 40, f"{doc}: {chinese} Chinese characters in the English edition"


def test_both_editions_show_the_same_numbers(site):
    """Same keys, same numbers. A table cell's words are translated ("34.0 to 39.3" is "34.0 至 39.3"), so a cell
    is compared by the numbers in it, in any order ("8 of 9" is "9 项中的 8 项"); numbers are written the same way
    in both editions."""
    def index(manifest):
        return {(e["page"], e["key"]): sorted(NUMBER.findall(str(e["shown"]))) for e in manifest["numbers"]}

    english = index(json.loads((site / "numbers.json").read_text(encoding="utf-8")))
    chinese = index(json.loads((zh(site) / "numbers.json").read_text(encoding="utf-8")))
    assert len(english) > 1000
    assert set(chinese) == set(english), sorted(set(chinese) ^ set(english))[:20]
    differences = [f"{page} {key}: {english[page, key]} | {chinese[page, key]}"
                   for page, key in sorted(english) if english[page, key] != chinese[page, key]]
    assert not differences, "\n".join(differences[:20])


def test_chinese_figures_have_chinese_alt_text_and_their_own_image(site):
    for doc in toc_documents():
        english = article(site / f"{doc}.html").select("figure.lb-figure img")
        chinese = article(zh(site) / f"{doc}.html").select("figure.lb-figure img")
        assert len(english) == len(chinese), doc
        for en_img, zh_img in zip(english, chinese):
            assert CJK.search(zh_img["alt"]), f"{doc}: alt text not in Chinese: {zh_img['alt'][:80]}"
            assert en_img["src"] != zh_img["src"], f"{doc}: the Chinese figure is the English image"


def test_chinese_tables_number_like_the_english(site):
    """Captions are numbered in the Chinese way ("表 12"), with the same numbers as the English edition."""
    for doc in toc_documents():
        en_numbers = [s.get_text() for s in article(site / f"{doc}.html").select("figure .caption-number")]
        zh_numbers = [s.get_text() for s in article(zh(site) / f"{doc}.html").select("figure .caption-number")]
        assert [re.sub(r"\D", "", n) for n in en_numbers] == [re.sub(r"\D", "", n) for n in zh_numbers], doc
        assert all(n.startswith(("表", "图")) for n in zh_numbers), doc


def test_chinese_search_index_has_chinese_words(site):
    index = (zh(site) / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1: index.rindex(")")])["terms"]
    for word in ("留守", "求助", "应对"):
        assert word in terms, f"the Chinese search index has no entry for {word}"

"""The bibliography: complete records, readable author–year labels, every cited key present."""

import re
import sys

import pytest
from pybtex.database import parse_file
from pybtex.plugin import find_plugin

from conftest import ROOT

BIB = ROOT / "book" / "references.bib"
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import bibliography_style  # noqa: E402,F401  (registers the pybtex plugins)


@pytest.fixture(scope="module")
def entries():
    return parse_file(str(BIB)).entries


@pytest.fixture(scope="module")
def formatted(entries):
    style = find_plugin("pybtex.style.formatting", "authoryear")()
    return list(style.format_entries(entries.values()))


def test_no_entry_has_a_placeholder_title_or_author(entries):
    text = BIB.read_text(encoding="utf-8")
    assert "not recorded" not in text
    for key, entry in entries.items():
        authors = " ".join(str(p) for p in entry.persons.get("author", []))
        assert "not recorded" not in authors.lower(), key


def test_ijmhp_article_uses_the_registered_doi(entries):
    # The article page prints a 2021 DOI; the publisher's listing and Crossref register the 2020 form.
    assert entries["zhou2021"].fields["doi"] == "10.32604/IJMHP.2020.013093"


def test_labels_are_author_year_unique_and_short(formatted):
    labels = [e.label for e in formatted]
    assert len(set(labels)) == len(labels)
    for label in labels:
        assert re.fullmatch(r".+ (\d{4}[a-z]?|n\.d\.)", label), label
        assert len(label) <= 40, label
    assert "Yong et al. 2023" in labels and "Brown and Heathers 2017" in labels and "Firth 1993" in labels
    assert "Ministry of Civil Affairs 2016" in labels


def test_bibliography_is_sorted_by_label(formatted):
    labels = [e.label.casefold() for e in formatted]
    assert labels == sorted(labels)


def test_every_cited_key_is_in_the_bibliography(entries):
    cited = set()
    for page in list((ROOT / "book").glob("*.md")) + list((ROOT / "notebooks").glob("*.md")):
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", page.read_text(encoding="utf-8")):
            cited.update(k.strip() for k in group.split(","))
    assert cited and cited <= set(entries), sorted(cited - set(entries))


def test_an_entry_whose_title_was_never_seen_says_so_and_the_page_explains_why(entries):
    described = [key for key, entry in entries.items() if "description" in entry.fields.get("title", "").lower()]
    assert described == ["deyang_nssi"]
    # braced, so the style's sentence case cannot lower-case the description
    assert entries["deyang_nssi"].fields["title"].startswith("{[No title seen. Our description, not the article's title:")
    page = (ROOT / "book" / "references.md").read_text(encoding="utf-8")
    assert "One entry has no title:** the Deyang study" in page and "We do not guess a title" in page


def test_ministry_bulletins_carry_their_exact_chinese_titles(entries):
    # references_completed.md §15–16: the exact titles are Chinese; no official English title exists
    assert entries["moe2014bulletin"].fields["title"].startswith("2014年全国教育事业发展统计公报 [")
    assert entries["moe2015report"].fields["title"].startswith("2015年全国教育事业发展统计公报 [")
    for key in ("moe2014bulletin", "moe2015report"):
        assert "our English rendering" in entries[key].fields["note"]


def test_the_plain_text_backend_is_registered_as_the_class_its_entry_point_names():
    # registered so that each citation's lookup skips the scan of installed entry points: it must stay the same class
    from importlib.metadata import entry_points

    (entry,) = entry_points(group="pybtex.backends", name="plaintext")
    assert find_plugin("pybtex.backends", "plaintext") is entry.load()
    assert "plaintext" in __import__("pybtex.plugin", fromlist=["_RUNTIME_PLUGINS"])._RUNTIME_PLUGINS["pybtex.backends"]

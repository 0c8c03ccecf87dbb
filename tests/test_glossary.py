"""The glossary defines exactly the agreed terms, and every {term} link in the book resolves to one of them."""

import re

from conftest import ROOT

GLOSSARY = ROOT / "book" / "glossary.md"
TERMS = [
    "LBC", "NLBC", "NSSI", "OSI", "CSSMSS", "Help-seeking", "Coping style", "Problem-oriented coping", "Emotion-oriented coping", "Odds ratio",
    "Confidence interval", "Wilson interval", "Clopper–Pearson interval", "Events per variable", "Backward elimination",
    "Likelihood-ratio test", "Cluster sampling", "Synthetic cohort", "Granularity check", "Random-effects meta-analysis",
    "Cronbach's alpha", "Hukou",
]


def glossary_entries() -> dict[str, str]:
    text = GLOSSARY.read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.DOTALL)
    assert block, "book/glossary.md has no {glossary} directive"
    entries, current = {}, None
    for line in block.group(1).splitlines():
        if line and not line.startswith(" "):
            current = line.strip()
            entries[current] = ""
        elif current:
            entries[current] += " " + line.strip()
    return entries


def test_glossary_defines_exactly_the_agreed_terms_in_order():
    assert list(glossary_entries()) == TERMS


def test_every_definition_is_a_short_plain_sentence_or_two():
    for term, definition in glossary_entries().items():
        words = len(definition.split())
        assert 12 <= words <= 80, f"{term}: definition has {words} words"
        assert definition.strip().endswith((".", ")")), f"{term}: definition does not end a sentence"


def test_every_term_link_in_the_book_names_a_glossary_term():
    known = {t.lower() for t in TERMS}
    pages = list((ROOT / "book").glob("*.md")) + list((ROOT / "notebooks").glob("*.md"))
    for page in pages:
        for target in re.findall(r"\{term\}`([^`]+)`", page.read_text(encoding="utf-8")):
            name = re.search(r"<([^>]+)>$", target)
            name = name.group(1) if name else target
            assert name.lower() in known, f"{page.name}: {{term}} link to unknown term {name!r}"

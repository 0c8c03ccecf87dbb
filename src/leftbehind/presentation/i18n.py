"""The Chinese edition: what a translation must keep, and the translation of text the code writes.

The book is written in English and translated with gettext message catalogues (``.po`` files), the machinery
Sphinx uses for its own internationalisation:

- **prose** (every paragraph, heading, admonition and list item of the MyST pages) is extracted by Sphinx's
  ``gettext`` builder into one catalogue per page, ``book/locales/zh_CN/LC_MESSAGES/<page>.po``;
- **outputs** (table headers and text cells, captions, figure texts, alt text, glued phrases) are written by
  the code while the notebooks execute, once; they are translated from ``data/locales/zh_CN/outputs/<page>.po`` and the
  vocabulary's Chinese column (``data/vocabulary.csv``, ``label_zh``), and each output carries both editions
  (see :func:`edition_html`).

A translation must keep what the page computes: the same glue roles with the same keys and format specs (so the
numbers are the numbers of the English page), the same cross-references, citations and glossary terms, the same
link targets, and no number that is not in the English text (:func:`message_problems`). An English message that
changes becomes a new, untranslated message, so a test fails instead of the editions silently diverging.

Numbers inside output strings are not part of the message: ``"Forest plot of 9 odds ratios"`` is looked up as
``"Forest plot of {0} odds ratios"`` and the translation gets the English string's numbers back in order
(:func:`translate`), so a new synthetic cohort does not need a new translation, and a number cannot be
translated wrong.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from leftbehind.core.paths import repo_root

#: the editions the book is built in: Sphinx language code → HTML ``lang``
EDITIONS = {"en": "en", "zh_CN": "zh-CN"}
TRANSLATED = "zh_CN"
#: the environment variable naming the editions outputs are written for (the Makefile sets "en zh_CN");
#: unset, as in a downloaded chapter run in plain Jupyter, outputs are English only
EDITIONS_VARIABLE = "LEFTBEHIND_EDITIONS"


def bilingual() -> bool:
    """Whether outputs are written for the Chinese edition too (``LEFTBEHIND_EDITIONS`` names zh_CN)."""
    return TRANSLATED in os.environ.get(EDITIONS_VARIABLE, "en").split()

#: a MyST role with its content: ``{glue:text}`key:.1f```, ``{numref}`tbl-x```, ``{term}`LBC```
ROLE = re.compile(r"\{(?P<name>[a-z]+(?::[a-z]*)?)\}`(?P<content>[^`]*)`")
#: a Markdown link target
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
#: a number as the reader sees it (not a digit inside a word such as ``CR2`` or ``t5a``)
#: (a comma after a number is punctuation, not part of it: "Table 2, rebuilt"; "16,866" is one number)
NUMBER = re.compile(r"(?<![\w.])[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")
PLACEHOLDER = re.compile(r"\{(\d+)\}")
#: a number as a reader sees it in either edition: ASCII boundaries (in Chinese a number sits directly against a
#: character, as in 自2025年起) and an ordinal's suffix allowed ("the 2.5th percentile" shows 2.5)
SHOWN_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
                          r"(?!\.\d)(?=(?:st|nd|rd|th)?(?![A-Za-z0-9_]))")
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff]")


def _role_key(name: str, content: str) -> tuple[str, str]:
    """What a role points at: the target of ``{term}`title <target>```, else its whole content."""
    explicit = re.fullmatch(r"(?s).*<(?P<target>[^<>]+)>\s*", content)
    if explicit and name in ("term", "ref", "numref", "doc"):
        return name, explicit.group("target").strip()
    return name, content.strip()


def roles(text: str) -> list[tuple[str, str]]:
    """The roles of ``text`` as sorted ``(role, target)`` pairs."""
    return sorted(_role_key(m.group("name"), m.group("content")) for m in ROLE.finditer(text))


def _outside_roles(text: str) -> str:
    text = ROLE.sub(" ", text)
    return LINK.sub("] ", text)


def numbers(text: str) -> list[str]:
    """The numbers a reader sees in ``text``, outside roles and link targets, thousands separators removed."""
    text = PLACEHOLDER.sub(" ", _outside_roles(text))
    return [n.replace(",", "").replace("−", "-").lstrip("+") for n in SHOWN_NUMBER.findall(text)]


def message_problems(msgid: str, msgstr: str) -> list[str]:
    """Why ``msgstr`` is not a faithful translation of ``msgid`` (empty list when it is)."""
    if not msgstr.strip():
        return ["untranslated"]
    problems = []
    if roles(msgid) != roles(msgstr):
        missing = sorted(set(roles(msgid)) - set(roles(msgstr)))
        extra = sorted(set(roles(msgstr)) - set(roles(msgid)))
        problems.append(f"roles differ (missing {missing}, extra {extra}; counts must match too)")
    if sorted(LINK.findall(msgid)) != sorted(LINK.findall(msgstr)):
        problems.append("link targets differ")
    if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
        problems.append("number placeholders ({0}, {1}, …) differ: each must appear exactly as often as in the English")
    typed = sorted(set(numbers(msgstr)) - set(numbers(msgid)))
    if typed:
        problems.append(f"numbers not in the English text: {typed}")
    dropped = sorted(set(numbers(msgid)) - set(numbers(msgstr)))
    if dropped:
        problems.append(f"numbers of the English text missing from the translation: {dropped}")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Output strings (tables, figures, alt text, glued phrases)

def outputs_catalogue_dir(language: str = TRANSLATED) -> Path:
    """The outputs catalogues: one ``<page>.po`` per page that shows the string (as the prose catalogues)."""
    return repo_root() / "data" / "locales" / language / "outputs"


def outputs_catalogues(language: str = TRANSLATED) -> list[Path]:
    return sorted(outputs_catalogue_dir(language).glob("*.po"))


def template(text: str) -> tuple[str, list[str]]:
    """``text`` with each number replaced by ``{0}``, ``{1}``…, and the numbers in order."""
    found: list[str] = []

    def keep(match: re.Match) -> str:
        found.append(match.group(0))
        return "{" + str(len(found) - 1) + "}"

    return NUMBER.sub(keep, text.replace("{", "{{").replace("}", "}}")), found


def fill(translated: str, found: list[str]) -> str:
    """Put the English string's numbers back into a translated template."""
    text = PLACEHOLDER.sub(lambda m: found[int(m.group(1))], translated)
    return text.replace("{{", "{").replace("}}", "}")


@lru_cache(maxsize=4)
def page_catalogues(language: str = TRANSLATED) -> dict[str, dict[str, str]]:
    """Page name → msgid → msgstr of each outputs catalogue (translated, non-fuzzy entries only)."""
    from babel.messages.pofile import read_po

    pages: dict[str, dict[str, str]] = {}
    for path in outputs_catalogues(language):
        with path.open("rb") as handle:
            pages[path.stem] = {message.id: message.string for message in read_po(handle)
                                if message.id and isinstance(message.id, str) and message.string
                                and not message.fuzzy}
    return pages


@lru_cache(maxsize=4)
def catalogue(language: str = TRANSLATED) -> dict[str, str]:
    """msgid → msgstr over every page's outputs catalogue (the first page in name order wins), plus the
    vocabulary's labels."""
    from leftbehind.presentation.vocabulary import translated_labels

    entries = dict(translated_labels(language))
    for page in sorted(page_catalogues(language)):
        for msgid, msgstr in page_catalogues(language)[page].items():
            entries.setdefault(msgid, msgstr)
    return entries


#: the chapter whose outputs are being written (set by leftbehind.presentation.glue.Page): its own catalogue is
#: read first, so the same English word may be worded for the page it appears on
_current_page: str | None = None


def set_page(name: str | None) -> None:
    global _current_page
    _current_page = name


def _lookup(key: str, language: str) -> str | None:
    if _current_page is not None:
        own = page_catalogues(language).get(_current_page, {})
        if key in own:
            return own[key]
    return catalogue(language).get(key)


#: statistical symbols that read the same in both editions (``p < 0.001``, ``n = 120``, ``d = 0.21``)
SYMBOL = re.compile(r"(?<![A-Za-z])[pndtzrkF](?![A-Za-z])")


#: an identifier shown as it is in both editions: a provenance key, a column name, a file path, a command option
IDENTIFIER = re.compile(r"(?=\S*_)[\w./:\-\[\]=*]+|(?:[\w.-]+/)+(?:[\w-]+\.\w+)?|--[\w-]+"
                        r"|[\w-]+\.(?:csv|json|xlsx|yml|yaml|md|py|txt)")


def needs_translation(text: str) -> bool:
    """Whether ``text`` has words in it: a number, a symbol such as ``p``, a dash or an identifier
    (``lbc_share_pct``, ``data/published/x.csv``) reads the same in both editions."""
    stripped = text.strip()
    if IDENTIFIER.fullmatch(stripped) or CJK.search(stripped):  # an identifier, or already in Chinese
        return False
    return bool(LATIN.search(SYMBOL.sub(" ", stripped)))


def translate(text: str, language: str = TRANSLATED, missing: list[str] | None = None) -> str:
    """``text`` in ``language``; the English text (recorded in ``missing``) when the catalogue has no entry."""
    if language == "en" or not needs_translation(text):
        return text
    stripped = text.strip()
    exact = _lookup(stripped, language)
    if exact is not None:
        return text.replace(stripped, exact)
    key, found = template(stripped)
    translated = _lookup(key, language)
    if translated is not None:
        try:
            return text.replace(stripped, fill(translated, found))
        except (IndexError, ValueError):
            pass
    if missing is not None and key not in missing:
        missing.append(key)
    return text


class Translator:
    """A callable translating output strings into one language and remembering what it could not translate."""

    def __init__(self, language: str):
        self.language = language
        self.missing: list[str] = []

    def __call__(self, text: str) -> str:
        return translate(str(text), self.language, self.missing)


def edition_pair(english: str, chinese: str, missing: list[str]) -> str:
    """One output's HTML holding both editions (see :func:`edition_html`)."""
    attribute = ""
    if missing:
        attribute = f' data-untranslated="{html.escape(json.dumps(missing, ensure_ascii=False), quote=True)}"'
    return f'{english}<template class="lb-edition" lang="{EDITIONS[TRANSLATED]}"{attribute}>{chinese}</template>'


def edition_html(render: Callable[[Callable[[str], str]], str]) -> str:
    """The HTML of an output in both editions: ``render(translate)`` is called once per edition.

    The English HTML comes first and is what plain Jupyter shows; the Chinese HTML follows inside a
    ``<template>`` (which a browser never displays), and the book's ``editions`` extension keeps the part of the
    edition being built.  Output strings the catalogue cannot translate are listed in the template's
    ``data-untranslated`` attribute, so the build can report them.
    """
    english = render(lambda text: text)
    if not bilingual():
        return english
    translator = Translator(TRANSLATED)
    chinese = render(translator)
    return edition_pair(english, chinese, translator.missing)


EDITION_PART = re.compile(
    r'^(?P<en>.*?)<template class="lb-edition" lang="(?P<lang>[^"]+)"(?: data-untranslated="(?P<missing>[^"]*)")?>'
    r"(?P<other>.*)</template>\s*$",
    re.DOTALL,
)


def choose_edition(raw_html: str, language: str | None) -> tuple[str, list[str]]:
    """The part of an output's HTML for ``language``, and the strings it left untranslated."""
    match = EDITION_PART.match(raw_html)
    if match is None:
        return raw_html, []
    if not language or not language.startswith("zh"):
        return match.group("en"), []
    missing = json.loads(html.unescape(match.group("missing"))) if match.group("missing") else []
    return match.group("other"), missing

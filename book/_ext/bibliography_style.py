"""Readable author–year labels for the bibliography.

pybtex's default ``alpha`` labels squeeze names into codes such as ``[MinistryoCAotPeoplesRoChina16]``.
This extension registers, through pybtex's plugin API (the route sphinxcontrib-bibtex documents for custom
styles), a label style that prints ``Yong et al. 2023``, ``Brown and Heathers 2017`` or, for an organisation,
its name. An entry may carry a ``shortauthor`` field (as in biblatex) to shorten a long organisational name
in the label only; the full name stays in the entry. Equal labels get ``a``, ``b``, … in bibliography order.
Select it with ``bibtex_default_style: authoryear``.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle


#: One plain-text backend for every label: ``render_as("text")`` looks the backend up among the installed packages'
#: entry points on each call, which made every build (even a no-op one) spend about 30 s here.
_PLAIN_TEXT = PlainTextBackend()


@lru_cache(maxsize=None)
def _plain(latex: str) -> str:
    """A name or year from BibTeX as plain text (braces and LaTeX escapes removed)."""
    return Text.from_latex(latex).render(_PLAIN_TEXT).strip()


def _surname(person) -> str:
    parts = person.prelast_names + person.last_names
    return _plain(" ".join(parts)) if parts else _plain(str(person))


def author_year_label(entry) -> str:
    """``Surname YEAR``, ``A and B YEAR`` or ``A et al. YEAR`` (``shortauthor`` wins when present)."""
    year = _plain(entry.fields.get("year", "n.d."))
    if "shortauthor" in entry.fields:
        who = _plain(entry.fields["shortauthor"])
    else:
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_surname(p) for p in people]
        if not names:
            who = _plain(entry.fields.get("title", entry.key))[:30]
        elif len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
    return f"{who} {year}"


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        sorted_entries = list(sorted_entries)
        labels = [author_year_label(entry) for entry in sorted_entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class AuthorYearSortingStyle(BaseSortingStyle):
    """Alphabetical by the label a reader sees, then by title."""

    def sorting_key(self, entry):
        return (author_year_label(entry).casefold(), _plain(entry.fields.get("title", "")).casefold())


class AuthorYearStyle(AlphaStyle):
    """pybtex's ``alpha`` entry formatting, sorted and labelled by author and year."""

    default_label_style = "authoryear"
    default_sorting_style = "authoryear"

    #: sphinxcontrib-bibtex formats every entry twice in each build, with the same style and label: once for the
    #: bibliography and once for its citations' tooltips (0.4 s of a 4.5 s no-op build of one edition).  The second
    #: time is a dictionary read.  Keyed by the entry object itself, which the value keeps alive so that its ``id``
    #: cannot be reused; emptied when large, so a long-lived process (sphinx-autobuild) does not grow without end.
    _formatted: dict = {}

    def format_entry(self, label, entry, bib_data=None):
        key = (label, id(entry), id(bib_data))
        hit = self._formatted.get(key)
        if hit is not None and hit[0] is entry and hit[1] is bib_data:
            return hit[2]
        if len(self._formatted) > 10_000:
            self._formatted.clear()
        formatted = super().format_entry(label, entry, bib_data=bib_data)
        self._formatted[key] = (entry, bib_data, formatted)
        return formatted


register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle)
register_plugin("pybtex.style.sorting", "authoryear", AuthorYearSortingStyle)
register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
# sphinxcontrib-bibtex looks the plain-text backend up for every citation it resolves; pybtex finds an installed
# plugin by scanning every distribution's entry points (about 15 ms each time, 1.5 s per edition).  Registering
# the very class that entry point names ("pybtex.backends.plaintext:Backend") makes the lookup a dictionary read.
register_plugin("pybtex.backends", "plaintext", PlainTextBackend, force=True)


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}

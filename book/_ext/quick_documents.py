"""Default docutils settings made once per build, not once per translated message.

myst-parser (3.0) builds a fresh docutils document each time it renders Markdown -- for every message the
Chinese edition translates (about 2,000), and more -- and each time asks docutils for the parser's default
settings, which rebuilds docutils' whole option parser (about 3 ms; about 6 s per Chinese build).  This
extension replaces ``myst_parser.mdit_to_docutils.base.make_document`` with one that computes those defaults
once per parser class and gives every document its own deep copy, so each document still starts from the
same, unshared settings.  The pages are byte-identical; ``tests/test_quick_documents.py`` checks the
documents it makes against myst-parser's own.
"""

from __future__ import annotations

import copy

from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RSTParser
from docutils.utils import new_document
from myst_parser.mdit_to_docutils import base

#: myst-parser's own function, kept for the tests
original_make_document = base.make_document
_DEFAULTS: dict[type, object] = {}


def make_document(source_path="notset", parser_cls=RSTParser):
    """A new docutils document with a private copy of ``parser_cls``'s default settings."""
    if parser_cls not in _DEFAULTS:
        _DEFAULTS[parser_cls] = get_default_settings(parser_cls)
    return new_document(source_path, settings=copy.deepcopy(_DEFAULTS[parser_cls]))


def setup(app):
    base.make_document = make_document
    return {"parallel_read_safe": True, "parallel_write_safe": True}

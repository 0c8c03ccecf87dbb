"""book/_ext/quick_documents.py makes the documents myst-parser makes, each with its own settings."""

import sys
import warnings

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import quick_documents  # noqa: E402


def _settings(document) -> dict:
    values = vars(document.settings).copy()
    values["record_dependencies"] = list(values["record_dependencies"].list)
    return values


def test_documents_match_myst_parsers_own():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = quick_documents.original_make_document("page.md")
    ours = quick_documents.make_document("page.md")
    assert _settings(ours) == _settings(theirs)
    assert ours["source"] == theirs["source"] == "page.md"
    assert ours.reporter.report_level == theirs.reporter.report_level


def test_each_document_has_its_own_settings():
    first, second = quick_documents.make_document(), quick_documents.make_document()
    assert first.settings is not second.settings
    first.settings.tab_width = 99
    first.settings.record_dependencies.add("x.md")
    assert second.settings.tab_width != 99
    assert "x.md" not in second.settings.record_dependencies.list
    assert quick_documents.make_document().settings.tab_width != 99


def test_the_extension_replaces_myst_parsers_function():
    from myst_parser.mdit_to_docutils import base

    saved = base.make_document
    try:
        quick_documents.setup(None)
        assert base.make_document is quick_documents.make_document
    finally:
        base.make_document = saved

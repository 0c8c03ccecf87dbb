"""Shared by tests/chapters/: a chapter's page shows exactly the facts its chapter function computes."""

from __future__ import annotations

from pathlib import Path

from leftbehind.presentation.glue import shown_formats


def assert_page_shows_exactly(page: Path, facts) -> None:
    """Every glue key the page's prose uses is a fact, and every fact is used (``facts``: a ``Facts``)."""
    shown = set(shown_formats(page.read_text(encoding="utf-8")))
    assert shown - facts.keys() == set(), "the page shows keys the chapter function does not compute"
    assert facts.keys() - shown == set(), "the chapter function computes facts the page never shows"

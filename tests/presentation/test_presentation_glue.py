"""leftbehind.presentation.glue: numbers are stored at the precision the prose shows them, with their tier."""

import math

import numpy as np
import pytest

from leftbehind.presentation.glue import (
    GlueError,
    Page,
    decimal_places,
    round_to_shown,
    shown_formats,
    source_of,
)

PROSE = """
The ICC is {glue:text}`icc:.3f` and the design effect {glue:text}`deff:.2f` ({glue:text}`deff:.1f` rounded).
There are {glue:text}`n:,` pupils; {glue:text}`share:.1%` of them; the words are {glue:text}`words`.
A ratio of {glue:text}`big:,.0f` and a tiny {glue:text}`tiny:.2g`; raw {glue:text}`raw`.
"""


def recorder():
    stored = []
    return stored, lambda key, value, metadata: stored.append((key, value, metadata))


def test_shown_formats_collects_every_spec_per_key():
    formats = shown_formats(PROSE)
    assert formats["deff"] == {".2f", ".1f"}
    assert formats["n"] == {","}
    assert formats["words"] == {""}
    assert shown_formats("{glue:text}`doc::key:.2f` and {glue:}`other`") == {"key": {".2f"}, "other": {""}}


@pytest.mark.parametrize(
    ("value", "spec", "places"),
    [(0.5, ".2f", 2), (0.5, ".1%", 3), (1234.5, ",.0f", 0), (0.00123, ".2g", 4), (123.0, ".2g", -1),
     (0.00123, ".1e", 4), (7, "d", 0), (0.5, ".3", 3), (0.0, ".2g", 0)],
)
def test_decimal_places_follow_the_format_mini_language(value, spec, places):
    assert decimal_places(value, spec) == places


@pytest.mark.parametrize("spec", ["", ",", "s"])
def test_a_spec_without_precision_shows_every_digit(spec):
    assert decimal_places(0.5, spec) is None


def test_round_to_shown_rounds_to_the_finest_spec_and_matches_the_formatted_text():
    noisy = 0.5687672362054464
    stored = round_to_shown(noisy, {".2f"})
    assert repr(stored) == "0.57"
    assert format(stored, ".2f") == format(noisy, ".2f")
    assert round_to_shown(6.4749999, {".2f", ".1f"}) == 6.47
    # the stored value is the same whatever machine noise sits beyond the shown digits
    assert round_to_shown(noisy * (1 + 1e-12), {".2f"}) == round_to_shown(noisy * (1 - 1e-12), {".2f"})


def test_round_to_shown_leaves_ints_text_and_non_finite_values_alone():
    assert round_to_shown(np.int64(19005), {","}) == 19005 and isinstance(round_to_shown(np.int64(3), {""}), int)
    assert round_to_shown("none", {""}) == "none"
    assert round_to_shown(True, {""}) is True
    assert math.isnan(round_to_shown(float("nan"), {".2f"}))


def test_a_float_shown_at_full_precision_is_refused():
    with pytest.raises(GlueError, match="prints every digit"):
        round_to_shown(0.123456789, {""}, "icc")


def test_without_the_page_source_floats_keep_six_significant_digits():
    assert round_to_shown(0.5687672362054464, None) == 0.568767


def test_page_stores_rounded_values_with_tier_metadata():
    stored, emit = recorder()
    page = Page("demo", tier="synthetic", markdown=PROSE, emit=emit)
    assert page.glue("icc", np.float64(0.0123456)) == 0.012
    page.glue("n", 19005)
    page.glue("share", 0.12345, tier="derived")
    page.glue("deff", 6.4749, tier="published", source="yong2023, Methods, paragraph 2")
    assert [s[0] for s in stored] == ["icc", "n", "share", "deff"]
    assert stored[0][1] == 0.012 and stored[0][2] == {"tier": "synthetic", "page_tier": "synthetic"}
    assert stored[2][1] == 0.123 and stored[2][2]["tier"] == "derived"
    assert stored[3][1] == 6.47 and stored[3][2]["source"].startswith("yong2023")


def test_page_does_not_store_keys_the_prose_never_shows():
    stored, emit = recorder()
    page = Page("demo", tier="derived", markdown=PROSE, emit=emit)
    assert page.glue("unused", 0.123456789) == 0.123456789
    assert stored == [] and page.unshown() == ["unused"]


def test_page_refuses_bad_tiers_missing_sources_and_repeats():
    _, emit = recorder()
    with pytest.raises(GlueError, match="tier must be one of"):
        Page("demo", tier="real", markdown=PROSE, emit=emit)
    page = Page("demo", tier="derived", markdown=PROSE, emit=emit)
    with pytest.raises(GlueError, match="needs its source"):
        page.glue("n", 3, tier="published")
    with pytest.raises(GlueError, match="unknown tier"):
        page.glue("n", 3, tier="imagined")
    page.glue("n", 3)
    with pytest.raises(GlueError, match="glued twice"):
        page.glue("n", 4)
    with pytest.raises(GlueError, match="page 'demo'.*'raw'.*prints every digit"):
        page.glue("raw", 0.1234)


def test_printed_glues_a_provenance_row_as_published():
    from leftbehind.core.provenance import load_published

    stored, emit = recorder()
    published = load_published("yong2023")
    page = Page("demo", tier="derived", markdown="{glue:text}`lbc_n:,` {glue:text}`pct`", emit=emit)
    page.printed("lbc_n", published)
    page.printed("nssi_lbc_pct", published, glue_key="pct", as_text=True)
    (key1, value1, meta1), (key2, value2, meta2) = stored  # a number glued as text needs no Chinese twin
    assert (key1, value1, type(value1)) == ("lbc_n", 6096, int)
    assert meta1["tier"] == "published" and meta1["source"] == source_of(published.loc["lbc_n"])
    assert (key2, value2) == ("pct", "4.6")


def test_a_glued_phrase_gets_a_chinese_twin(monkeypatch):
    from leftbehind.presentation import i18n

    monkeypatch.setattr(i18n, "catalogue", lambda language="zh_CN": {"{0} of {1} claims agree": "{1} 项表述中 {0} 项一致"})
    stored, emit = recorder()
    page = Page("demo", tier="synthetic", markdown="{glue:text}`agree` {glue:text}`other` {glue:text}`n`", emit=emit)
    page.glue("agree", "3 of 4 claims agree")
    page.glue("other", "an untranslated phrase")
    page.glue("n", 12)
    records = {key: (value, meta) for key, value, meta in stored}
    assert records["agree__zh"][0] == "4 项表述中 3 项一致"
    assert "untranslated" not in records["agree__zh"][1]
    assert records["other__zh"] == ("an untranslated phrase",
                                    {"tier": "synthetic", "page_tier": "synthetic",
                                     "untranslated": ["an untranslated phrase"]})
    assert "n__zh" not in records  # numbers need no twin


def test_source_of_uses_the_location_columns_present():
    import pandas as pd

    row = pd.Series({"document": "acwf2013", "where_read": "page 3", "value": "1", "note": ""})
    assert source_of(row) == "acwf2013, page 3"


# --- Tests that would notice (issue 14, item 8): one-digit g formats, what is stored, where a page's source is read --

import json  # noqa: E402

import pandas as pd  # noqa: E402

from leftbehind.presentation.glue import GLUE_PREFIX, _emit, read_page_source  # noqa: E402


@pytest.mark.parametrize(("value", "spec"), [(0.123, ".1g"), (0.123, ".0g"), (45.6, ".1g"), (0.0456, ".0"),
                                             (0.0456, ".2g")])
def test_one_significant_digit_formats_match_python(value, spec):
    # Python treats a precision of 0 as 1 for g and for no type; the stored value must print as the shown one
    places = decimal_places(value, spec)
    assert format(round(value, places), spec) == format(value, spec)
    assert round(value, places) == float(format(value, spec))


def _capture_display(monkeypatch, module, name):
    calls = []
    monkeypatch.setattr(module, name, lambda data, raw=False, metadata=None: calls.append((data, raw, metadata)))
    return calls


def test_emit_stores_exactly_what_myst_nb_glue_stores(monkeypatch):
    import IPython.display
    import myst_nb.ext.glue as myst_glue

    ours = _capture_display(monkeypatch, IPython.display, "display")
    theirs = _capture_display(monkeypatch, myst_glue, "ipy_display")
    _emit("icc", 0.012, {"tier": "synthetic"})
    myst_glue.glue("icc", 0.012, display=False)
    (data, raw, metadata), (their_data, their_raw, their_metadata) = ours[0], theirs[0]
    assert data == their_data == {GLUE_PREFIX + "text/plain": "0.012"}
    assert raw is True and their_raw is True
    assert metadata.pop("leftbehind") == {"tier": "synthetic"}
    assert metadata == their_metadata


def test_read_page_source_prefers_the_markdown_file_then_the_notebooks_markdown_cells(tmp_path, monkeypatch):
    here, elsewhere = tmp_path / "here", tmp_path / "cwd"
    here.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    notebook = {"cells": [{"cell_type": "markdown", "source": ["ICC ", "{glue:text}`icc:.3f`"]},
                          {"cell_type": "code", "source": "page.glue('icc', icc)"},
                          {"cell_type": "markdown", "source": "end"}]}
    (here / "zz-test-page.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert read_page_source("zz-test-page", here) == "ICC {glue:text}`icc:.3f`\nend"
    # a MyST file anywhere on the search path wins over a notebook, even one in the first folder
    (elsewhere / "zz-test-page.md").write_text("from the md {glue:text}`n:,`", encoding="utf-8")
    assert read_page_source("zz-test-page", here) == "from the md {glue:text}`n:,`"
    assert read_page_source("zz-no-such-page", here) is None


def test_read_page_source_finds_a_chapter_in_the_books_notebooks_folder(tmp_path, monkeypatch):
    from leftbehind.core.paths import repo_root

    monkeypatch.chdir(tmp_path)
    chapter = sorted((repo_root() / "notebooks").glob("*.md"))[0]
    assert read_page_source(chapter.stem) == chapter.read_text(encoding="utf-8")


def test_a_page_whose_source_cannot_be_read_keeps_six_significant_digits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stored, emit = recorder()
    page = Page("zz-no-such-page", tier="derived", emit=emit)
    assert page.glue("x", 0.5687672362054464) == 0.568767
    assert stored[0][:2] == ("x", 0.568767) and page.unshown() == []


def _provenance(**rows):
    frame = pd.DataFrame(rows).T
    frame.index.name = "key"
    return frame


def test_printed_keeps_decimals_the_source_printed():
    stored, emit = recorder()
    page = Page("demo", tier="derived", markdown="{glue:text}`a:.1f` {glue:text}`b:,` {glue:text}`c:.1f`", emit=emit)
    table = _provenance(a={"value": 4.0, "decimals": "1", "document": "d", "printed": "4.0"},
                        b={"value": 1200.0, "decimals": "", "document": "d", "printed": "1,200"},
                        c={"value": 4.6, "decimals": "", "document": "d", "printed": "4.6"})
    assert page.printed("a", table) == 4.0 and isinstance(stored[-1][1], float)  # printed "4.0": stays a float
    assert page.printed("b", table) == 1200 and isinstance(stored[-1][1], int)  # printed without decimals: an int
    assert page.printed("c", table) == 4.6  # not a whole number: never cut to an int
    no_decimals = _provenance(d={"value": 7.0, "document": "d", "printed": "7"})
    page = Page("demo", tier="derived", markdown="{glue:text}`d:,`", emit=emit)
    assert page.printed("d", no_decimals) == 7 and isinstance(stored[-1][1], int)

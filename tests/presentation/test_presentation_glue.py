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
    (key1, value1, meta1), (key2, value2, meta2) = stored
    assert (key1, value1, type(value1)) == ("lbc_n", 6096, int)
    assert meta1["tier"] == "published" and meta1["source"] == source_of(published.loc["lbc_n"])
    assert (key2, value2) == ("pct", "4.6")


def test_source_of_uses_the_location_columns_present():
    import pandas as pd

    row = pd.Series({"document": "acwf2013", "where_read": "page 3", "value": "1", "note": ""})
    assert source_of(row) == "acwf2013, page 3"

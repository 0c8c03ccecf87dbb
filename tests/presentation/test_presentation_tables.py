"""leftbehind.presentation.tables: every table in words, numbers by kind, nothing truncated, no bare index."""

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from leftbehind.presentation.tables import (
    Table,
    column_formatter,
    decimals_for,
    format_count,
    format_p,
    label,
    to_html,
    vocabulary,
)


def cells(html):
    soup = BeautifulSoup(html, "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    body = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    return head, body


def test_vocabulary_labels_and_fallbacks():
    assert label("ci_low_percent") == "95 % CI low (%)"
    assert label("fantasy_denial") == "Fantasy/denial"
    assert label("some_new_column") == "Some new column"
    assert label("category") == "Category"
    assert label("OR") == "OR" and label("p") == "p" and label("a") == "a"
    assert all(key == key.strip() and text for key, text in vocabulary().items())


@pytest.mark.parametrize(("p", "text"), [(0.0004, "< 0.001"), (0.001, "0.001"), (0.04449, "0.044"), (1.0, "1.000"),
                                        (np.nan, "—"), (None, "—")])
def test_p_values(p, text):
    assert format_p(p) == text


def test_counts_have_separators_and_no_decimals():
    assert format_count(19005.0) == "19,005" and format_count(np.int64(183)) == "183" and format_count(np.nan) == "—"


def test_decimals_follow_the_column_magnitude():
    assert decimals_for(pd.Series([1.23, 2.5, 0.8])) == 2
    assert decimals_for(pd.Series([0.12, 0.3])) == 2
    assert decimals_for(pd.Series([1234.5, 900.0])) == 1
    assert decimals_for(pd.Series([0.0123, 0.04])) == 3
    assert decimals_for(pd.Series([0.0001])) == 4
    assert decimals_for(pd.Series([np.nan])) == 2


def test_column_kinds_by_name_and_content():
    assert column_formatter("p_holm", pd.Series([0.0001]))(0.0001) == "< 0.001"
    assert column_formatter("lbc_n", pd.Series([183.0, 99.0]))(183.0) == "183"
    assert column_formatter("rows", pd.Series([19005.0]))(19005.0) == "19,005"
    assert column_formatter("odds_ratio", pd.Series([1.84, 2.1]))(1.8449) == "1.84"
    assert column_formatter("flag", pd.Series([True, False]))(True) == "yes"
    assert column_formatter("note", pd.Series(["a", None]))(None) == "—"


def test_to_html_drops_a_bare_range_index_and_labels_columns():
    frame = pd.DataFrame({"ci_low": [1.234, 2.0], "p": [0.00001, 0.2], "lbc_n": [1000, 2], "note": ["x" * 300, np.nan]})
    head, body = cells(to_html(frame))
    assert head == ["95 % CI low", "p", "LBC (n)", "Note"]
    assert body[0] == ["1.23", "< 0.001", "1,000", "x" * 300]
    assert body[1][3] == "—"


def test_to_html_keeps_a_meaningful_index_and_wraps_in_a_scroll_box():
    frame = pd.DataFrame({"or": [1.5]}, index=pd.Index(["problem_solving"], name="factor"))
    html = to_html(frame, caption="Odds ratios")
    head, body = cells(html)
    assert head == ["Factor", "OR"] and body == [["problem_solving", "1.50"]]
    soup = BeautifulSoup(html, "html.parser")
    assert "overflow-x:auto" in soup.div["style"] and soup.figcaption.get_text() == "Odds ratios"
    assert soup.figure.contents[0].name == "figcaption"  # outside the scroll box, so it wraps on a phone


def test_every_cell_carries_its_columns_name_for_the_cards_a_narrow_screen_shows():
    frame = pd.DataFrame({"or": [1.5, 2.0], "ci_low": [1.1, 1.2], "ci_high": [2.0, 3.1], "p": [0.2, 0.0001]},
                         index=pd.Index(["problem_solving", "patience"], name="factor"))
    soup = BeautifulSoup(to_html(frame, caption="Odds ratios"), "html.parser")
    table = soup.table
    assert table["role"] == "table" and [g["role"] for g in table.find_all(["thead", "tbody"])] == ["rowgroup"] * 2
    headers = [th.get_text() for th in table.select("thead th")]
    assert [th["role"] for th in table.select("thead th")] == ["columnheader"] * 5
    for row in table.select("tbody tr"):
        assert row["role"] == "row"
        assert [td["data-label"] for td in row.find_all("td")] == headers  # every value beside its column's name
        assert all(td["role"] == "cell" for td in row.find_all("td"))
    quoted = BeautifulSoup(to_html(pd.DataFrame({'a "quoted" <name>': [1]})), "html.parser")
    assert quoted.td["data-label"] == quoted.th.get_text() == 'a "quoted" <name>'  # escaped, read back whole


def test_phone_cards_in_the_chinese_edition_name_the_columns_in_chinese(monkeypatch):
    from leftbehind.presentation.i18n import choose_edition

    monkeypatch.setenv("LEFTBEHIND_EDITIONS", "en zh_CN")
    wide = pd.DataFrame({"or": [1.5], "ci_low": [1.1], "ci_high": [2.0], "p": [0.2]})
    both = to_html(wide)
    for language in (None, "zh_CN"):
        table = BeautifulSoup(choose_edition(both, language)[0], "html.parser").table
        headers = [th.get_text() for th in table.select("thead th")]
        assert [td["data-label"] for td in table.select("tbody td")] == headers
    english, chinese = (BeautifulSoup(choose_edition(both, lang)[0], "html.parser") for lang in (None, "zh_CN"))
    assert [td["data-label"] for td in english.select("td")][1] == "95 % CI low"
    assert [td["data-label"] for td in chinese.select("td")][1] == "95% CI 下限"  # the Chinese edition's own words


def test_table_wrapper_renders_with_its_caption():
    table = Table(pd.DataFrame({"n": [3]}), "A caption")
    assert "<figcaption>A caption</figcaption>" in table._repr_html_() and "A caption" in repr(table)


@pytest.mark.parametrize(
    ("key", "words"),
    [("t2:residence=county_town:lbc_vs_nlbc", "Table 2, Residence: county town (LBC vs NLBC)"),
     ("t7:family[single_parent]", "Table 7, Family structure: single-parent"),
     ("t5:problem_solving:lbc_vs_nlbc", "Table 5, Problem-solving (LBC vs NLBC)"),
     ("t2:gender=*:lbc_vs_nlbc", "Table 2, Gender: each category (LBC vs NLBC)"),
     ("t6:positive_reappraisal:professional_vs_not", "Table 6, Positive reappraisal (professional help vs none)")],
)
def test_comparison_ids_in_words(key, words):
    from leftbehind.presentation.tables import describe_comparison

    assert describe_comparison(key) == words


def test_the_codebook_calls_each_coping_factor_what_the_vocabulary_calls_it():
    from leftbehind.spec.codebook import load_codebook

    codebook = load_codebook()
    for key, factor in codebook.factors.items():
        assert factor["label"] == label(key), key


def test_raw_keys_in_text_cells_are_written_in_words():
    frame = pd.DataFrame({"comparison": ["t5:escape:lbc_vs_nlbc", "plain text"], "term": ["gender[girl]", "x"]})
    _, body = cells(to_html(frame))
    assert body == [["Table 5, Escape (LBC vs NLBC)", "Girl (vs boy)"], ["plain text", "x"]]


# --- Tests that would notice (issue 14, item 8): the edges of each formatting rule, the index rule, cell classes ---

from leftbehind.presentation.tables import _is_integral, describe_comparison, format_number, install  # noqa: E402


def test_comparison_ids_without_a_table_number():
    assert describe_comparison("residence=county_town:lbc_vs_nlbc") == "Residence: county town (LBC vs NLBC)"
    assert describe_comparison("family[single_parent]") == "Family structure: single-parent"


@pytest.mark.parametrize("p", [0.0009, 0.0007, 0.00051])
def test_p_values_just_below_one_in_a_thousand_are_not_rounded_up(p):
    assert format_p(p) == "< 0.001"  # "0.001" would claim p is at least 0.0005 larger than it is


def test_decimals_ignore_zeros_and_infinite_values():
    assert decimals_for(pd.Series([0.0, 0.0, 0.0, 0.0123])) == 3  # the typical non-zero value decides
    assert decimals_for(pd.Series([np.inf, -np.inf, np.inf, 0.0123])) == 3
    assert decimals_for(pd.Series([0.0, np.inf])) == 2


@pytest.mark.parametrize(("values", "decimals"), [([150.0, 420.0], 1), ([100.0], 1), ([12.3, 45.6], 2),
                                                   ([99.0, 10.0], 2), ([9.5, 1.5], 2)])
def test_decimals_by_magnitude_at_the_boundaries(values, decimals):
    # one decimal from the hundreds up, two below (at least two significant digits)
    assert decimals_for(pd.Series(values)) == decimals


@pytest.mark.parametrize(("value", "text"), [(np.nan, "—"), (None, "—"), (pd.NA, "—"), (np.inf, "∞"), (-np.inf, "−∞"),
                                             (1234.5678, "1,234.57"), (-0.5, "-0.50")])
def test_format_number_missing_and_infinite_values(value, text):
    assert format_number(value, 2) == text


def test_whole_number_columns():
    assert _is_integral(pd.Series([1.0, 2.0, np.nan]))
    assert not _is_integral(pd.Series([np.nan, np.nan]))  # no values: not a column of whole numbers
    assert not _is_integral(pd.Series([], dtype=float))
    assert not _is_integral(pd.Series([1.0, 2.5]))
    assert not _is_integral(pd.Series([1.5, 2.5]))
    assert not _is_integral(pd.Series([1.0, np.inf]))


def test_numbers_in_a_text_column_are_shown_not_hidden():
    fmt = column_formatter("note", pd.Series(["a", 3, None, np.nan], dtype=object))
    assert [fmt(v) for v in ["a", 3, None, np.nan]] == ["a", "3", "—", "—"]


def test_whole_numbers_are_counts_only_by_name_or_from_the_thousands():
    # an estimate that happens to be whole keeps its decimals; a column of whole numbers in the thousands is a count
    assert column_formatter("odds_ratio", pd.Series([2.0, 3.0]))(2.0) == "2.00"
    assert column_formatter("population", pd.Series([1000.0, 250.0]))(250.0) == "250"
    assert column_formatter("population", pd.Series([1000.0, 250.0]))(1000.0) == "1,000"
    assert column_formatter("population", pd.Series([-1500.0, 20.0]))(-1500.0) == "-1,500"
    assert column_formatter("score", pd.Series([999.0, 5.0]))(999.0) == "999.0"
    assert column_formatter("mean_income", pd.Series([1234.5, 900.25]))(1234.5) == "1,234.5"


@pytest.mark.parametrize(
    ("index", "kept"),
    [(pd.RangeIndex(2), False), (pd.Index([0, 1]), False), (pd.RangeIndex(2, name="step"), True),
     (pd.Index([3, 7]), True), (pd.Index(["a", "b"]), True), (pd.Index(["a", "b"], name="factor"), True),
     (pd.MultiIndex.from_tuples([(0, 0), (0, 1)]), True)],
)
def test_an_index_is_shown_only_when_it_carries_meaning(index, kept):
    head, body = cells(to_html(pd.DataFrame({"or": [1.5, 2.5]}, index=index)))
    assert (len(head) > 1) is kept
    assert body[1][-1] == "2.50"


def test_an_unnamed_meaningful_index_gets_an_empty_header():
    head, body = cells(to_html(pd.DataFrame({"or": [1.5]}, index=["problem_solving"])))
    assert head == ["", "OR"] and body == [["problem_solving", "1.50"]]
    head, _ = cells(to_html(pd.DataFrame({"or": [1.5]}, index=pd.Index(["x"], name="index"))))
    assert head == ["Index", "OR"]  # an index really named "index" keeps its name


def test_cells_are_aligned_by_kind():
    from bs4 import BeautifulSoup

    frame = pd.DataFrame({"n": [3], "flag": [True], "note": ["x"], "or": [1.5]})
    soup = BeautifulSoup(to_html(frame), "html.parser")
    assert [th["class"] for th in soup.select("thead th")] == [["lb-num"], ["lb-text"], ["lb-text"], ["lb-num"]]
    assert [td["class"] for td in soup.select("tbody td")] == [["lb-num"], ["lb-text"], ["lb-text"], ["lb-num"]]


def test_install_outside_a_notebook_does_nothing_and_inside_registers_the_renderer(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert install() is None
    registered = {}

    class Formatter:
        def for_type(self, kind, function):
            registered[kind] = function

    class Shell:
        display_formatter = type("DisplayFormatter", (), {"formatters": {"text/html": Formatter()}})()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    with pd.option_context("display.max_colwidth", 50):
        install()
        assert pd.get_option("display.max_colwidth") is None  # nothing truncated
    frame = pd.DataFrame({"p": [0.0001]})
    assert registered[pd.DataFrame](frame) == to_html(frame)

def test_a_named_table_carries_its_name_as_the_id_the_prose_cites():
    html = Table(pd.DataFrame({"n": [3]}), "A caption", name="tbl-help-table3")._repr_html_()
    assert BeautifulSoup(html, "html.parser").figure["id"] == "tbl-help-table3"
    assert "id=" not in Table(pd.DataFrame({"n": [3]}), "A caption")._repr_html_()


@pytest.mark.parametrize("name, caption, message", [
    ("table3", "A caption", "use 'tbl-'"),
    ("fig-table3", "A caption", "use 'tbl-'"),
    ("tbl-Table_3", "A caption", "lowercase"),
    ("tbl-table3", None, "give a caption"),
])
def test_a_name_must_be_citable_and_captioned(name, caption, message):
    with pytest.raises(ValueError, match=message):
        Table(pd.DataFrame({"n": [3]}), caption, name=name)


def test_a_stated_precision_applies_to_estimates_but_not_to_counts_or_p_values():
    frame = pd.DataFrame({"n": [6096, 282], "pct_of_previous": [100.0, 4.6], "p": [0.0004, 0.2]})
    cells = [td.get_text() for td in BeautifulSoup(to_html(frame, decimals=1), "html.parser").select("td")]
    assert cells == ["6,096", "100.0", "< 0.001", "282", "4.6", "0.200"]
    # without it, the precision follows the column's magnitude
    assert "4.60" in to_html(frame)
    assert "4.6<" in Table(frame, "Caption", decimals=1)._repr_html_()


def test_a_precision_per_column_leaves_the_other_columns_to_their_magnitude():
    frame = pd.DataFrame({"retained_percent": [100.0, 42.5], "or": [2.254, 1.1], "n": [1200, 30]})
    cells = [td.get_text() for td in BeautifulSoup(to_html(frame, decimals={"retained_percent": 1}),
                                                   "html.parser").select("td")]
    assert cells == ["100.0", "2.25", "1,200", "42.5", "1.10", "30"]

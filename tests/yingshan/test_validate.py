"""One malformed file per rejection rule; each message names file, column, rule and rows."""

import pytest

from leftbehind.core.errors import UserError
from leftbehind.yingshan.validate import validate_export
from rawfactory import valid_row, write_rows


def rows(n=4, bad_at=None, **changes):
    return [valid_row(i, **(changes if i == bad_at else {})) for i in range(1, n + 1)]


def rejects(path, *needles):
    with pytest.raises(UserError) as info:
        validate_export(path)
    message = str(info.value)
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    return message


def test_valid_file_passes(tmp_path):
    result = validate_export(write_rows(tmp_path / "ok.csv", rows()))
    assert len(result.data) == 4 and result.dropped_columns == []
    assert result.data["gender"].dtype == "Int64"


def test_missing_column(tmp_path):
    path = write_rows(tmp_path / "x.csv", rows(), columns=[c for c in valid_row(1) if c != "boarder"])
    rejects(path, "boarder", "missing required column")


def test_duplicate_id(tmp_path):
    data = rows()
    data[2]["response_id"] = "R1"
    rejects(write_rows(tmp_path / "x.csv", data), "'response_id'", "duplicate", "row(s) 1, 3")


@pytest.mark.parametrize(
    "column,value,rule",
    [("gender", 3, "outside its valid set"), ("age", 40, "outside its valid set"), ("cs07", 5, "outside its valid set"),
     ("age", "twelve", "not a whole number"), ("grade", "6.5", "not a whole number")],
)
def test_value_rules(tmp_path, column, value, rule):
    message = rejects(write_rows(tmp_path / "x.csv", rows(bad_at=3, **{column: value})), f"'{column}'", rule)
    assert "row(s) 3" in message


def test_months_apart_without_parent_away(tmp_path):
    data = rows(bad_at=2, father_away=2, mother_away=2, months_apart=3)
    rejects(write_rows(tmp_path / "x.csv", data), "'months_apart'", "months_apart_without_parent_away", "row(s) 2")


def test_treatment_when_no_nssi(tmp_path):
    data = rows(bad_at=4, nssi=2, treatment=3)
    rejects(write_rows(tmp_path / "x.csv", data), "'treatment'", "treatment_without_nssi", "row(s) 4")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    rejects(path, "empty")


def test_header_only(tmp_path):
    path = write_rows(tmp_path / "h.csv", [])
    rejects(path, "no data rows")


def test_wrong_delimiter(tmp_path):
    rejects(write_rows(tmp_path / "x.csv", rows(), sep=";"), "wrong delimiter", "semicolon")


def test_blank_response_id(tmp_path):
    data = rows()
    data[1]["response_id"] = ""
    rejects(write_rows(tmp_path / "x.csv", data), "'response_id'", "blank", "row(s) 2")


def test_many_rows_are_summarised(tmp_path):
    data = [valid_row(i, gender=9) for i in range(1, 9)]
    message = rejects(write_rows(tmp_path / "x.csv", data), "row(s) 1, 2, 3, 4, 5 (and 3 more)")
    assert "6," not in message


def test_bom_tolerated(tmp_path):
    result = validate_export(write_rows(tmp_path / "bom.csv", rows(), bom=True))
    assert list(result.data.columns)[0] == "response_id"


def test_unknown_columns_dropped_and_listed(tmp_path):
    data = [dict(r, pupil_name="secret", phone="123") for r in rows()]
    result = validate_export(write_rows(tmp_path / "x.csv", data))
    assert result.dropped_columns == ["pupil_name", "phone"]
    assert "pupil_name" not in result.data.columns


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("response_id,school_id\nR1,Sch\xe9\n".encode("latin-1"))
    rejects(path, "UTF-8")


def test_ragged_row(tmp_path):
    path = write_rows(tmp_path / "x.csv", rows())
    path.write_text(path.read_text() + "R9,S1,1,extra," + ",".join(["1"] * 60) + "\n")
    rejects(path, "malformed CSV")


# --- Tests that would notice (issue 14, item 8): row summaries, long digit strings, cross rules at their edges -----

from leftbehind.yingshan.validate import SHOW_ROWS, row_numbers  # noqa: E402


def test_row_numbers_lists_five_then_counts_the_rest():
    assert SHOW_ROWS == 5
    assert row_numbers([True] * 5) == "1, 2, 3, 4, 5"
    assert row_numbers([True] * 6) == "1, 2, 3, 4, 5 (and 1 more)"
    assert row_numbers([False, True, False, True]) == "2, 4"


def test_digit_strings_up_to_nine_characters_are_numbers(tmp_path):
    ok = validate_export(write_rows(tmp_path / "ok.csv", rows(3, bad_at=2, gender="000000002")))
    assert ok.data["gender"].tolist() == [1, 2, 1]
    rejects(write_rows(tmp_path / "x.csv", rows(3, bad_at=2, gender="0000000002")), "'gender'", "not a whole number",
            "row(s) 2")


def test_months_apart_zero_or_blank_is_fine_when_nobody_is_away(tmp_path):
    data = rows(3, bad_at=1, father_away=2, mother_away=2, months_apart=0)
    data[1].update(father_away="2", mother_away="2", months_apart="")
    assert len(validate_export(write_rows(tmp_path / "ok.csv", data)).data) == 3
    rejects(write_rows(tmp_path / "x.csv", rows(3, bad_at=3, father_away=2, mother_away=2, months_apart=1)),
            "'months_apart'", "neither parent is away", "row(s) 3")


def test_cross_rules_leave_blank_answers_to_the_exclusions(tmp_path):
    # a blank parent or NSSI answer cannot break a cross rule: the row is excluded later as incomplete
    data = rows(3, bad_at=1, father_away="", mother_away=2, months_apart=8)
    data[1].update(nssi="", treatment="3")
    result = validate_export(write_rows(tmp_path / "ok.csv", data))
    assert result.data["father_away"].isna().tolist() == [True, False, False]
    assert result.data["nssi"].isna().tolist() == [False, True, False]


# --- near-miss column names, repeated headers and whole numbers written with zero decimals ---

import numpy as np  # noqa: E402

from leftbehind.yingshan.validate import _drop_zero_decimals, missing_columns_message, near_match  # noqa: E402


@pytest.mark.parametrize(
    ("expected", "found", "match"),
    [("gender", ["Gender", "age"], "Gender"), ("father_away", ["Father Away"], "Father Away"),
     ("father_away", ["father-away"], "father-away"), ("grade", ["grdae", "age"], "grdae"),
     ("grade", ["school", "age"], None), ("cs01", [], None)],
)
def test_near_match_ignores_case_spacing_and_dashes_and_accepts_close_spellings(expected, found, match):
    assert near_match(expected, found) == match


def test_near_match_prefers_an_exact_match_after_normalising_over_a_close_spelling():
    assert near_match("grade", ["grad", "GRADE"]) == "GRADE"


def test_missing_columns_message_names_what_was_found():
    text = missing_columns_message(["gender", "grade"], ["Gender", "school"])
    assert "gender" in text and "Gender" in text and "grade" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14.0", "14"), ("14.00", "14"), ("14.5", "14.5"), ("14", "14"), (".0", ".0"), ("14.", "14."), ("", ""),
     ("10.50", "10.50")],
)
def test_zero_decimals_are_dropped_only_from_whole_numbers(text, expected):
    assert _drop_zero_decimals(np.array([text]))[0] == expected


# --- Survivors of the mutation run (issue 14, item 8): a duplicated header, one-digit codes written "1.0", the reader --

import pandas as pd  # noqa: E402

from leftbehind.yingshan.validate import read_export  # noqa: E402


def test_a_column_repeated_in_an_excel_header_is_refused(tmp_path):
    # CSV readers rename a repeated header (``gender.1``); an Excel sheet keeps it, so the check must catch two copies
    data = pd.DataFrame(rows(2))
    header = list(data.columns) + ["gender"]
    path = tmp_path / "twice.xlsx"
    pd.DataFrame(data.assign(extra="1").to_numpy(), columns=header).to_excel(path, index=False)
    rejects(path, "gender", "appear more than once")


def test_one_digit_codes_written_with_zero_decimals_are_read_as_whole_numbers(tmp_path):
    # pandas and Excel write a column holding blanks as floats: "1.0" is the code 1, "12.0" is 12
    data = rows(3, bad_at=2, gender="2.0", age="12.0", treatment="")
    data[0]["gender"] = "1.00"
    result = validate_export(write_rows(tmp_path / "ok.csv", data))
    assert result.data["gender"].tolist() == [1, 2, 1]
    assert result.data["age"].tolist() == [12, 12, 12]


def test_read_export_returns_every_cell_as_text(tmp_path):
    path = write_rows(tmp_path / "ok.csv", rows(2, bad_at=2, treatment=""))
    table = read_export(path)
    assert list(table.columns[:3]) == ["response_id", "school_id", "gender"]
    assert table["response_id"].tolist() == ["R1", "R2"]
    assert table["gender"].tolist() == ["1", "1"] and table["treatment"].tolist() == ["", ""]

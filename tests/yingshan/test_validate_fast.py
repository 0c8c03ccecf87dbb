"""The fast path for plain CSV files gives exactly what the text path gives: the same data, dtypes and messages.

Every spelling of a number cell that could tell the two paths apart is written into a small export and
validated twice: once as it comes (fast path where the file is plain) and once with the fast path switched
off.  A plain file must take the fast path; any other file must fall back to the text path.
"""

import numpy as np
import pandas as pd
import pytest

from leftbehind.core.errors import UserError
from leftbehind.yingshan import validate
from leftbehind.yingshan.validate import validate_export
from leftbehind.survey import readers
from rawfactory import survey_rows, valid_row, write_rows


def outcome(path, monkeypatch, fast: bool):
    """(data, dropped, read_info) or the error message, with the fast path on or off."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(validate, "read_plain_csv", lambda *a, **k: None)
        try:
            result = validate_export(path)
        except UserError as err:
            return str(err)
        return result


def same(path, monkeypatch):
    fast, text = outcome(path, monkeypatch, True), outcome(path, monkeypatch, False)
    if isinstance(text, str):
        assert fast == text
        return text
    assert not isinstance(fast, str), fast
    pd.testing.assert_frame_equal(fast.data, text.data)
    assert fast.dropped_columns == text.dropped_columns and fast.read_info == text.read_info
    return fast


def took_fast_path(path) -> bool:
    codebook = validate.load_codebook()
    return readers.read_plain_csv(path, {c.name for c in codebook.columns if c.type != "text"},
                                  {c.name for c in codebook.columns if c.type == "text"}) is not None


SPELLINGS = ["3", "03", "3.0", "3.00", "0000000003", "000000003", "3.", ".0", "3.5", "3.01", "3.0.0", " 3", "3 ",
             "+3", "-3", "-0", "3e0", "inf", "nan", "abc", "\uff13", "\u30003", "", "7", "99", "1234567890"]


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("column", ["gender", "age", "cs07", "months_apart", "treatment"])
def test_every_spelling_same_on_both_paths(tmp_path, monkeypatch, spelling, column):
    rows = [valid_row(i) for i in range(1, 6)]
    rows[2][column] = spelling
    rows[4][column] = spelling
    path = write_rows(tmp_path / "x.csv", rows)
    same(path, monkeypatch)


@pytest.mark.parametrize("spelling", ["3", "3.0", ""])
def test_plain_spellings_take_the_fast_path(tmp_path, spelling):
    rows = [valid_row(i) for i in range(1, 4)]
    rows[1]["cs03"] = spelling
    assert took_fast_path(write_rows(tmp_path / "x.csv", rows))


@pytest.mark.parametrize("spelling", ["3.", " 3", "+3", "3e0", "\uff13", "0000000003"])
def test_other_spellings_fall_back(tmp_path, spelling):
    rows = [valid_row(i) for i in range(1, 4)]
    rows[1]["cs03"] = spelling
    assert not took_fast_path(write_rows(tmp_path / "x.csv", rows))


def test_a_varied_survey_with_extra_columns_bom_and_crlf(tmp_path, monkeypatch):
    rows = survey_rows(300, seed=4)
    for i, row in enumerate(rows):
        row["comment"] = "好" if i % 3 else "x y"  # an extra column, not in the contract (dropped)
    rows[7]["age"] = "24"  # valid, out of the inclusion range: excluded later, not here
    path = write_rows(tmp_path / "x.csv", rows, bom=True)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert took_fast_path(path)
    result = same(path, monkeypatch)
    assert result.dropped_columns == ["comment"] and len(result.data) == 300


@pytest.mark.parametrize("change", ["duplicate_id", "blank_id", "outside", "cross_rule", "missing_column",
                                    "quoted", "ragged", "blank_line", "lone_cr", "gb18030", "no_final_newline"])
def test_file_level_cases_same_on_both_paths(tmp_path, monkeypatch, change):
    rows = survey_rows(40, seed=1)
    columns = None
    if change == "duplicate_id":
        rows[9]["response_id"] = rows[3]["response_id"]
    elif change == "blank_id":
        rows[5]["response_id"] = ""
    elif change == "outside":
        rows[2]["cs11"] = "5"
        rows[30]["cs11"] = "9"
        rows[31]["gender"] = "3"
    elif change == "cross_rule":
        rows[6].update(father_away="2", mother_away="2", months_apart="4")
    elif change == "missing_column":
        columns = [c for c in rows[0] if c != "Boarder".lower()]
    path = write_rows(tmp_path / "x.csv", rows, columns=columns)
    data = path.read_bytes()
    if change == "quoted":
        data = data.replace(b"S1,", b'"S1",', 1)
    elif change == "ragged":
        lines = data.split(b"\n")
        lines[4] += b",1"
        data = b"\n".join(lines)
    elif change == "blank_line":
        data = data.replace(b"\n", b"\n\n", 3)
    elif change == "lone_cr":
        data = data.replace(b"\n", b"\r", 2)
    elif change == "gb18030":
        data = data.replace(b"S1", "学校一".encode("utf-8")).decode("utf-8").encode("gb18030")
    elif change == "no_final_newline":
        data = data.rstrip(b"\n")
    path.write_bytes(data)
    same(path, monkeypatch)


def test_plain_line_check_matches_a_line_by_line_reading():
    """The chunked byte check counts lines and fields like a plain split, whatever the chunk size."""
    numeric = np.array([False, True, True])
    body = b"".join(b"a%d,%d,%d.0\n" % (i, i % 7, i % 3) for i in range(1000))
    for chunk in (7, 64, 1000, 1 << 20):
        assert readers.plain_lines(body, 3, numeric, chunk=chunk) == (1000, True)
    assert readers.plain_lines(body + b"x,1,2,3\n", 3, numeric, chunk=64) is None
    assert readers.plain_lines(body.replace(b",5,", b",5x,", 1), 3, numeric, chunk=64) is None


@pytest.mark.parametrize("school", [" S1", "S1 ", "S1\t", "\u3000S1", "S1\u00a0", "学校"])
def test_text_cells_with_edge_whitespace_are_stripped_on_both_paths(tmp_path, monkeypatch, school):
    rows = [valid_row(i) for i in range(1, 5)]
    rows[1]["school_id"] = school
    rows[2]["response_id"] = " R3 "
    path = write_rows(tmp_path / "x.csv", rows)
    assert took_fast_path(path)
    result = same(path, monkeypatch)
    assert result.data["response_id"].tolist()[2] == "R3"

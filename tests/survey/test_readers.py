"""Reading CSV (UTF-8, BOM, GB18030/GBK) and .xlsx files as text cells."""

import pandas as pd
import pytest

from leftbehind.core.errors import UserError
from leftbehind.survey.readers import decode_bytes, read_text_table


def test_utf8_bom_and_gbk_are_decoded_and_named(tmp_path):
    assert decode_bytes("a,b\n".encode("utf-8"), "x") == ("a,b\n", "utf-8")
    assert decode_bytes("\ufeffa,b\n".encode("utf-8"), "x") == ("a,b\n", "utf-8-sig")
    text, used = decode_bytes("学校,年级\n城关,7\n".encode("gbk"), "x")
    assert text == "学校,年级\n城关,7\n" and used == "gb18030"


def test_undecodable_bytes_name_the_offset_and_the_option():
    with pytest.raises(UserError, match=r"offset 2.*--encoding"):
        decode_bytes(b"ab\xff\xff\xff", "x.csv")
    assert decode_bytes("é,b".encode("latin-1"), "x", encoding="latin-1")[0] == "é,b"
    with pytest.raises(UserError, match="--encoding nope"):
        decode_bytes(b"a", "x", encoding="nope")


def test_xlsx_cells_read_as_the_text_a_csv_would_hold(tmp_path):
    path = tmp_path / "s.xlsx"
    pd.DataFrame({"id": ["a", "b"], "age": [14.0, None], "code": [1, 2]}).to_excel(path, index=False)
    table, info = read_text_table(path)
    assert table.to_dict(orient="list") == {"id": ["a", "b"], "age": ["14", ""], "code": ["1", "2"]}
    assert info.kind == "xlsx" and "Sheet1" in info.describe()


def test_misnamed_and_old_excel_files_get_a_hint(tmp_path):
    path = tmp_path / "s.xlsx"
    pd.DataFrame({"id": ["a"]}).to_excel(path, index=False)
    renamed = tmp_path / "s.csv"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(UserError, match="rename it to .xlsx"):
        read_text_table(renamed)
    old = tmp_path / "s.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match="save the sheet as .xlsx"):
        read_text_table(old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="cannot be read as an Excel"):
        read_text_table(broken)


def test_header_only_and_empty_files(tmp_path):
    (tmp_path / "h.csv").write_text("a,b\n")
    with pytest.raises(UserError, match="no data rows"):
        read_text_table(tmp_path / "h.csv")
    (tmp_path / "e.csv").write_text("  \n")
    with pytest.raises(UserError, match="empty"):
        read_text_table(tmp_path / "e.csv")

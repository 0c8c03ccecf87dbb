"""Read the files students actually have: CSV in UTF-8 (with or without a BOM), GB18030/GBK, or Excel ``.xlsx``.

:func:`read_text_table` returns every cell as text (``""`` for blank) plus a
:class:`ReadInfo` saying how the file was read, so the validators work on one
representation whatever the file type.  The encoding ladder is deliberately
short and strict, so a file is never decoded "successfully" into nonsense:

1. ``--encoding`` given: use it, strictly.
2. UTF-8 (a byte-order mark is accepted and removed).
3. GB18030, the Chinese national standard and a superset of GBK and GB2312 --
   what Chinese survey platforms (e.g. Wenjuanxing) and Excel on Chinese Windows
   save as "CSV".  It is tried only when the file is not valid UTF-8.

Anything else is rejected with a message naming the first undecodable byte and
the ``--encoding`` option.  Every error is a :class:`leftbehind.core.errors.UserError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leftbehind.core.errors import UserError

#: Encodings tried, in order, when none is given (UTF-8 first: it is strict and the contract's default).
ENCODING_LADDER = ("utf-8", "gb18030")
#: Readable names for the messages.
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "gb18030": "GB18030 (Chinese; covers GBK and GB2312)",
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class ReadInfo:
    """How a file was read: ``kind`` ("csv" or "xlsx"), the encoding used (CSV) and the sheet (Excel)."""

    kind: str
    encoding: str | None = None
    sheet: str | None = None
    other_sheets: int = 0

    def describe(self) -> str:
        if self.kind == "xlsx":
            others = f"; {self.other_sheets} other sheet(s) with content ignored" if self.other_sheets else ""
            return f"Excel workbook, first sheet '{self.sheet}'{others}"
        return f"CSV, encoding {ENCODING_NAMES.get(self.encoding, self.encoding)}"


def decode_bytes(raw: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` with ``encoding`` or the ladder; return ``(text, encoding used)``."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise UserError(f"--encoding {encoding}: not an encoding Python knows (try utf-8 or gb18030)") from None
        try:
            text = raw.decode(codec, errors="strict")
        except UnicodeDecodeError as err:
            raise UserError(
                f"{path}: not valid {encoding} text; first undecodable byte at offset {err.start} "
                f"(try without --encoding to let the file's encoding be detected)"
            ) from None
        return text.removeprefix("\ufeff"), codec
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise UserError(f"{path}: starts with a UTF-8 byte-order mark but is not UTF-8 text; "
                            f"first bad byte at offset {err.start + 3}") from None
    first_error = None
    for codec in ENCODING_LADDER:
        try:
            return raw.decode(codec, errors="strict"), codec
        except UnicodeDecodeError as err:
            first_error = first_error or err
    raise UserError(
        f"{path}: neither UTF-8 nor GB18030/GBK text (first bad byte at offset {first_error.start}); "
        f"if you know the encoding, give it with --encoding (e.g. --encoding big5), or save the file from "
        f"Excel as 'CSV UTF-8'"
    )


def _delimiter_problem(header: str) -> str | None:
    if "," in header:
        return None
    return next((name for sep, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")) if sep in header), None)


def _read_csv(path: Path, encoding: str | None) -> tuple[pd.DataFrame, ReadInfo]:
    text, used = decode_bytes(path.read_bytes(), path, encoding)
    if not text.strip():
        raise UserError(f"{path}: the file is empty (rule: a header row and at least one data row are required)")
    found = _delimiter_problem(text.splitlines()[0])
    if found:
        raise UserError(f"{path}: wrong delimiter: the header is separated by {found}s; the contract requires commas")
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, csv.Error) as err:
        raise UserError(f"{path}: malformed CSV (rule: every row has one field per header column): {err}") from None
    return table, ReadInfo("csv", encoding=used)


def _excel_text(value) -> str:
    """One Excel cell as the text a CSV export would hold (whole-number floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, ReadInfo]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise UserError(f"{path}: reading Excel files needs openpyxl; save the sheet as 'CSV UTF-8' instead") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and data validation it does not read
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # a corrupt or password-protected file: openpyxl raises many kinds
        raise UserError(f"{path}: cannot be read as an Excel .xlsx workbook ({type(err).__name__}: {err}); "
                        f"open it in Excel and save it again, or save it as 'CSV UTF-8'") from None
    try:
        sheets = book.sheetnames
        used = [name for name in sheets if book[name].max_row and book[name].max_row > 0]
        sheet = book[sheets[0]]
        rows = [[_excel_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UserError(f"{path}: the first sheet ('{sheets[0]}') is empty; the survey must be on the first sheet")
    header = [cell.strip() for cell in rows[0]]
    while header and header[-1] == "":  # trailing empty header cells (formatting only)
        header.pop()
    width = len(header)
    extra = [i + 2 for i, row in enumerate(rows[1:]) if any(cell.strip() for cell in row[width:])]
    if extra:
        raise UserError(f"{path}: sheet '{sheets[0]}': values beyond the last named column in spreadsheet row(s) "
                        f"{', '.join(map(str, extra[:5]))} (rule: every column needs a header)")
    table = pd.DataFrame([row[:width] + [""] * (width - len(row[:width])) for row in rows[1:]], columns=header, dtype=str)
    return table, ReadInfo("xlsx", sheet=sheets[0], other_sheets=len(used) - 1 if sheets[0] in used else len(used))


def read_text_table(path, encoding: str | None = None) -> tuple[pd.DataFrame, ReadInfo]:
    """Read a CSV or ``.xlsx`` file as text cells; reject missing, empty and header-only files.

    Column names are stripped of surrounding spaces.  Raises :class:`UserError` with the file named.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(f"{path}: old-style Excel .xls files are not read; save the sheet as .xlsx or 'CSV UTF-8'")
    if suffix in EXCEL_SUFFIXES:
        table, info = _read_xlsx(path)
    else:
        if path.read_bytes()[:4] == b"PK\x03\x04":
            raise UserError(f"{path}: this is a zip file (an Excel workbook?) with a {suffix or 'missing'} "
                            f"extension; rename it to .xlsx or save it as 'CSV UTF-8'")
        table, info = _read_csv(path, encoding)
    if table.empty:
        raise UserError(f"{path}: the file has a header but no data rows (rule: at least one data row is required)")
    table.columns = [str(c).strip() for c in table.columns]
    return table, info

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

import numpy as np
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


def _first_line(text: str) -> str:
    """``text.splitlines()[0]`` without splitting a file of millions of lines."""
    end = text.find("\n")
    return (text if end < 0 else text[: end + 1]).splitlines()[0]


def _decoded_csv(path: Path, encoding: str | None, raw: bytes | None = None) -> tuple[str, str]:
    """The CSV's text and the encoding used; rejects an empty file and a header split by another delimiter."""
    text, used = decode_bytes(path.read_bytes() if raw is None else raw, path, encoding)
    if not text or text.isspace():
        raise UserError(f"{path}: the file is empty (rule: a header row and at least one data row are required)")
    found = _delimiter_problem(_first_line(text))
    if found:
        raise UserError(f"{path}: wrong delimiter: the header is separated by {found}s; the contract requires commas")
    return text, used


def _read_csv(path: Path, encoding: str | None) -> tuple[pd.DataFrame, ReadInfo]:
    text, used = _decoded_csv(path, encoding)
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


# --------------------------------------------------------------------------- the fast path for big exports
#
# Reading every cell of a two-million-row export as a Python string costs minutes and gigabytes.  When the
# file is *plain* -- no quotes, one field per header column on every line, and every number column's cell
# either blank or ASCII digits (at most nine) with an optional ``.0``/``.00`` -- the C parser can read the
# number columns straight into floats and get exactly what the text path would: the text path accepts
# precisely these spellings and reads them as the same whole numbers.  The check is done on the bytes with
# numpy.  Any other file (a space, a sign, ``1e3``, full-width digits, a quote, a ragged line...) returns
# ``None`` and is read by :func:`read_text_table`, whose messages the validators give unchanged.

#: Bytes per chunk of the byte check (bounded memory whatever the file size).
CHECK_CHUNK = 1 << 24


@dataclass
class FastCsv:
    """A plain CSV read with its number columns as floats: ``header`` as the text path reads it (stripped),
    ``texts`` the text columns (as text, unstripped), ``numbers`` the number columns (float32, NaN = blank);
    ``trimmed``: no text cell has surrounding whitespace, so stripping them would change nothing."""

    header: list[str]
    texts: pd.DataFrame
    numbers: pd.DataFrame
    info: ReadInfo
    trimmed: bool = False


#: Bytes that cannot be part of a plain number cell (anything but digits, the dot, and the delimiters).
_OTHER = np.ones(256, dtype=bool)
_OTHER[[*range(48, 58), 46, 44, 10, 13]] = False


def _plain_chunk(a: np.ndarray, ncol: int, numeric: np.ndarray) -> tuple[int, bool] | None:
    """``(data lines, trimmed)`` for chunk ``a`` (whole lines) if it is plain (see above), else ``None``;
    ``trimmed``: no text cell starts or ends with whitespace (or a non-ASCII byte), so stripping changes nothing.

    Works on the delimiters, not on every byte: ``delims`` are the positions of commas and newlines, so
    field ``j`` of the chunk spans ``delims[j-1]+1 .. delims[j]`` and sits in column ``j % ncol``.
    """
    if a[-1] != 10:  # the file's last line without a newline
        a = np.append(a, np.uint8(10))
    if (a == 34).any():  # a quote: leave quoting rules to the text path
        return None
    is_nl = a == 10
    is_cr = a == 13
    crs = np.flatnonzero(is_cr)
    if crs.size and not is_nl[crs + 1].all():  # a lone carriage return ends a line for the C parser
        return None
    delims = np.flatnonzero(is_nl | (a == 44))
    fields = delims.size
    if fields % ncol:
        return None  # some line has more or fewer fields than the header
    line_ends = is_nl[delims].reshape(-1, ncol)  # each line: commas, then its newline, as the last field
    if not line_ends[:, -1].all() or line_ends[:, :-1].any():
        return None
    lines = fields // ncol
    starts = np.empty(fields, dtype=np.int64)
    starts[0], starts[1:] = 0, delims[:-1] + 1
    ends = delims - is_cr[np.maximum(delims - 1, 0)] * is_nl[delims]  # a CR before a newline ends the line
    in_number = np.tile(numeric, lines)
    # every byte of a number field must be a digit or a dot: find the other bytes, then their fields
    other = _OTHER[a]
    where = np.searchsorted(delims, np.flatnonzero(other))
    if in_number[where].any():
        return None
    filled = ~in_number & (ends > starts)  # does a text cell start or end with a byte str.strip() might remove?
    edge = np.concatenate([a[starts[filled]], a[ends[filled] - 1]])
    trimmed = not ((edge <= 32) | (edge >= 128)).any()
    dots = np.flatnonzero(a == 46)
    dot_field = np.searchsorted(delims, dots)
    keep = in_number[dot_field]
    dots, dot_field = dots[keep], dot_field[keep]
    length = ends - starts
    if not dots.size:
        return None if (length[in_number] >= 10).any() else (lines, trimmed)
    if np.unique(dot_field).size < dot_field.size:  # two dots in one field
        return None
    head = dots - starts[dot_field]
    tail = ends[dot_field] - dots - 1
    zeros = np.cumsum(a == 48, dtype=np.int64)  # "14.000": everything after the dot must be a zero
    tail_zeros = zeros[np.maximum(ends[dot_field] - 1, dots)] - zeros[dots]
    whole = length.copy()
    whole[dot_field] = head
    if (head == 0).any() or (tail == 0).any() or (tail_zeros != tail).any() or (whole[in_number] >= 10).any():
        return None
    return lines, trimmed


def plain_lines(body: bytes, ncol: int, numeric: np.ndarray, chunk: int = CHECK_CHUNK) -> tuple[int, bool] | None:
    """``(data lines, trimmed)`` of ``body`` (UTF-8 bytes after the header line) if it is plain, else ``None``."""
    arr = np.frombuffer(body, dtype=np.uint8)
    total, trimmed, start = 0, True, 0
    while start < arr.size:
        stop = min(start + chunk, arr.size)
        if stop < arr.size:
            cut = body.rfind(b"\n", start, stop)
            if cut < 0:
                cut = body.find(b"\n", stop)
            stop = arr.size if cut < 0 else cut + 1
        checked = _plain_chunk(arr[start:stop], ncol, numeric)
        if checked is None:
            return None
        total += checked[0]
        trimmed &= checked[1]
        start = stop
    return (total, trimmed) if total else None


def read_plain_csv(path, number_columns: set[str], text_columns: set[str],
                   encoding: str | None = None) -> FastCsv | None:
    """Read a plain CSV fast (see above), or return ``None`` when the file needs :func:`read_text_table`.

    Raises the same :class:`UserError` as :func:`read_text_table` for a file that cannot be read at all
    (missing, undecodable, empty, wrong delimiter).  Only the columns named in ``number_columns`` and
    ``text_columns`` are read.
    """
    path = Path(path)
    if not path.is_file() or path.suffix.lower() in EXCEL_SUFFIXES + (".xls",):
        return None
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        return None
    text, used = _decoded_csv(path, encoding, raw)
    if used in ("utf-8", "utf-8-sig"):  # the bytes are the text already (without a byte-order mark)
        data = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    else:
        data = text.encode("utf-8")
    del raw, text
    newline = data.find(b"\n")
    if newline < 0 or b'"' in data[:newline]:
        return None
    raw_header = pd.read_csv(io.BytesIO(data[: newline + 1]), dtype=str, keep_default_na=False, nrows=0).columns
    header = [str(c).strip() for c in raw_header]
    if len(set(header)) < len(header):
        return None
    numeric = np.array([name in number_columns for name in header])
    checked = plain_lines(data[newline + 1:], len(header), numeric)
    if checked is None:
        return None
    lines, trimmed = checked
    wanted = [i for i, name in enumerate(header) if name in number_columns or name in text_columns]
    table = pd.read_csv(
        io.BytesIO(data), encoding="utf-8", usecols=wanted, keep_default_na=False,
        dtype={raw_header[i]: ("float32" if numeric[i] else str) for i in wanted},
        na_values={raw_header[i]: [""] for i in wanted if numeric[i]},
    )
    if len(table) != lines:  # cannot happen for a plain file; the text path decides
        return None
    table.columns = [header[i] for i in wanted]
    names = list(table.columns)
    return FastCsv(
        header=header,
        texts=table[[c for c in names if c in text_columns]],
        numbers=table[[c for c in names if c in number_columns]],
        info=ReadInfo("csv", encoding=used),
        trimmed=trimmed,
    )

"""Read a raw questionnaire export and reject it when it breaks the contract.

An invalid file raises :class:`leftbehind.errors.UserError` whose message names
the file, the column, the rule and the first 1-based data rows that break it.
A *valid* file may still hold incomplete or out-of-range questionnaires: those
are excluded, and counted, later by :mod:`leftbehind.clean`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.codebook import Codebook, load_codebook
from leftbehind.errors import UserError

#: How many offending rows a message lists.
SHOW_ROWS = 5


@dataclass
class ValidatedExport:
    """A valid export: whole numbers as nullable Int64, text as str; plus what was dropped."""

    data: pd.DataFrame
    dropped_columns: list[str]
    path: Path


def row_numbers(mask) -> str:
    """The first offending 1-based data rows of a boolean mask, as text."""
    rows = np.flatnonzero(np.asarray(mask)) + 1
    shown = ", ".join(str(r) for r in rows[:SHOW_ROWS])
    more = f" (and {len(rows) - SHOW_ROWS} more)" if len(rows) > SHOW_ROWS else ""
    return f"{shown}{more}"


def fail(path, column: str, rule: str, mask) -> None:
    raise UserError(f"{path}: column '{column}': {rule}; data row(s) {row_numbers(mask)}")


def read_export(path: Path) -> pd.DataFrame:
    """Read the CSV as text (UTF-8, BOM tolerated); reject empty files and wrong delimiters."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError as err:
        raise UserError(f"{path}: not UTF-8 text (rule: the export must be UTF-8); first bad byte at offset {err.start}") from None
    if not text.strip():
        raise UserError(f"{path}: the file is empty (rule: a header row and at least one data row are required)")
    header = text.splitlines()[0]
    if "," not in header:
        found = next((name for sep, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")) if sep in header), None)
        if found:
            raise UserError(f"{path}: wrong delimiter: the header is separated by {found}s; the contract requires commas")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.ParserError as err:
        raise UserError(f"{path}: malformed CSV (rule: every row has one field per header column): {err}") from None
    if table.empty:
        raise UserError(f"{path}: the file has a header but no data rows (rule: at least one data row is required)")
    table.columns = [str(c).strip() for c in table.columns]
    return table


def _check_columns(table: pd.DataFrame, codebook: Codebook, path) -> list[str]:
    missing = [name for name in codebook.names if name not in table.columns]
    if missing:
        raise UserError(f"{path}: missing required column(s) {', '.join(missing)} (rule: every codebook column must be present)")
    return [c for c in table.columns if c not in codebook.names]


def _parse_numbers(table: pd.DataFrame, columns: list, path) -> pd.DataFrame:
    """All number columns at once (vectorised): reject text, then values outside each column's valid set."""
    names = [c.name for c in columns]
    text = table[names].to_numpy(dtype=str)
    blank = text == ""
    whole = np.char.isdecimal(text) & (np.char.str_len(text) < 10)
    bad = ~blank & ~whole
    for j in np.flatnonzero(bad.any(axis=0)):
        fail(path, names[j], "not a whole number (text in a number column)", bad[:, j])
    numbers = np.where(blank, "0", text).astype(np.int64)
    for j, column in enumerate(columns):
        allowed = np.array(sorted(column.valid_values()))
        outside = ~blank[:, j] & ~np.isin(numbers[:, j], allowed)
        if outside.any():
            fail(path, column.name, f"value outside its valid set ({column.describe_values()})", outside)
    return pd.DataFrame(
        {name: pd.arrays.IntegerArray(numbers[:, j], blank[:, j]) for j, name in enumerate(names)}, index=table.index
    )


def _check_cross_rules(data: pd.DataFrame, codebook: Codebook, path) -> None:
    rules = {rule["id"] for rule in codebook.cross_rules}
    if "months_apart_without_parent_away" in rules:
        nobody_away = (data["father_away"] == 2) & (data["mother_away"] == 2)
        bad = (nobody_away & (data["months_apart"] > 0)).fillna(False).astype(bool)
        if bad.any():
            fail(path, "months_apart", "months_apart > 0 but neither parent is away (rule months_apart_without_parent_away)", bad)
    if "treatment_without_nssi" in rules:
        bad = ((data["nssi"] == 2) & data["treatment"].notna()).fillna(False).astype(bool)
        if bad.any():
            fail(path, "treatment", "treatment filled although nssi = 2 (rule treatment_without_nssi)", bad)


def validate_export(path: Path, codebook: Codebook | None = None) -> ValidatedExport:
    """Read ``path`` and check it against the codebook; raise ``UserError`` on the first broken rule."""
    codebook = codebook or load_codebook()
    table = read_export(path)
    dropped = _check_columns(table, codebook, path)
    table = table[codebook.names]
    stripped = table.apply(lambda s: s.str.strip())
    table = stripped
    for column in codebook.columns:
        if column.type != "text":
            continue
        values = table[column.name]
        if column.blank == "error":
            blank = values == ""
            if blank.any():
                fail(path, column.name, "blank (rule: this column must always be filled)", blank)
        if column.unique:
            dup = values.duplicated(keep=False)
            if dup.any():
                fail(path, column.name, "duplicate value (rule: must be unique)", dup)
    numbers = _parse_numbers(table, [c for c in codebook.columns if c.type != "text"], path)
    texts = table[[c.name for c in codebook.columns if c.type == "text"]]
    data = pd.concat([texts, numbers], axis=1)[codebook.names]
    _check_cross_rules(data, codebook, path)
    return ValidatedExport(data=data, dropped_columns=dropped, path=Path(path))

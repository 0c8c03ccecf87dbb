"""Read a raw questionnaire export and reject it when it breaks the contract.

An invalid file raises :class:`leftbehind.core.errors.UserError` whose message names
the file, the column, the rule and the first 1-based data rows that break it.
A *valid* file may still hold incomplete or out-of-range questionnaires: those
are excluded, and counted, later by :mod:`leftbehind.yingshan.clean`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.spec.codebook import Codebook, load_codebook
from leftbehind.core.errors import UserError
from leftbehind.survey.readers import ReadInfo, read_plain_csv, read_text_table

#: How many offending rows a message lists.
SHOW_ROWS = 5


@dataclass
class ValidatedExport:
    """A valid export: whole numbers as nullable Int64, text as str; plus what was dropped."""

    data: pd.DataFrame
    dropped_columns: list[str]
    path: Path
    read_info: ReadInfo = field(default_factory=lambda: ReadInfo("csv", "utf-8"))


def row_numbers(mask) -> str:
    """The first offending 1-based data rows of a boolean mask, as text."""
    rows = np.flatnonzero(np.asarray(mask)) + 1
    shown = ", ".join(str(r) for r in rows[:SHOW_ROWS])
    more = f" (and {len(rows) - SHOW_ROWS} more)" if len(rows) > SHOW_ROWS else ""
    return f"{shown}{more}"


def fail(path, column: str, rule: str, mask) -> None:
    raise UserError(f"{path}: column '{column}': {rule}; data row(s) {row_numbers(mask)}")


def read_export(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """Read the export as text: CSV (UTF-8 with or without BOM, GB18030/GBK) or ``.xlsx``.

    See :func:`leftbehind.survey.readers.read_text_table`; the reading details are in :attr:`read_info`.
    """
    return read_text_table(path, encoding)[0]


def near_match(expected: str, found: list[str]) -> str | None:
    """A found column that is probably ``expected`` misspelt: same letters ignoring case, spaces and
    ``-``/``_``, or a close spelling (difflib ratio >= 0.8)."""

    def key(name: str) -> str:
        return "".join(ch for ch in name.casefold() if ch.isalnum())

    same = [name for name in found if key(name) == key(expected)]
    if same:
        return same[0]
    close = difflib.get_close_matches(expected.casefold(), [name.casefold() for name in found], n=1, cutoff=0.8)
    if close:
        return next(name for name in found if name.casefold() == close[0])
    return None


def missing_columns_message(missing: list[str], present: list[str]) -> str:
    """``gender`` -> "expected `gender`, found `Gender`" where a near match exists, else the bare name."""
    parts = []
    for name in missing:
        match = near_match(name, [c for c in present])
        parts.append(f"expected `{name}`, found `{match}`" if match else f"`{name}`")
    return "; ".join(parts)


def _check_columns(table: pd.DataFrame, codebook: Codebook, path) -> list[str]:
    extra = [c for c in table.columns if c not in codebook.names]
    missing = [name for name in codebook.names if name not in table.columns]
    if missing:
        raise UserError(
            f"{path}: missing required column(s): {missing_columns_message(missing, extra)} "
            f"(rule: every codebook column must be present, spelt exactly as in data/codebook.yaml)"
        )
    duplicated = sorted({c for c in table.columns if list(table.columns).count(c) > 1})
    if duplicated:
        raise UserError(f"{path}: column(s) {', '.join(duplicated)} appear more than once in the header")
    return extra


def _parse_numbers(table: pd.DataFrame, columns: list, path) -> pd.DataFrame:
    """All number columns at once (vectorised): reject text, then values outside each column's valid set."""
    names = [c.name for c in columns]
    text = table[names].to_numpy(dtype=str)
    blank = text == ""
    text = _drop_zero_decimals(text)
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


def _drop_zero_decimals(text: np.ndarray) -> np.ndarray:
    """``"14.0"`` / ``"14.00"`` -> ``"14"`` (pandas and Excel write whole numbers so when a column has blanks);
    ``"14.5"`` is left alone and is then rejected as not a whole number."""
    parts = np.char.partition(text, ".")
    head, dot, tail = parts[..., 0], parts[..., 1], parts[..., 2]
    zero_tail = (dot == ".") & (np.char.str_len(tail) > 0) & (np.char.strip(tail, "0") == "")
    return np.where(zero_tail & (np.char.str_len(head) > 0), head, text)


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


def _check_texts(table: pd.DataFrame, codebook: Codebook, path) -> None:
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


def _validate_plain(fast, codebook: Codebook, path) -> pd.DataFrame:
    """The fast path's checks, in the text path's order and with its messages (no cell can be text in a
    number column here: such a file is not plain)."""
    texts = fast.texts if fast.trimmed else fast.texts.apply(lambda s: s.str.strip())
    _check_texts(texts, codebook, path)
    columns = {}
    for column in codebook.columns:
        if column.type == "text":
            columns[column.name] = texts[column.name]
            continue
        values = fast.numbers[column.name].to_numpy()
        blank = np.isnan(values)
        numbers = np.where(blank, 0, values).astype(np.int64)
        outside = ~blank & ~np.isin(numbers, np.array(sorted(column.valid_values())))
        if outside.any():
            fail(path, column.name, f"value outside its valid set ({column.describe_values()})", outside)
        columns[column.name] = pd.arrays.IntegerArray(numbers, blank)
    return pd.DataFrame(columns, index=texts.index)


def validate_export(path: Path, codebook: Codebook | None = None, encoding: str | None = None) -> ValidatedExport:
    """Read ``path`` and check it against the codebook; raise ``UserError`` on the first broken rule.

    ``encoding`` forces a CSV encoding (else UTF-8, then GB18030; see :mod:`leftbehind.survey.readers`).
    A plain CSV (see :func:`leftbehind.survey.readers.read_plain_csv`) takes a fast path that reads the
    number columns as numbers; every other file is read as text.  Both give the same data and messages.
    """
    codebook = codebook or load_codebook()
    fast = read_plain_csv(path, {c.name for c in codebook.columns if c.type != "text"},
                          {c.name for c in codebook.columns if c.type == "text"}, encoding)
    if fast is not None:
        dropped = _check_columns(pd.DataFrame(columns=fast.header), codebook, path)
        data = _validate_plain(fast, codebook, path)
        info = fast.info
        del fast
    else:
        table, info = read_text_table(path, encoding)
        dropped = _check_columns(table, codebook, path)
        table = table[codebook.names]
        table = table.apply(lambda s: s.str.strip())
        _check_texts(table, codebook, path)
        numbers = _parse_numbers(table, [c for c in codebook.columns if c.type != "text"], path)
        texts = table[[c.name for c in codebook.columns if c.type == "text"]]
        data = pd.concat([texts, numbers], axis=1)[codebook.names]
    _check_cross_rules(data, codebook, path)
    return ValidatedExport(data=data, dropped_columns=dropped, path=Path(path), read_info=info)

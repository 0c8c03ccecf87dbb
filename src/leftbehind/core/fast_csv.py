"""Write a big table as CSV with exactly the bytes of ``DataFrame.to_csv(path, index=False, lineterminator="\n")``,
several times faster.

pandas formats every cell of every row on its own; an analysis dataset of two million pupils takes tens of
seconds.  Most columns hold few distinct values (codes, categories, item-mean scores), so
:func:`write_csv` formats each *distinct* value once and looks the text up per row, then joins the rows in
chunks.  It handles the column kinds of the analysis dataset (text, categories of text, booleans, integers,
nullable integers, floats) and hands anything else -- another dtype, a text cell that would need quoting,
a single column -- to pandas, so the file is always byte-identical to pandas' (the tests compare them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: Rows joined per write (bounds the memory of the text being built).
CHUNK_ROWS = 200_000
_NEEDS_QUOTES = (",", '"', "\n", "\r")


def _by_value(values: np.ndarray, text_of) -> np.ndarray:
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([text_of(v) for v in distinct], dtype=object)[where.ravel()]


def _plain(texts) -> bool:
    joined = "".join(map(str, texts))  # one scan in C: joining cannot make a mark that no text holds
    return not any(mark in joined for mark in _NEEDS_QUOTES)


def _column_text(column: pd.Series) -> np.ndarray | None:
    """The cells of ``column`` as pandas' ``to_csv`` writes them (object array), or ``None`` if not handled."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = list(dtype.categories)
        if not all(isinstance(c, str) for c in categories) or not _plain(categories):
            return None
        labels = np.array(categories + [""], dtype=object)
        codes = column.cat.codes.to_numpy()
        return labels[np.where(codes < 0, len(categories), codes)]
    if dtype == bool:
        return np.array(["False", "True"], dtype=object)[column.to_numpy().astype(np.int8)]
    if isinstance(dtype, pd.Int64Dtype):
        blank = column.isna().to_numpy()
        out = _by_value(column.to_numpy(dtype="int64", na_value=0), str)
        out[blank] = ""
        return out
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return _by_value(column.to_numpy(), str)
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        values = column.to_numpy()
        blank = np.isnan(values)
        bits = np.where(blank, 0.0, values).view(np.int64)  # distinct bit patterns: -0.0 is not 0.0
        out = _by_value(bits, lambda b: str(np.int64(b).view(np.float64)))
        out[blank] = ""
        return out
    if isinstance(dtype, pd.StringDtype) or dtype == object:
        values = column.to_numpy(dtype=object)
        blank = pd.isna(values)
        if pd.api.types.infer_dtype(values[~blank], skipna=False) not in ("string", "empty"):
            return None
        out = np.where(blank, "", values)
        if not _plain(out):
            return None
        return out
    return None


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame.to_csv(path, index=False, lineterminator="\n")``, byte for byte, faster (see the module docstring).

    Lines end in ``\n`` on every system (pandas' default is the system's line end).
    """
    columns = [_column_text(frame[name]) for name in frame.columns] if frame.shape[1] > 1 else [None]
    names = [str(name) for name in frame.columns]
    if any(c is None for c in columns) or not _plain(names) or frame.columns.has_duplicates:
        frame.to_csv(path, index=False, lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(names) + "\n")
        for start in range(0, len(frame), CHUNK_ROWS):
            rows = zip(*(c[start:start + CHUNK_ROWS] for c in columns))
            out.write("\n".join(map(",".join, rows)) + "\n")

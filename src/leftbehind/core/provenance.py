"""The provenance convention for published numbers.

Every number the book takes from a source lives in a CSV under
``data/published/``.  Each row carries the number *as printed*, what it counts,
and where it was read, so a reader can check it against the document:

=============  =================================================================
column         meaning
=============  =================================================================
key            a stable identifier used by code and glue (``snake_case``)
value          the number exactly as printed (no thousands separators)
decimals       how many decimals the source printed (the number's precision)
unit           what the number is: ``count``, ``percent``, ``years``, ``ratio`` …
denominator    for a percentage or count share: the ``key`` of its denominator
document       a citation key in ``book/references.bib``
section        where in the document (e.g. ``Methods > Participants``)
paragraph      paragraph, table or page within that section
note           optional: anything a reader needs to interpret the number
=============  =================================================================

:func:`load_published` reads such a file and rejects a malformed one with a
message naming the file, the column and the rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leftbehind.core.errors import row_numbers
from leftbehind.core.paths import published_dir

REQUIRED_COLUMNS = (
    "key",
    "value",
    "decimals",
    "unit",
    "denominator",
    "document",
    "section",
    "paragraph",
    "note",
)


class ProvenanceError(ValueError):
    """A provenance file breaks the convention."""



def validate_published(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check a provenance table; return it indexed by ``key``.

    Raises :class:`ProvenanceError` naming ``source``, the column and the
    (1-based) data rows at fault.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise ProvenanceError(f"{source}: missing column(s) {', '.join(missing)}")
    table = table.reset_index(drop=True)
    for column in ("key", "value", "decimals", "unit", "document", "section", "paragraph"):
        blank = table[column].isna() | (table[column].astype(str).str.strip() == "")
        if blank.any():
            raise ProvenanceError(f"{source}: column '{column}' is blank in row(s) {row_numbers(blank)}")
    dup = table["key"].duplicated(keep=False)
    if dup.any():
        raise ProvenanceError(f"{source}: column 'key' repeats in row(s) {row_numbers(dup)}")
    numeric = pd.to_numeric(table["value"], errors="coerce")
    bad = numeric.isna()
    if bad.any():
        raise ProvenanceError(f"{source}: column 'value' is not a number in row(s) {row_numbers(bad)}")
    decimals = pd.to_numeric(table["decimals"], errors="coerce")
    bad = decimals.isna() | (decimals < 0) | (decimals != decimals.round())
    if bad.any():
        raise ProvenanceError(f"{source}: column 'decimals' is not a whole number ≥ 0 in row(s) {row_numbers(bad)}")
    printed = table["value"].astype(str).str.strip()
    shown = printed.map(lambda text: len(text.split(".")[1]) if "." in text else 0)
    bad = shown != decimals.astype(int)
    if bad.any():
        raise ProvenanceError(
            f"{source}: column 'decimals' disagrees with the printed value in row(s) {row_numbers(bad)}"
        )
    known = set(table["key"])
    denominators = table["denominator"].fillna("").astype(str).str.strip()
    bad = (denominators != "") & ~denominators.isin(known)
    if bad.any():
        raise ProvenanceError(
            f"{source}: column 'denominator' names an unknown key in row(s) {row_numbers(bad)}"
        )
    out = table.assign(
        printed=printed,
        value=numeric.astype(float),
        decimals=decimals.astype(int),
        denominator=denominators.replace("", pd.NA),
        note=table["note"].fillna(""),
    )
    return out.set_index("key")


def load_published(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Read ``data/published/<name>.csv`` and validate it (see module docstring)."""
    path = (directory or published_dir()) / f"{name}.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return validate_published(table, str(path))


def cite(row: pd.Series) -> str:
    """A short human-readable location for one provenance row."""
    return f"{row['document']}, {row['section']}, {row['paragraph']}"

"""The counts a set of tables publishes, keyed by what they count, with the sums that link them.

A count is "the rows where these columns have these levels"; its key is the
sorted tuple of ``(column, level)`` conditions, so the same count printed in two
tables (the left-behind boys in Table 1 and in Table 2) is one key and is hidden
in both or in neither.  :meth:`Ledger.split` records that a count equals the sum
of its parts over every level of a column (blank answers counted as their own
level), which is what a reader can subtract.  :meth:`Ledger.protect` hands the
whole system to :func:`leftbehind.release.suppression.protect`.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.release.suppression import DEFAULT_THRESHOLD, Protection, protect

MISSING = "(blank)"
#: Hiding a total costs more than hiding any cell, so cells go first.
TOTAL_COST = 1e9


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Ledger:
    """Counts of ``data`` rows by conditions, and the sums between them."""

    def __init__(self, data: pd.DataFrame):
        self.data = data
        self.values: dict[tuple, int] = {}
        self.sums: list[tuple[tuple, list[tuple]]] = []
        self.cost: dict[tuple, float] = {}
        self._texts: dict[str, pd.Series] = {}

    def _text_column(self, column: str) -> pd.Series:
        if column not in self._texts:
            self._texts[column] = self.data[column].map(_text)
        return self._texts[column]

    def _mask(self, key: tuple) -> pd.Series:
        mask = pd.Series(True, index=self.data.index)
        for column, level in key:
            mask &= self._text_column(column) == level
        return mask

    def count(self, total: bool = False, **conditions) -> tuple:
        """Register the count of rows meeting ``conditions`` (column=level) and return its key."""
        key = tuple(sorted((c, _text(v)) for c, v in conditions.items()))
        return self.key(key, total)

    def key(self, key: tuple, total: bool = False) -> tuple:
        if key not in self.values:
            self.values[key] = int(self._mask(key).sum())
        if total:
            self.cost[key] = TOTAL_COST + self.values[key]
        return key

    def split(self, key: tuple, column: str, levels=None) -> dict[str, tuple]:
        """The counts of ``key`` by each level of ``column`` (every level in the data, plus blanks), summed to ``key``."""
        self.key(key)
        present = list(self._text_column(column).drop_duplicates())
        wanted = [str(v) for v in levels] if levels is not None else []
        names = wanted + sorted({p for p in present if p not in wanted})
        parts = {level: self.key(tuple(sorted((*key, (column, level))))) for level in names}
        self.sums.append((key, list(parts.values())))
        return parts

    def add(self, key: tuple, value: int, total: bool = False) -> tuple:
        """A count that is not a row count of ``data`` (e.g. questionnaires read before exclusions)."""
        self.values[key] = int(value)
        if total:
            self.cost[key] = TOTAL_COST + int(value)
        return key

    def link(self, total: tuple, parts: list[tuple]) -> None:
        self.sums.append((total, list(parts)))

    def protect(self, threshold: int = DEFAULT_THRESHOLD) -> Protection:
        return protect(self.values, self.sums, threshold, self.cost)

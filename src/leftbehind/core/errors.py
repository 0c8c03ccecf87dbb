"""Errors a user can fix.  The command line prints them without a traceback."""


class UserError(Exception):
    """Bad input: the message names the file, the column, the rule and the rows."""

    exit_code = 2


def row_numbers(mask) -> str:
    """The first ten 1-based data rows (positions) where the boolean ``mask`` is true, comma-separated."""
    import numpy as np

    return ", ".join(str(i + 1) for i in np.flatnonzero(np.asarray(mask, dtype=bool))[:10])


def is_blank(series):
    """True where a text column is missing or only whitespace."""
    return series.isna() | (series.astype(str).str.strip() == "")


def fail_where(source: str, column: str, rule: str, mask) -> None:
    """Raise :class:`UserError` naming the file, column, rule and first rows if any row breaks the rule."""
    if mask.any():
        raise UserError(f"{source}: column '{column}' {rule} in row(s) {row_numbers(mask)}")


def require_columns(table, columns, source: str) -> None:
    """Raise :class:`UserError` naming the file and every required column the table lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)}")

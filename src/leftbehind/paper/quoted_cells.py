"""The few cells of the rebuilt tables that the book's chapters quote in their prose, looked up by the survey's names.

Only this layer may name the Yingshan survey's variables (``tests/test_architecture.py``), so the chapter modules
(:mod:`leftbehind.chapters`) ask for "the rural share of left-behind children" here instead of indexing a table by
``residence``.  Each function returns plain numbers keyed by what they are, in the order the chapter states them.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.paper.tables import HELP_CATEGORIES


def _cell(cells: pd.DataFrame, variable: str, level: str | None, column: str) -> float:
    rows = cells[cells["variable"] == variable]
    if level is not None:
        rows = rows[rows["level"] == level]
    if rows.empty:
        raise KeyError(f"the table has no row for {variable}{'' if level is None else ' = ' + level}")
    return float(rows[column].iloc[0])


def table1_quoted(cells: pd.DataFrame) -> dict[str, float]:
    """Table 1's cells (``cells`` of :func:`~leftbehind.paper.tables.table1_demographics`) that the text quotes:
    the rural share of LBC, the senior-middle-school share of each group, and age (LBC mean and SD, NLBC mean)."""
    return {
        "rural_lbc_pct": _cell(cells, "residence", "rural", "lbc_pct"),
        "senior_lbc_pct": _cell(cells, "stage", "senior", "lbc_pct"),
        "senior_nlbc_pct": _cell(cells, "stage", "senior", "nlbc_pct"),
        "age_lbc": _cell(cells, "age", None, "lbc_mean"),
        "age_lbc_sd": _cell(cells, "age", None, "lbc_sd"),
        "age_nlbc": _cell(cells, "age", None, "nlbc_mean"),
    }


def lbc_age_by_boarding(analysis: pd.DataFrame) -> dict[str, float]:
    """Mean age of left-behind boarders and of left-behind day pupils (``boarders``, ``day``)."""
    lbc = analysis[analysis["lbc"]]
    return {"boarders": float(lbc.loc[lbc["boarder"] == "yes", "age"].mean()),
            "day": float(lbc.loc[lbc["boarder"] == "no", "age"].mean())}


def table3_quoted(cells: pd.DataFrame) -> dict[str, float | int]:
    """Table 3's cells (``cells`` of :func:`~leftbehind.paper.tables.table3_help_seeking`) that the text quotes.

    For each help category in the questionnaire's order, the LBC count and percentage (``lbc_<category>_n``,
    ``lbc_<category>_pct``); then the 95 % interval of the LBC professional share (``lbc_prof_lo``, ``lbc_prof_hi``)
    and the NLBC professional share (``nlbc_professional_pct``).
    """
    share = cells.set_index("help_seeking")
    quoted: dict[str, float | int] = {}
    for kind in HELP_CATEGORIES:
        quoted[f"lbc_{kind}_n"] = int(share.loc[kind, "lbc_n"])
        quoted[f"lbc_{kind}_pct"] = float(share.loc[kind, "lbc_pct"])
    quoted["lbc_prof_lo"] = float(share.loc["professional", "lbc_ci_low"])
    quoted["lbc_prof_hi"] = float(share.loc["professional", "lbc_ci_high"])
    quoted["nlbc_professional_pct"] = float(share.loc["professional", "nlbc_pct"])
    return quoted

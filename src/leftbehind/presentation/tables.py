"""Tables as readers see them: one renderer for every table the book and ``analyse`` show.

Every ``pandas.DataFrame`` a chapter displays goes through :func:`to_html` (installed as the notebook's HTML
formatter for data frames by :func:`install`, which :func:`leftbehind.plots.figures.apply_style` calls):

- column headers and row labels in words, from the one vocabulary (:mod:`leftbehind.presentation.vocabulary`);
- no index column unless the index carries meaning (a plain 0…N range is dropped);
- numbers by kind: counts with thousands separators and no decimals; p-values at three decimals, or ``< 0.001``;
  other numbers at a precision chosen from the column's magnitude (at least two significant digits);
- missing values as "—";
- text never truncated; a table too wide for its column (a phone, a laptop beside the sidebars) shows each row as
  a card, every value beside its column's name (``data-label``; ``book/_static/leftbehind-tables.js``), so nothing
  scrolls sideways; without JavaScript, every table scrolls in its own box, so the page itself never does.

A table with a caption is numbered in the book ("Table 12."), and a table given a ``name`` (``tbl-…``) can be
cited from the prose with ``{numref}`` (``book/_ext/numbered_outputs.py`` turns the caption into a Sphinx
table; see :func:`check_name`).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from leftbehind.presentation.i18n import edition_html
from leftbehind.presentation.vocabulary import label, vocabulary

MISSING = "—"
P_COLUMN = re.compile(r"^(?:p|p[ _-]?value|p[ _(].*|.*[ _]p|p_\w+|p-\w+)$", re.IGNORECASE)
COUNT_COLUMN = re.compile(r"(?:^|[ _])(?:n|count|counts|events|cases|k|step|rows|pupils|children|total)(?:$|[ _])",
                          re.IGNORECASE)


def describe_comparison(key: str) -> str:
    """A comparison id in words: ``t2:residence=county_town:lbc_vs_nlbc`` → "Table 2, residence: county town
    (LBC vs NLBC)"; ``t7:family[single_parent]`` → "Table 7, family structure: single-parent"."""
    parts = str(key).split(":")
    table = ""
    if parts and re.fullmatch(r"t\d+", parts[0]):
        table = f"Table {parts[0][1:]}, "
        parts = parts[1:]
    what = parts[0] if parts else ""
    contrast = f" ({label(parts[1])})" if len(parts) > 1 else ""
    match = re.fullmatch(r"(\w+)(?:=(\w+|\*)|\[(\w+)\])", what)
    if match:
        level = match.group(2) or match.group(3)
        level_text = "each category" if level == "*" else vocabulary().get(level, level.replace("_", " "))
        described = f"{label(match.group(1))}: {level_text}"
    elif what == "*":
        described = "each category"
    else:
        described = label(what)
    return f"{table}{described}{contrast}"


COMPARISON_ID = re.compile(r"^t\d+:\S+$")
TERM_KEY = re.compile(r"^\w+\[\w+\]$")


def readable(value) -> str:
    """Text for a table cell: comparison ids and model-term keys in words, anything else as it is."""
    text = str(value)
    if COMPARISON_ID.match(text):
        return describe_comparison(text)
    if TERM_KEY.match(text):
        return label(text)
    return text


def format_p(p) -> str:
    """A p-value: three decimals, ``< 0.001`` below that, "—" when missing."""
    if p is None or pd.isna(p):
        return MISSING
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def format_count(value) -> str:
    """A count: thousands separators, no decimals."""
    if value is None or pd.isna(value):
        return MISSING
    return f"{int(round(float(value))):,}"


def decimals_for(values: pd.Series) -> int:
    """Decimals for a column of estimates: two (as in ``1.67–2.75``), more for small values so the typical
    (median absolute) value keeps two significant digits (at most four), one for values in the hundreds."""
    finite = values.dropna().astype(float).abs()
    finite = finite[np.isfinite(finite) & (finite > 0)]
    if finite.empty:
        return 2
    magnitude = math.floor(math.log10(float(finite.median())))
    if magnitude >= 2:
        return 1
    return int(min(4, max(2, 1 - magnitude)))


def format_number(value, decimals: int) -> str:
    if value is None or pd.isna(value):
        return MISSING
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:,.{decimals}f}"


def _is_integral(values: pd.Series) -> bool:
    finite = values.dropna()
    if finite.empty:
        return False
    as_float = finite.astype(float)
    return bool(np.all(np.isfinite(as_float)) and np.all(as_float == np.round(as_float)))


def column_formatter(name, values: pd.Series, decimals: int | None = None):
    """The formatter for one column, chosen by its name and contents.

    ``decimals`` fixes the precision of estimates and percentages (never of counts or p-values); without it the
    precision follows the column's magnitude (:func:`decimals_for`)."""
    text = str(name)
    if pd.api.types.is_bool_dtype(values):
        return lambda v: MISSING if pd.isna(v) else ("yes" if v else "no")
    if not pd.api.types.is_numeric_dtype(values):
        return lambda v: MISSING if v is None or (not isinstance(v, str) and pd.isna(v)) else readable(v)
    if P_COLUMN.match(text.strip()):
        return format_p
    if pd.api.types.is_integer_dtype(values) or (_is_integral(values) and COUNT_COLUMN.search(text)):
        return format_count
    if _is_integral(values) and values.dropna().abs().max() >= 1000:
        return format_count
    shown = decimals_for(values) if decimals is None else decimals
    return lambda v: format_number(v, shown)


def _meaningful_index(frame: pd.DataFrame) -> bool:
    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.name is None:
        return False
    if index.name is None and not isinstance(index, pd.MultiIndex) and pd.api.types.is_integer_dtype(index):
        return not np.array_equal(np.asarray(index), np.arange(len(index)))
    return True


#: A name the prose can cite: lowercase words joined by hyphens, starting with the kind (Sphinx keeps it unchanged).
NAME = re.compile(r"^(tbl|fig)-[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_name(name: str | None, caption: str | None, kind: str) -> str | None:
    """``name`` if it is a valid cross-reference name for a ``kind`` ("tbl" or "fig") output, else ``ValueError``.

    Only a captioned output is numbered, so a name needs a caption.
    """
    if name is None:
        return None
    if not NAME.match(name) or not name.startswith(kind + "-"):
        raise ValueError(f"name {name!r}: use '{kind}-' then lowercase words joined by hyphens, e.g. '{kind}-table7-model'")
    if not caption:
        raise ValueError(f"name {name!r}: only a captioned {'table' if kind == 'tbl' else 'figure'} is numbered; give a caption")
    return name


def to_html(frame: pd.DataFrame, caption: str | None = None, name: str | None = None,
            decimals: int | Mapping[str, int] | None = None) -> str:
    """The book's HTML for a table (see the module docstring); ``name`` becomes the ``id`` the prose cites;
    ``decimals`` fixes the precision of every estimate column (see :func:`column_formatter`), or, as a mapping
    from column to decimals, of the columns it names (the others follow their magnitude).

    The HTML holds the table in both editions of the book (:func:`leftbehind.presentation.i18n.edition_html`):
    the same numbers, with headers, text cells and caption translated for the Chinese one."""
    name = check_name(name, caption, "tbl")
    return edition_html(lambda translate: _render(frame, caption, name, decimals, translate))


def _render(frame: pd.DataFrame, caption: str | None, name: str | None,
            decimals: int | Mapping[str, int] | None, translate) -> str:
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" ".join(str(part) for part in col if str(part)) for col in frame.columns]
    if _meaningful_index(frame):
        names = [n for n in (frame.index.names or []) if n is not None]
        frame = frame.reset_index()
        if not names:
            frame = frame.rename(columns={"index": ""})
    frame.columns = [str(c) for c in frame.columns]
    precision = decimals if isinstance(decimals, Mapping) else dict.fromkeys(frame.columns, decimals)
    formatters = [column_formatter(name, frame[name], precision.get(name)) for name in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name])
               for name in frame.columns]
    headers = [translate(label(name)) for name in frame.columns]
    # a table too wide for its column reads as one card per row (book/_static/leftbehind-tables.js and .css):
    # each cell carries its column's name, so no column is guessed and nothing scrolls sideways; explicit ARIA
    # roles keep it a table for screen readers when the cards change its display
    head = "".join(
        f'<th scope="col" class="{"lb-num" if is_num else "lb-text"}" role="columnheader">{html.escape(header)}</th>'
        for header, is_num in zip(headers, numeric)
    )
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for value, fmt, is_num, header in zip(values, formatters, numeric, headers):
            text = html.escape(fmt(value) if is_num else translate(fmt(value)))
            cells.append(f'<td class="{"lb-num" if is_num else "lb-text"}" role="cell" '
                         f'data-label="{html.escape(header, quote=True)}">{text}</td>')
        rows.append('<tr role="row">' + "".join(cells) + "</tr>")
    table = (
        # tabindex: a keyboard user can scroll the box (axe: scrollable-region-focusable)
        f'<div class="lb-table-scroll" tabindex="0" role="region" aria-label="{html.escape(translate("table (scrolls sideways)"), quote=True)}" '
        'style="overflow-x:auto;max-width:100%">'
        f'<table class="lb-table" role="table"><thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>'
    )
    if not caption:
        return table
    # the caption sits outside the scrolling box, so on a phone it wraps at the page's width
    ident = f' id="{name}"' if name else ""
    return f'<figure class="lb-table-figure"{ident}><figcaption>{html.escape(translate(caption))}</figcaption>{table}</figure>'


class Table:
    """A table with a caption, displayed through :func:`to_html` (``Table(df, "Caption")`` as a cell's value).

    ``name`` (``"tbl-…"``) lets the prose cite the table by its number: ``{numref}`tbl-…```. ``decimals`` shows
    every estimate and percentage at that precision (e.g. ``1`` where the prose shows ``36.9 %``).
    """

    def __init__(self, frame: pd.DataFrame, caption: str | None = None, name: str | None = None,
                 decimals: int | Mapping[str, int] | None = None):
        self.frame = frame
        self.caption = caption
        self.name = check_name(name, caption, "tbl")
        self.decimals = decimals

    def _repr_html_(self) -> str:
        return to_html(self.frame, self.caption, self.name, self.decimals)

    def __repr__(self) -> str:
        return f"Table: {self.caption or ''} ({len(self.frame)} rows)"


def install() -> None:
    """Make :func:`to_html` the HTML formatter for every data frame a notebook displays (no-op outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the book environment
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, lambda frame: to_html(frame))
    pd.set_option("display.max_colwidth", None)

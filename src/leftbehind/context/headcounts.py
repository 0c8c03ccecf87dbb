"""How many children are left behind: published headcounts, kept apart by definition.

China's headline numbers of left-behind children (LBC) come from different
issuers using different definitions (age cut-off, which parent is away, whether
urban-registered children count, census sample vs administrative survey).  A
change of definition is a **break**, not a trend, so this module never joins
points that were counted under different definitions.

Data files in ``data/published/`` (all numbers *published*, as printed):

``lbc_headcounts.csv``
    one row per published number about the LBC population: ``row_id``,
    ``data_year`` (a year for plotting) and ``data_year_printed`` (as printed,
    e.g. ``c. 2010``), ``measure`` (``lbc_count`` for a headcount; shares,
    age groups and changes otherwise), ``qualifier`` (``nearly``, ``about`` …
    as printed, else blank), ``value`` and ``decimals`` (as printed), ``unit``
    (``million`` or ``percent``), ``headline`` (``yes`` for the number the
    issuer headlines for that definition and year), ``definition_id`` and the
    definition itself (``definition``, ``age_range``, ``parents_away``,
    ``hukou_scope``, ``source_type``: identical on every row of one
    ``definition_id``), ``issuer``, ``document`` (bib key), ``where_read``,
    ``note``.
``lbc_compulsory_education.csv``
    LBC enrolled in compulsory education (Ministry of Education registers; not
    comparable with the headcounts): ``row_id``, ``year``, ``level``
    (``primary_and_junior``, ``primary``, ``junior``), ``qualifier``,
    ``value``, ``decimals``, ``unit``, ``confirmed`` (``no`` for a figure we
    could not confirm from a second source), ``scope``, ``issuer``,
    ``document``, ``where_read``, ``note``.
``migrant_workers.csv``
    the NBS Migrant Worker Monitoring Survey series and figures quoted from it:
    ``row_id``, ``year``, ``measure`` (``total``, ``inter_provincial``),
    ``series`` (``nbs_monitoring`` or ``quoted``), ``qualifier``, ``value``,
    ``decimals``, ``unit``, ``scope``, ``issuer``, ``document``,
    ``where_read``, ``note``.
``lbc_care_arrangements.csv``
    who looks after LBC: ``row_id``, ``data_year`` (blank when not stated),
    ``data_year_printed``, ``measure``, ``qualifier``, ``value``, ``decimals``,
    ``unit``, ``population_scope``, ``issuer``, ``document``, ``where_read``,
    ``note``.

Every loader validates its file and raises :class:`~leftbehind.core.errors.UserError`
naming the file, the column, the rule and the first 1-based data rows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.core.errors import UserError, fail_where, is_blank, require_columns
from leftbehind.core.paths import published_dir
from leftbehind.stats.granularity import rounds_to

DEFINITION_COLUMNS = ("definition", "age_range", "parents_away", "hukou_scope", "source_type")
HEADCOUNT_COLUMNS = (
    "row_id", "data_year", "data_year_printed", "measure", "qualifier", "value", "decimals", "unit", "headline",
    "definition_id", *DEFINITION_COLUMNS, "issuer", "document", "where_read", "note",
)
EDUCATION_COLUMNS = (
    "row_id", "year", "level", "qualifier", "value", "decimals", "unit", "confirmed", "scope", "issuer", "document",
    "where_read", "note",
)
MIGRANT_COLUMNS = (
    "row_id", "year", "measure", "series", "qualifier", "value", "decimals", "unit", "scope", "issuer", "document",
    "where_read", "note",
)
CARE_COLUMNS = (
    "row_id", "data_year", "data_year_printed", "measure", "qualifier", "value", "decimals", "unit",
    "population_scope", "issuer", "document", "where_read", "note",
)

#: Short names for the headcount definitions, used in legends and tables.
DEFINITION_LABELS = {
    "acwf_census_rural_0_17": "ACWF: rural, 0–17, one or both parents away (2010 census sample)",
    "secondary_incl_urban": "Secondary citation, incl. urban (definition not located)",
    "secondary_unstated": "Secondary citation (definition not stated)",
    "mca_rural_under16": "MCA: rural, under 16, both parents away (administrative survey)",
    "census2020_all_0_17": "2020 census: all hukou, 0–17, one or both parents away",
    "census2020_rural_0_17": "2020 census: rural hukou only",
    "census2020_urban_0_17": "2020 census: urban hukou only",
}





def validate_table(table: pd.DataFrame, columns: tuple[str, ...], required: tuple[str, ...],
                   year_column: str | None, source: str) -> pd.DataFrame:
    """Shared checks: columns present, required cells filled, unique ``row_id``,
    ``value`` numeric with as many decimals as ``decimals`` says, whole-number years.

    Returns the table with ``value`` as float, the printed text in ``printed``,
    ``decimals`` as int and the year column as a nullable integer.
    """
    require_columns(table, columns, source)
    table = table.reset_index(drop=True).copy()
    for column in required:
        fail_where(source, column, "must not be blank", is_blank(table[column]))
    fail_where(source, "row_id", "must be unique", table["row_id"].duplicated(keep=False))
    printed = table["value"].astype(str).str.strip()
    value = pd.to_numeric(printed, errors="coerce")
    fail_where(source, "value", "must be a number", value.isna())
    decimals = pd.to_numeric(table["decimals"], errors="coerce")
    fail_where(source, "decimals", "must be a whole number ≥ 0", decimals.isna() | (decimals < 0) | (decimals != decimals.round()))
    shown = printed.str.split(".").str[1].fillna("").str.len()
    fail_where(source, "decimals", "disagrees with the printed value", shown != decimals.astype(int))
    out = table.assign(printed=printed, value=value.astype(float), decimals=decimals.astype(int))
    if year_column:
        text = table[year_column].fillna("").astype(str).str.strip()
        year = pd.to_numeric(text.replace("", np.nan), errors="coerce")
        fail_where(source, year_column, "must be a whole-number year or blank",
              (text != "") & (year.isna() | (year != year.round()) | (year < 1900) | (year > 2100)))
        out[year_column] = year.astype("Int64")
    return out


def _read(name: str, directory: Path | None) -> tuple[pd.DataFrame, str]:
    path = (directory or published_dir()) / f"{name}.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]), str(path)


def validate_headcounts(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Validate ``lbc_headcounts.csv``: shared checks, plus one definition per ``definition_id``."""
    required = ("row_id", "data_year", "data_year_printed", "measure", "value", "decimals", "unit", "headline",
                "definition_id", *DEFINITION_COLUMNS, "issuer", "document", "where_read")
    out = validate_table(table, HEADCOUNT_COLUMNS, required, "data_year", source)
    fail_where(source, "headline", "must be 'yes' or 'no'", ~out["headline"].isin(["yes", "no"]))
    fail_where(source, "unit", "must be 'million' or 'percent'", ~out["unit"].isin(["million", "percent"]))
    for column in DEFINITION_COLUMNS:
        varies = out.groupby("definition_id")[column].transform("nunique") > 1
        fail_where(source, column, "must be identical on every row of one definition_id", varies)
    fail_where(source, "headline", "may mark only a headcount (measure 'lbc_count') as headline",
          (out["headline"] == "yes") & (out["measure"] != "lbc_count"))
    return out


def load_headcounts(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/lbc_headcounts.csv``."""
    table, source = _read("lbc_headcounts", directory)
    return validate_headcounts(table, source)


def load_compulsory_education(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/lbc_compulsory_education.csv``."""
    table, source = _read("lbc_compulsory_education", directory)
    out = validate_table(table, EDUCATION_COLUMNS, ("row_id", "year", "level", "value", "decimals", "unit", "confirmed",
                                                    "scope", "issuer", "document", "where_read"), "year", source)
    fail_where(source, "confirmed", "must be 'yes' or 'no'", ~out["confirmed"].isin(["yes", "no"]))
    return out


def load_migrant_workers(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/migrant_workers.csv``."""
    table, source = _read("migrant_workers", directory)
    out = validate_table(table, MIGRANT_COLUMNS, ("row_id", "year", "measure", "series", "value", "decimals", "unit",
                                                  "scope", "issuer", "document", "where_read"), "year", source)
    fail_where(source, "series", "must be 'nbs_monitoring' or 'quoted'", ~out["series"].isin(["nbs_monitoring", "quoted"]))
    return out


def load_care_arrangements(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/lbc_care_arrangements.csv``."""
    table, source = _read("lbc_care_arrangements", directory)
    return validate_table(table, CARE_COLUMNS, ("row_id", "data_year_printed", "measure", "value", "decimals", "unit",
                                                "population_scope", "issuer", "document", "where_read"),
                          "data_year", source)


def headline_series(headcounts: pd.DataFrame) -> pd.DataFrame:
    """The headline headcounts (millions), one point per definition and year, sorted by definition then year."""
    rows = headcounts[headcounts["headline"] == "yes"]
    order = {d: i for i, d in enumerate(dict.fromkeys(rows.sort_values("data_year")["definition_id"]))}
    return (rows.assign(_order=rows["definition_id"].map(order))
                .sort_values(["_order", "data_year"]).drop(columns="_order").reset_index(drop=True))


def segments(series: pd.DataFrame, key: str, year: str) -> list[pd.DataFrame]:
    """Split a series into runs that may be joined by a line: one run per value of ``key``, in year order.

    Points with different ``key`` values (definitions, scopes) never share a run,
    so a line is never drawn across a change of definition.
    """
    return [group.sort_values(year) for _, group in series.groupby(key, sort=False)]


def definitions_table(headcounts: pd.DataFrame) -> pd.DataFrame:
    """One row per definition behind a headline number: what it counts, who issued it, which years."""
    rows = headline_series(headcounts)
    table = rows.groupby("definition_id", sort=False).agg(
        years=("data_year_printed", lambda s: "; ".join(s)),
        headcounts_million=("printed", lambda s: ", ".join(s)),
        age=("age_range", "first"), parents_away=("parents_away", "first"), hukou=("hukou_scope", "first"),
        source=("source_type", "first"), issuer=("issuer", "first"),
    ).rename(columns={"headcounts_million": "headcount (millions)", "parents_away": "parents away"})
    table.index = [DEFINITION_LABELS.get(i, i) for i in table.index]
    table.index.name = "definition"
    return table


def care_table(care: pd.DataFrame) -> pd.DataFrame:
    """The care-arrangement facts for display: what, how much (as printed, with its qualifier), who, when."""
    shown = care.assign(
        value=[f"{q} {v}".strip() if isinstance(q, str) else v for q, v in zip(care["qualifier"], care["printed"])],
        what=care["measure"].str.replace("_", " "),
    )
    return shown[["what", "value", "unit", "data_year_printed", "population_scope", "issuer"]].rename(
        columns={"data_year_printed": "year", "population_scope": "children counted"}).set_index("what")


def value_of(table: pd.DataFrame, row_id: str) -> float:
    """The published value of one row, by ``row_id``."""
    match = table[table["row_id"] == row_id]
    if len(match) != 1:
        raise KeyError(f"no single row with row_id {row_id!r}")
    return float(match["value"].iloc[0])


def recompute_change(headcounts: pd.DataFrame, change_row: str, base_row: str, count_row: str) -> dict:
    """Recompute a printed percentage change from the two headcounts it compares.

    ``matches`` is true when the recomputed change is within half a printed unit
    of the printed one.
    """
    printed_row = headcounts[headcounts["row_id"] == change_row].iloc[0]
    base, count = value_of(headcounts, base_row), value_of(headcounts, count_row)
    exact = 100 * (count - base) / base
    return {"printed": float(printed_row["value"]), "recomputed": exact,
            "matches": bool(rounds_to(exact, float(printed_row["value"]), int(printed_row["decimals"])))}


def parts_sum(table: pd.DataFrame, part_rows: list[str], whole_row: str) -> dict:
    """Add published parts (e.g. age groups) and compare with the published whole."""
    total = sum(value_of(table, r) for r in part_rows)
    whole = value_of(table, whole_row)
    return {"sum_of_parts": total, "whole": whole, "difference": total - whole}


def _headcount_label(row) -> str:
    qualifier = f"{row.qualifier} " if isinstance(row.qualifier, str) and row.qualifier else ""
    return f"{qualifier}{row.printed} M"


def headcounts_alt(series: pd.DataFrame) -> str:
    """Alt text for the headcount figure, naming each definition and its numbers."""
    parts = []
    for run in segments(series, "definition_id", "data_year"):
        label = DEFINITION_LABELS.get(run["definition_id"].iloc[0], run["definition_id"].iloc[0])
        points = ", ".join(f"{r.data_year_printed}: {_headcount_label(r)}" for r in run.itertuples())
        parts.append(f"{label}: {points}")
    low, high = series["value"].min(), series["value"].max()
    trends = [
        f"{DEFINITION_LABELS.get(run['definition_id'].iloc[0], run['definition_id'].iloc[0])} goes from "
        f"{run['printed'].iloc[0]} to {run['printed'].iloc[-1]} million"
        for run in segments(series, "definition_id", "data_year") if len(run) > 1
    ]
    within = (" Within one definition, " + "; ".join(trends) + "." if trends
              else " No definition has more than one point, so no line is drawn.")
    return ("Chart of published headcounts of left-behind children in millions, one colour and marker per definition, "
            "with lines only between points that share a definition. " + "; ".join(parts)
            + f". Across definitions the numbers range from {low:g} to {high:g} million." + within)


def draw_headcounts(ax, series: pd.DataFrame) -> None:
    """Draw the headline series on ``ax``: each definition its own colour and marker; lines only within one."""
    from leftbehind.plots.figures import OKABE_ITO, PALETTE

    markers = ["o", "s", "^", "D", "v", "P", "X"]
    for index, run in enumerate(segments(series, "definition_id", "data_year")):
        definition = run["definition_id"].iloc[0]
        secondary = definition.startswith("secondary")
        colour = OKABE_ITO["grey"] if secondary else PALETTE[index % len(PALETTE)]
        line = "-" if len(run) > 1 else "none"
        ax.plot(run["data_year"].astype(int), run["value"], linestyle=line, marker=markers[index % len(markers)],
                color=colour, markerfacecolor="white" if secondary else colour, markersize=8,
                label=DEFINITION_LABELS.get(definition, definition), gid=definition)
        for r in run.itertuples():
            ax.annotate(_headcount_label(r), (int(r.data_year), r.value), textcoords="offset points", xytext=(6, 5))


def headcounts_figure(series: pd.DataFrame):
    """The headcount figure (see :func:`draw_headcounts`), shown with computed alt text (``name``: ``fig-…``, for
    the prose to cite it by number)."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 4.2))
    draw_headcounts(ax, series)
    ax.set_ylabel("Left-behind children (millions)")
    ax.set_xlabel("Year the count refers to")
    ax.set_ylim(0, float(series["value"].max()) * 1.15)
    years = series["data_year"].astype(int)
    ax.set_xlim(int(years.min()) - 1, int(years.max()) + 3)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, [wrap(label, 48) for label in labels], loc="upper left", bbox_to_anchor=(0, -0.16),
              frameon=False, ncol=1)
    return fig, headcounts_alt(series)


def context_alt(education: pd.DataFrame, migrants: pd.DataFrame) -> str:
    """Alt text for the two context panels, stating every point."""
    enrolled = education[(education["level"] == "primary_and_junior")].sort_values("year")
    edu = ", ".join(f"{r.year}: {r.printed} M" + ("" if r.confirmed == "yes" else " (unconfirmed)")
                    for r in enrolled.itertuples())
    nbs = migrants[(migrants["series"] == "nbs_monitoring") & (migrants["measure"] == "total")].sort_values("year")
    mig = ", ".join(f"{r.year}: {r.printed} M" for r in nbs.itertuples())
    if enrolled.empty or nbs.empty:
        raise ValueError("context_alt needs enrolment and NBS migrant-worker rows")
    first, last = enrolled[enrolled["confirmed"] == "yes"].iloc[[0, -1]].itertuples()
    return ("Two panels. Left: left-behind children enrolled in compulsory education, millions: " + edu
            + ". Right: migrant workers counted by the NBS monitoring survey, millions: " + mig
            + f". Confirmed enrolment went from {first.printed} million in {first.year} to {last.printed} million in "
              f"{last.year}, while migrant workers stayed between {nbs['value'].min():g} and {nbs['value'].max():g} million.")


def draw_year_runs(ax, frame: pd.DataFrame, key: str, colour: str) -> None:
    """Plot ``frame`` (columns year, value, ``key``), with lines only between consecutive years of one ``key``."""
    for _, run in frame.groupby(key, sort=False):
        run = run.sort_values("year")
        years = run["year"].astype(int).to_numpy()
        breaks = np.flatnonzero(np.diff(years) != 1) + 1
        for piece in np.split(np.arange(len(run)), breaks):
            part = run.iloc[piece]
            ax.plot(part["year"].astype(int), part["value"], "-o" if len(part) > 1 else "o", color=colour, gid=str(run[key].iloc[0]))


def context_figure(education: pd.DataFrame, migrants: pd.DataFrame):
    """Compulsory-education enrolment of LBC (left) and migrant workers (right).

    Solid lines join consecutive years only; a gap year in the data is a gap in
    the line.  The unconfirmed figure is a hollow marker.
    """
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO

    # two panels stacked (not side by side), so each keeps the full width of a phone screen
    fig, (left, right) = plt.subplots(2, 1, figsize=(MAX_WIDTH_IN, 5.6))
    enrolled = education[education["level"] == "primary_and_junior"]
    confirmed = enrolled[enrolled["confirmed"] == "yes"]
    draw_year_runs(left, confirmed, "scope", OKABE_ITO["blue"])
    for r in enrolled[enrolled["confirmed"] == "no"].itertuples():
        left.plot([int(r.year)], [r.value], "o", markerfacecolor="white", markeredgecolor=OKABE_ITO["blue"], markersize=8)
        left.annotate("unconfirmed", (int(r.year), r.value), textcoords="offset points", xytext=(6, 4))
    left.set_ylim(0, float(enrolled["value"].max()) * 1.15)
    left.set_title("LBC in compulsory education (MoE registers)", loc="left")
    left.set_ylabel("Millions")
    nbs = migrants[(migrants["series"] == "nbs_monitoring") & (migrants["measure"] == "total")]
    draw_year_runs(right, nbs, "scope", OKABE_ITO["orange"])
    right.set_ylim(0, float(nbs["value"].max()) * 1.15)
    right.set_title("Migrant workers (NBS monitoring survey)", loc="left")
    right.set_ylabel("Millions")
    for ax in (left, right):
        ax.set_xlabel("Year")
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout(h_pad=1.5)
    return fig, context_alt(education, migrants)

"""The qualitative strand: what survives of Lei (2024), and a joint display with the survey.

Only the thesis's front matter, contents list and chapter 1 survive, so the
book can show its *design* and *structure* (questions, theoretical lenses,
themes and sub-themes) but none of its findings.  Two data files hold this:

``data/published/lei2024_structure.csv``
    one row per element of the thesis (design fact, research question,
    objective, theoretical lens, chapter, strand, theme, sub-theme, informant
    profile) with the page printed in the contents and where it was read.
    Informants appear only as numbered profile entries; their pseudonyms are
    deliberately not carried over.

``data/published/mixed_methods_joint_display.csv``
    three kinds of record: ``factor`` (the seven CSSMSS coping factors and their
    orientation, as printed by Yong et al.), ``direction`` (how each factor's
    score related to being left behind, to NSSI and to professional
    help-seeking, as the survey's text states it) and ``mapping`` (which CSSMSS
    factor each thesis coping theme resembles: *our judgement*, never the
    thesis's or the survey's claim).

Bad input raises :class:`~leftbehind.core.errors.UserError` naming the file, the
column, the rule and the first 1-based data rows.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from leftbehind.core.errors import UserError, fail_where, is_blank, require_columns
from leftbehind.core.paths import published_dir

STRUCTURE_FILE = "lei2024_structure.csv"
JOINT_FILE = "mixed_methods_joint_display.csv"

STRUCTURE_COLUMNS = (
    "id", "kind", "parent", "label", "value", "page", "discussion_id", "discussion_page",
    "thesis_table", "available", "document", "location", "note",
)
KINDS = (
    "design", "context", "research_question", "objective", "lens", "chapter", "strand", "theme",
    "subtheme", "informant_profile",
)
AVAILABILITY = ("full text", "title only")
#: the reading order of the four strands, one per research objective
STRANDS = ("problems", "coping", "needs", "intervention")

JOINT_COLUMNS = (
    "record", "thesis_id", "thesis_theme", "cssmss_factor", "fit", "orientation", "outcome", "analysis",
    "direction", "document", "section", "paragraph", "note",
)
RECORDS = ("factor", "direction", "mapping")
FITS = ("close", "partial", "none")
ORIENTATIONS = ("problem-oriented", "emotion-oriented")
NOT_REPORTED = "not reported in the text"
DIRECTIONS = (
    "higher", "lower", "risk factor", "protective factor", "favours help-seeking", "hinders help-seeking", NOT_REPORTED,
)
#: the five outcome × analysis columns of the joint display, in reading order
DIRECTION_COLUMNS = (
    ("LBC vs NLBC", "group comparison (Table 5)", "LBC vs NLBC (Table 5)"),
    ("NSSI among LBC", "group comparison (Table 6)", "NSSI: comparison (Table 6)"),
    ("NSSI among LBC", "backward logistic regression (Table 7)", "NSSI: regression (Table 7)"),
    ("Professional help-seeking among LBC with NSSI", "group comparison (Table 6)", "Help-seeking: comparison (Table 6)"),
    ("Professional help-seeking among LBC with NSSI", "backward logistic regression (Table 8)",
     "Help-seeking: regression (Table 8)"),
)


# --------------------------------------------------------------------------- validation helpers



def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(table, columns, path)
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- thesis structure
def validate_thesis_structure(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check the thesis-structure table; return it unchanged (rows in file order).

    Rules: ids are present and unique; ``kind`` and ``available`` use the fixed
    vocabularies; every ``parent`` names an id in the file; ``page`` and ``value``
    are whole numbers where given; every element has a location; and the number
    of informant profiles equals the informant count the thesis states.
    """
    for column in ("id", "kind", "label", "available", "document", "location"):
        blank = is_blank(table[column])
        if blank.any():
            fail_where(source, column, "is blank", blank)
    dup = table["id"].duplicated(keep=False)
    if dup.any():
        fail_where(source, "id", "repeats", dup)
    bad = ~table["kind"].isin(KINDS)
    if bad.any():
        fail_where(source, "kind", f"must be one of {', '.join(KINDS)}", bad)
    bad = ~table["available"].isin(AVAILABILITY)
    if bad.any():
        fail_where(source, "available", f"must be one of {', '.join(AVAILABILITY)}", bad)
    parents = table["parent"].fillna("").str.strip()
    bad = (parents != "") & ~parents.isin(set(table["id"]))
    if bad.any():
        fail_where(source, "parent", "names an id that is not in the file", bad)
    for column in ("page", "value", "discussion_page"):
        text = table[column].fillna("").str.strip()
        bad = (text != "") & ~text.str.fullmatch(r"\d+")
        if bad.any():
            fail_where(source, column, "must be a whole number or blank", bad)
    stated = table[table["id"] == "design_informants"]
    if len(stated) != 1:
        raise UserError(f"{source}: column 'id' must contain exactly one 'design_informants' row (the stated count)")
    profiles = table["kind"] == "informant_profile"
    if int(stated["value"].iloc[0]) != int(profiles.sum()):
        raise UserError(
            f"{source}: column 'kind' has {int(profiles.sum())} informant_profile row(s) but the stated informant "
            f"count (row {stated.index[0] + 1}) is {stated['value'].iloc[0]}"
        )
    return table


def load_thesis_structure(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/lei2024_structure.csv``."""
    path = (directory or published_dir()) / STRUCTURE_FILE
    return validate_thesis_structure(_read(path, STRUCTURE_COLUMNS), str(path))


def elements(structure: pd.DataFrame, kind: str) -> pd.DataFrame:
    """All rows of one kind, in the order of the contents list."""
    return structure[structure["kind"] == kind]


def stated_value(structure: pd.DataFrame, element_id: str) -> int:
    """A number the thesis prints (e.g. the informant count), read from its structure row."""
    return int(structure.loc[structure["id"] == element_id, "value"].iloc[0])


def stated_source(structure: pd.DataFrame, element_id: str) -> str:
    """Where the thesis prints that number: document and location, from its structure row."""
    row = structure.loc[structure["id"] == element_id].iloc[0]
    return f"{row['document']}, {row['location']}"


def garbled_profile_count(structure: pd.DataFrame) -> int:
    """How many informant-profile entries are garbled in the surviving contents (inferred from the numbering)."""
    notes = elements(structure, "informant_profile")["note"]
    return int(notes.str.startswith("entry garbled").sum())


def chapter_availability(structure: pd.DataFrame) -> pd.DataFrame:
    """One row per chapter: its title, first page and whether its text survives."""
    chapters = elements(structure, "chapter")
    return pd.DataFrame(
        {"chapter": chapters["label"].values, "starts on page": chapters["page"].values,
         "what survives": chapters["available"].values}
    ).set_index("chapter")


def unavailable_chapters(structure: pd.DataFrame) -> list[str]:
    """Titles of the chapters of which only the contents entry survives."""
    chapters = elements(structure, "chapter")
    return list(chapters.loc[chapters["available"] != "full text", "label"])


def theme_tree(structure: pd.DataFrame) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The thematic structure as ``[(strand label, [(theme label, [sub-theme labels])])]``."""
    strands = elements(structure, "strand").set_index("id")
    tree = []
    for strand_id in STRANDS:
        themes = structure[(structure["kind"] == "theme") & (structure["parent"] == strand_id)]
        branch = []
        for _, theme in themes.iterrows():
            subs = structure[(structure["kind"] == "subtheme") & (structure["parent"] == theme["id"])]
            branch.append((theme["label"], list(subs["label"])))
        tree.append((strands.loc[strand_id, "label"], branch))
    return tree


def theme_counts(structure: pd.DataFrame) -> pd.DataFrame:
    """Per strand: the objective it answers, how many themes and sub-themes the contents list, and where."""
    strands = elements(structure, "strand").set_index("id")
    objectives = elements(structure, "objective").set_index("id")
    rows = []
    for (label, branch), strand_id in zip(theme_tree(structure), STRANDS, strict=True):
        strand = strands.loc[strand_id]
        rows.append({
            "strand": label,
            "objective": objectives.loc[strand["parent"], "label"],
            "themes": len(branch),
            "sub-themes": sum(len(subs) for _, subs in branch),
            "where in the contents": strand["location"].replace("Table of contents (pp. iii–x), ", ""),
        })
    return pd.DataFrame(rows).set_index("strand")


def theme_map_alt(structure: pd.DataFrame) -> str:
    """Alt text for the theme map, built from the same tree the figure draws."""
    parts = []
    for label, branch in theme_tree(structure):
        names = ", ".join(name for name, _ in branch)
        subs = sum(len(s) for _, s in branch)
        parts.append(f"{label}: {len(branch)} themes ({names}) with {subs} sub-themes")
    missing = ", ".join(unavailable_chapters(structure))
    return (
        f"Theme map of the Lei (2024) thesis drawn from its contents list, in {len(parts)} columns. "
        + "; ".join(parts)
        + f". Only titles survive: {missing} are unavailable, so no theme carries a finding."
    )


def theme_map_figure(structure: pd.DataFrame):
    """Draw the strands, themes and sub-themes as one outline, strand by strand, top to bottom.

    One column (not one column per strand) so that every label keeps full-size text on a phone as on a laptop.
    """
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import BASE_FONT_PT, MAX_WIDTH_IN, PALETTE

    tree = theme_tree(structure)
    line, gap_strand, gap_theme = 0.21, 0.3, 0.1  # inches
    rows = []  # (kind, wrapped lines, colour)
    for column, (label, branch) in enumerate(tree):
        colour = PALETTE[column % len(PALETTE)]
        rows.append(("strand", textwrap.wrap(label, 44), colour))
        for theme, subs in branch:
            rows.append(("theme", textwrap.wrap(theme, 50), colour))
            rows.extend(("sub", textwrap.wrap(sub, 46), colour) for sub in subs)
    gaps = {"strand": gap_strand, "theme": gap_theme, "sub": 0.02}
    height = sum(gaps[kind] + line * len(text) for kind, text, _ in rows) + 0.2
    fig = plt.figure(figsize=(MAX_WIDTH_IN, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, MAX_WIDTH_IN)
    ax.set_ylim(-height, 0)
    ax.axis("off")
    y = 0.0
    for kind, text, colour in rows:
        y -= gaps[kind]
        body = "\n".join(text)
        if kind == "strand":
            ax.text(0.08, y, body, fontsize=BASE_FONT_PT + 1, fontweight="bold", va="top", color="white",
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": colour})
        elif kind == "theme":
            ax.text(0.12, y, body, fontsize=BASE_FONT_PT, va="top",
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": colour})
        else:
            ax.text(0.4, y, "– " + "\n   ".join(text), fontsize=BASE_FONT_PT, va="top", color="#333333")
        y -= line * len(text)
    return fig, theme_map_alt(structure)


# --------------------------------------------------------------------------- joint display
def validate_joint_display(table: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check the joint-display data; return it unchanged.

    Rules: ``record`` is ``factor``, ``direction`` or ``mapping``; every row has
    a document, section and paragraph; factors are unique and have an
    orientation; every direction and mapping names a known factor (a mapping may
    name none when its fit is ``none``); directions use the fixed vocabulary and
    each factor has exactly one direction per outcome and analysis; mappings
    carry a fit and a note that starts "our judgement".
    """
    bad = ~table["record"].isin(RECORDS)
    if bad.any():
        fail_where(source, "record", f"must be one of {', '.join(RECORDS)}", bad)
    for column in ("document", "section", "paragraph"):
        blank = is_blank(table[column])
        if blank.any():
            fail_where(source, column, "is blank", blank)
    factor = table["record"] == "factor"
    dup = table.loc[factor, "cssmss_factor"].duplicated(keep=False).reindex(table.index, fill_value=False)
    if dup.any():
        fail_where(source, "cssmss_factor", "repeats among factor records", dup)
    bad = factor & ~table["orientation"].isin(ORIENTATIONS)
    if bad.any():
        fail_where(source, "orientation", f"must be one of {', '.join(ORIENTATIONS)} for a factor", bad)
    known = set(table.loc[factor, "cssmss_factor"])
    direction = table["record"] == "direction"
    mapping = table["record"] == "mapping"
    bad = direction & ~table["cssmss_factor"].isin(known)
    if bad.any():
        fail_where(source, "cssmss_factor", "names no factor record", bad)
    bad = direction & ~table["direction"].isin(DIRECTIONS)
    if bad.any():
        fail_where(source, "direction", f"must be one of {', '.join(DIRECTIONS)}", bad)
    keys = table.loc[direction, ["cssmss_factor", "outcome", "analysis"]]
    dup = keys.duplicated(keep=False).reindex(table.index, fill_value=False)
    if dup.any():
        fail_where(source, "analysis", "repeats for the same factor and outcome", dup)
    expected = {(f, o, a) for f in known for o, a, _ in DIRECTION_COLUMNS}
    present = set(map(tuple, keys.values))
    if present != expected:
        missing = sorted(expected - present)[:3]
        raise UserError(f"{source}: column 'direction' lacks a record for {missing} (every factor needs one per outcome and analysis)")
    bad = mapping & ~table["fit"].isin(FITS)
    if bad.any():
        fail_where(source, "fit", f"must be one of {', '.join(FITS)} for a mapping", bad)
    named = table["cssmss_factor"].fillna("").str.strip()
    bad = mapping & (((table["fit"] == "none") & (named != "")) | ((table["fit"] != "none") & ~named.isin(known)))
    if bad.any():
        fail_where(source, "cssmss_factor", "must name a factor record (or be blank when fit is none)", bad)
    bad = mapping & ~table["note"].str.startswith("our judgement")
    if bad.any():
        fail_where(source, "note", "must start with 'our judgement' for a mapping", bad)
    return table


def load_joint_display_data(directory: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/published/mixed_methods_joint_display.csv``."""
    path = (directory or published_dir()) / JOINT_FILE
    return validate_joint_display(_read(path, JOINT_COLUMNS), str(path))


def factor_directions(data: pd.DataFrame) -> pd.DataFrame:
    """One row per CSSMSS factor: its orientation and the five directions as Yong et al. print them."""
    factors = data[data["record"] == "factor"].set_index("cssmss_factor")
    directions = data[data["record"] == "direction"]
    out = pd.DataFrame({"orientation": factors["orientation"]})
    for outcome, analysis, title in DIRECTION_COLUMNS:
        chosen = directions[(directions["outcome"] == outcome) & (directions["analysis"] == analysis)]
        out[title] = chosen.set_index("cssmss_factor")["direction"].reindex(out.index)
    out.index.name = "CSSMSS factor"
    return out


def direction_sources(data: pd.DataFrame) -> pd.DataFrame:
    """Where in Yong et al. each column of the joint display was read."""
    directions = data[data["record"] == "direction"]
    rows = []
    for outcome, analysis, title in DIRECTION_COLUMNS:
        row = directions[(directions["outcome"] == outcome) & (directions["analysis"] == analysis)].iloc[0]
        rows.append({"column": title, "section": row["section"], "paragraph": row["paragraph"], "what it compares": row["note"]})
    return pd.DataFrame(rows).set_index("column")


def _short(direction: str) -> str:
    return "not stated" if direction == NOT_REPORTED else direction


def build_joint_display(data: pd.DataFrame) -> pd.DataFrame:
    """The joint display: each thesis coping theme beside its mapped factor and that factor's directions.

    Themes with no counterpart show "—"; a direction the survey's text does not
    report shows "not stated"; factors that no theme maps to are appended at the
    end so all seven factors appear.
    """
    by_factor = factor_directions(data)
    mappings = data[data["record"] == "mapping"]
    rows = []
    for _, m in mappings.iterrows():
        row = {"thesis theme": f"{m['thesis_id']} {m['thesis_theme']}",
               "CSSMSS factor (our mapping)": m["cssmss_factor"] or "—", "fit (our judgement)": m["fit"]}
        directions = by_factor.loc[m["cssmss_factor"]] if m["cssmss_factor"] else pd.Series(dtype=str)
        row["orientation"] = directions.get("orientation", "—")
        for _, _, title in DIRECTION_COLUMNS:
            row[title] = _short(directions.get(title, "—"))
        rows.append(row)
    for factor in by_factor.index.difference(mappings["cssmss_factor"], sort=False):
        row = {"thesis theme": "— (no thesis theme mapped)", "CSSMSS factor (our mapping)": factor,
               "fit (our judgement)": "—"}
        row.update({k: _short(v) for k, v in by_factor.loc[factor].items()})
        rows.append(row)
    return pd.DataFrame(rows).set_index("thesis theme")


def unmapped_factors(data: pd.DataFrame) -> list[str]:
    """CSSMSS factors that no thesis theme was mapped to."""
    factors = data.loc[data["record"] == "factor", "cssmss_factor"]
    mapped = set(data.loc[data["record"] == "mapping", "cssmss_factor"])
    return [f for f in factors if f not in mapped]


def themes_without_counterpart(data: pd.DataFrame) -> list[str]:
    """Thesis coping themes for which we found no CSSMSS counterpart."""
    mappings = data[(data["record"] == "mapping") & (data["fit"] == "none")]
    return list(mappings["thesis_theme"])

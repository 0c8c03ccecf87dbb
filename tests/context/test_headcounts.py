"""Tests for leftbehind.context.headcounts: published LBC headcounts, kept apart by definition."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from leftbehind.plots.figures import show_figure
from leftbehind.context import headcounts as hc
from leftbehind.core.errors import UserError
from leftbehind.core.paths import published_dir

FILES = ("lbc_headcounts", "lbc_compulsory_education", "migrant_workers", "lbc_care_arrangements")


def copy_files(tmp_path: Path, name: str | None = None, edit=None, extra=None) -> Path:
    """Copy the four CSVs to ``tmp_path``; optionally edit rows of, or append a row to, file ``name``."""
    for file in FILES:
        shutil.copy(published_dir() / f"{file}.csv", tmp_path / f"{file}.csv")
    if name:
        path = tmp_path / f"{name}.csv"
        with open(path, encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields, rows = reader.fieldnames, list(reader)
        if edit:
            edit(rows)
        if extra:
            rows.append({f: extra.get(f, "") for f in fields})
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


@pytest.fixture()
def headcounts():
    return hc.load_headcounts()


def test_all_files_load_with_provenance():
    tables = [hc.load_headcounts(), hc.load_compulsory_education(), hc.load_migrant_workers(), hc.load_care_arrangements()]
    for table in tables:
        assert len(table) > 0 and not table["where_read"].isna().any() and not table["document"].isna().any()


def test_bib_has_every_document():
    bib = (Path(hc.__file__).resolve().parents[3] / "book" / "references.bib").read_text(encoding="utf-8")
    documents = set()
    for table in (hc.load_headcounts(), hc.load_compulsory_education(), hc.load_migrant_workers(),
                  hc.load_care_arrangements()):
        documents |= set(table["document"])
    missing = sorted(d for d in documents if f"{{{d}," not in bib)
    assert not missing, f"documents without a bib entry: {missing}"


def test_every_segment_has_exactly_one_definition(headcounts):
    series = hc.headline_series(headcounts)
    runs = hc.segments(series, "definition_id", "data_year")
    assert all(run["definition_id"].nunique() == 1 for run in runs)
    assert sum(len(run) for run in runs) == len(series)
    assert len(runs) == series["definition_id"].nunique()


def test_drawn_lines_never_join_points_of_different_definitions(headcounts):
    series = hc.headline_series(headcounts)
    fig, ax = plt.subplots()
    hc.draw_headcounts(ax, series)
    points = {(int(r.data_year), r.value): r.definition_id for r in series.itertuples()}
    joined = 0
    for line in ax.get_lines():
        if line.get_linestyle() in ("None", "none", ""):
            continue
        definitions = {points[(int(x), float(y))] for x, y in zip(line.get_xdata(), line.get_ydata())}
        assert len(definitions) == 1 and definitions == {line.get_gid()}
        joined += 1
    plt.close(fig)
    # Only the MCA series has more than one point under one definition, so exactly one line is drawn.
    assert joined == sum(1 for run in hc.segments(series, "definition_id", "data_year") if len(run) > 1) == 1


def test_an_added_point_under_a_new_definition_is_not_joined_to_anything(tmp_path):
    extra = {
        "row_id": "test_point", "data_year": "2019", "data_year_printed": "2019", "measure": "lbc_count", "value": "8.0",
        "decimals": "1", "unit": "million", "headline": "yes", "definition_id": "test_definition",
        "definition": "test", "age_range": "x", "parents_away": "x", "hukou_scope": "x", "source_type": "x",
        "issuer": "test", "document": "mca2018", "where_read": "test",
    }
    table = hc.load_headcounts(copy_files(tmp_path, "lbc_headcounts", extra=extra))
    series = hc.headline_series(table)
    fig, ax = plt.subplots()
    hc.draw_headcounts(ax, series)
    solid = [line for line in ax.get_lines() if line.get_linestyle() not in ("None", "none", "")]
    assert all((2019, 8.0) not in set(zip(line.get_xdata(), line.get_ydata())) for line in solid)
    plt.close(fig)
    assert "2019: 8.0 M" in hc.headcounts_alt(series)


def test_published_parts_add_up(headcounts):
    ages = [f"acwf2010_age_{a}" for a in ("0_5", "6_11", "12_14", "15_17")]
    acwf = hc.parts_sum(headcounts, ages, "acwf2010_total")
    assert abs(acwf["difference"]) <= 4 * 0.005  # four parts printed to 0.01 M
    census = hc.parts_sum(headcounts, ["nbs2020_rural", "nbs2020_urban"], "nbs2020_total")
    assert census["difference"] == pytest.approx(0.0, abs=1e-9)


def test_printed_changes_are_rechecked(headcounts):
    assert hc.recompute_change(headcounts, "mca2018_change", "mca2016_total", "mca2018_total")["matches"]
    late = hc.recompute_change(headcounts, "mca2021_change", "mca2016_total", "mca2021_total")
    assert not late["matches"] and late["recomputed"] == pytest.approx(100 * (4.77 - 9.02) / 9.02)


@pytest.mark.parametrize("field, value, message", [
    ("age_range", "under 18", "column 'age_range' must be identical on every row of one definition_id"),
    ("decimals", "2", "column 'decimals' disagrees with the printed value in row(s) 1"),
    ("data_year", "20x0", "column 'data_year' must be a whole-number year or blank in row(s) 1"),
    ("headline", "maybe", "column 'headline' must be 'yes' or 'no' in row(s) 1"),
])
def test_bad_headcount_rows_raise_user_errors(tmp_path, field, value, message):
    def tamper(rows):
        rows[0][field] = value

    with pytest.raises(UserError) as info:
        hc.load_headcounts(copy_files(tmp_path, "lbc_headcounts", edit=tamper))
    assert "lbc_headcounts.csv" in str(info.value) and message in str(info.value)


def test_headline_only_on_headcounts(tmp_path):
    def tamper(rows):
        rows[1]["headline"] = "yes"  # a share, not a headcount

    with pytest.raises(UserError, match=r"may mark only a headcount.*row\(s\) 2"):
        hc.load_headcounts(copy_files(tmp_path, "lbc_headcounts", edit=tamper))


def test_year_runs_leave_a_gap_for_a_missing_year():
    migrants = hc.load_migrant_workers()
    nbs = migrants[(migrants["series"] == "nbs_monitoring") & (migrants["measure"] == "total")]
    fig, ax = plt.subplots()
    hc.draw_year_runs(ax, nbs, "scope", "#000000")
    spans = [list(line.get_xdata()) for line in ax.get_lines()]
    plt.close(fig)
    assert all(b - a == 1 for span in spans for a, b in zip(span, span[1:]))
    assert sorted(year for span in spans for year in span) == sorted(nbs["year"].astype(int))


def test_unconfirmed_enrolment_is_flagged_and_alt_text_states_every_point():
    education, migrants = hc.load_compulsory_education(), hc.load_migrant_workers()
    alt = hc.context_alt(education, migrants)
    assert "2020: 12.9 M (unconfirmed)" in alt
    for r in education[education["level"] == "primary_and_junior"].itertuples():
        assert f"{r.year}: {r.printed} M" in alt
    figure = show_figure(*hc.context_figure(education, migrants))
    assert figure.png.startswith(b"\x89PNG")
    assert figure.phone_text_px() >= 9  # legible in a 390-px phone's text column (leftbehind.plots.figures.MIN_TEXT_PX)


def test_definitions_table_lists_each_headline_definition(headcounts):
    table = hc.definitions_table(headcounts)
    assert len(table) == hc.headline_series(headcounts)["definition_id"].nunique()
    assert "9.02, 6.97, 4.77" in set(table["headcount (millions)"])


def test_care_table_keeps_printed_qualifiers():
    table = hc.care_table(hc.load_care_arrangements())
    assert "over 90" in set(table["value"]) and "89.3" in set(table["value"])

"""The chapter "How many children are left behind?": every fact its prose states and the frames it shows.

Every number it quotes is published (``data/published/lbc_headcounts.csv``, ``lbc_compulsory_education.csv``,
``migrant_workers.csv``, ``lbc_care_arrangements.csv``) and glued exactly as printed; the recomputed changes, sums,
differences and ratios that check them are derived.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.context import headcounts as hc
from leftbehind.presentation.glue import source_of

#: Headcount rows (``lbc_headcounts.csv``) the prose quotes as printed; the glue key is the row id.
HEADCOUNT_ROWS = ("acwf2010_total", "acwf2010_share_rural", "acwf2010_share_all", "acwf2010_sichuan", "acwf2010_henan",
                  "mca2016_total", "mca2018_total", "mca2021_total", "mca2018_change", "mca2021_change",
                  "nbs2020_total", "nbs2020_rural", "nbs2020_urban", "nbs2020_migrant_children", "nbs2020_affected",
                  "nbs2020_affected_share", "secondary_69_7", "yong_bg_68", "mca2018_sichuan")
#: Enrolment rows (``lbc_compulsory_education.csv``) quoted as printed, glued as ``edu_<row id>``.
EDUCATION_ROWS = ("moe2013", "yearbook2022", "lei2020")
#: Migrant-worker rows (``migrant_workers.csv``) quoted as printed: glue key -> row id.
MIGRANT_ROWS = {"migrants_2020": "nbs2020", "migrants_2020_lei": "lei2020", "interprovincial_2020": "lei2020_interprovincial"}
#: Care-arrangement rows (``lbc_care_arrangements.csv``) quoted as printed; the glue key is the row id.
CARE_ROWS = ("mca2016_grandparents", "mca2016_no_guardian", "mca2018_grandparents", "acwf2010_living_alone",
             "acwf2010_living_alone_count", "acwf2010_grandparent_age", "lei_grandparents", "lei_carer_age",
             "lei_carer_education")
#: The ACWF 2010 age groups whose sum is checked against its printed total.
AGE_GROUPS = ("0_5", "6_11", "12_14", "15_17")


def _as_printed(facts: Facts, key: str, table: pd.DataFrame, row_id: str) -> None:
    """A number exactly as its source printed it (tier: published, with where it was read)."""
    row = table.loc[table["row_id"] == row_id].iloc[0]
    facts.add(key, row["printed"], tier="published", source=source_of(row))


def _headcounts(facts: Facts, counts: pd.DataFrame, series: pd.DataFrame) -> None:
    for row_id in HEADCOUNT_ROWS:
        _as_printed(facts, row_id, counts, row_id)
    change_2018 = hc.recompute_change(counts, "mca2018_change", "mca2016_total", "mca2018_total")
    change_2021 = hc.recompute_change(counts, "mca2021_change", "mca2016_total", "mca2021_total")
    facts.add("change_2018_recomputed", change_2018["recomputed"])
    facts.add("change_2021_recomputed", change_2021["recomputed"])
    facts.add("change_2021_verdict", "agrees with" if change_2021["matches"] else "does not match")
    facts.add("change_2018_verdict", "agrees with" if change_2018["matches"] else "does not match")
    ages = hc.parts_sum(counts, [f"acwf2010_age_{a}" for a in AGE_GROUPS], "acwf2010_total")
    facts.add("acwf_age_sum", float(ages["sum_of_parts"]))
    facts.add("rural_drop", hc.value_of(counts, "acwf2010_total") - hc.value_of(counts, "nbs2020_rural"))
    facts.add("n_definitions", series["definition_id"].nunique())


def _context(facts: Facts, education: pd.DataFrame, migrants: pd.DataFrame) -> None:
    for row_id in EDUCATION_ROWS:
        _as_printed(facts, f"edu_{row_id}", education, row_id)
    facts.add("edu_ratio_pct", 100 * hc.value_of(education, "yearbook2022") / hc.value_of(education, "moe2013"))
    nbs = migrants[(migrants["series"] == "nbs_monitoring") & (migrants["measure"] == "total")]
    facts.add("migrants_min", float(nbs["value"].min()), tier="published",
              source="migrant_workers.csv: nbs_monitoring series (smallest)")
    facts.add("migrants_max", float(nbs["value"].max()), tier="published",
              source="migrant_workers.csv: nbs_monitoring series (largest)")
    facts.add("migrants_first_year", int(nbs["year"].min()))
    facts.add("migrants_last_year", int(nbs["year"].max()))
    for key, row_id in MIGRANT_ROWS.items():
        _as_printed(facts, key, migrants, row_id)


def chapter_facts(counts: pd.DataFrame | None = None, education: pd.DataFrame | None = None,
                  migrants: pd.DataFrame | None = None, care: pd.DataFrame | None = None) -> Facts:
    """Everything the headcount chapter glues and shows (each input defaults to the book's validated file)."""
    counts = hc.load_headcounts() if counts is None else counts
    education = hc.load_compulsory_education() if education is None else education
    migrants = hc.load_migrant_workers() if migrants is None else migrants
    care = hc.load_care_arrangements() if care is None else care
    series = hc.headline_series(counts)
    facts = Facts()
    _headcounts(facts, counts, series)
    _context(facts, education, migrants)
    for row_id in CARE_ROWS:
        _as_printed(facts, row_id, care, row_id)
    facts.tables.update({"series": series, "definitions": hc.definitions_table(counts), "education": education,
                         "migrants": migrants, "care": hc.care_table(care)})
    return facts

"""leftbehind.chapters.how_many_lbc: the chapter's facts, checked against its page and recomputed from the CSVs."""

from __future__ import annotations


import pandas as pd
import pytest

from chapter_pages import assert_page_shows_exactly
from conftest import ROOT

from leftbehind.chapters.how_many_lbc import chapter_facts
from leftbehind.context import headcounts as hc

PAGE = ROOT / "notebooks" / "how_many_lbc.md"
PUBLISHED = ROOT / "data" / "published"


def read(name: str) -> pd.DataFrame:
    """A published CSV read with plain pandas, every cell as the text in the file."""
    return pd.read_csv(PUBLISHED / f"{name}.csv", dtype=str, keep_default_na=False).set_index("row_id")


@pytest.fixture(scope="module")
def facts():
    return chapter_facts()


@pytest.fixture(scope="module")
def counts():
    return read("lbc_headcounts")


def test_every_glued_key_on_the_page_is_a_fact_and_every_fact_is_shown(facts):
    assert_page_shows_exactly(PAGE, facts)


def test_published_facts_say_where_they_were_read(facts):
    published = [key for key, tier in facts.tiers.items() if tier == "published"]
    assert len(published) == 36
    for key in published:
        assert facts.sources.get(key), key


def test_quoted_numbers_are_the_text_in_the_csv_files(facts, counts):
    education, migrants, care = read("lbc_compulsory_education"), read("migrant_workers"), read("lbc_care_arrangements")
    assert facts.values["mca2016_total"] == counts.loc["mca2016_total", "value"] == "9.02"
    assert facts.values["nbs2020_rural"] == counts.loc["nbs2020_rural", "value"]
    assert facts.values["edu_moe2013"] == education.loc["moe2013", "value"]
    assert facts.values["interprovincial_2020"] == migrants.loc["lei2020_interprovincial", "value"]
    assert facts.values["lei_carer_age"] == care.loc["lei_carer_age", "value"]
    assert facts.sources["mca2016_total"] == ", ".join(counts.loc["mca2016_total", ["document", "where_read"]])


def test_derived_numbers_are_recomputed_from_the_csv_files(facts, counts):
    value = counts["value"].astype(float)
    assert facts.values["change_2018_recomputed"] == pytest.approx(
        100 * (value["mca2018_total"] / value["mca2016_total"] - 1))
    assert facts.values["change_2021_recomputed"] == pytest.approx(
        100 * (value["mca2021_total"] / value["mca2016_total"] - 1))
    assert facts.values["acwf_age_sum"] == pytest.approx(value.filter(like="acwf2010_age_").sum())
    assert facts.values["rural_drop"] == pytest.approx(value["acwf2010_total"] - value["nbs2020_rural"])
    headline = counts[counts["headline"] == "yes"]
    assert facts.values["n_definitions"] == headline["definition_id"].nunique()
    education = read("lbc_compulsory_education")["value"].astype(float)
    assert facts.values["edu_ratio_pct"] == pytest.approx(100 * education["yearbook2022"] / education["moe2013"])
    migrants = read("migrant_workers")
    nbs = migrants[(migrants["series"] == "nbs_monitoring") & (migrants["measure"] == "total")]
    assert facts.values["migrants_min"] == pytest.approx(nbs["value"].astype(float).min())
    assert facts.values["migrants_max"] == pytest.approx(nbs["value"].astype(float).max())
    assert (facts.values["migrants_first_year"], facts.values["migrants_last_year"]) == (
        nbs["year"].astype(int).min(), nbs["year"].astype(int).max())


def test_verdicts_follow_the_recomputed_change(facts, counts):
    """A printed change agrees when the recomputed one rounds to it at the printed decimals."""
    value = counts["value"].astype(float)
    for year in ("2018", "2021"):
        printed = counts.loc[f"mca{year}_change"]
        exact = 100 * (value[f"mca{year}_total"] / value["mca2016_total"] - 1)
        agrees = abs(exact - float(printed["value"])) <= 0.5 * 10 ** -int(printed["decimals"]) + 1e-9
        assert facts.values[f"change_{year}_verdict"] == ("agrees with" if agrees else "does not match")


def test_a_different_printed_change_turns_the_verdict(facts):
    """The verdict is computed, not written: move the printed 2018 change and it no longer agrees."""
    counts = hc.load_headcounts()
    row = counts["row_id"] == "mca2018_change"
    counts.loc[row, "value"] = counts.loc[row, "value"] - 5
    changed = chapter_facts(counts=counts)
    assert facts.values["change_2018_verdict"] == "agrees with"
    assert changed.values["change_2018_verdict"] == "does not match"


def test_the_frames_the_page_shows(facts):
    assert list(facts.tables) == ["series", "definitions", "education", "migrants", "care"]
    assert len(facts.tables["definitions"]) == facts.values["n_definitions"]
    assert len(facts.tables["care"]) == len(read("lbc_care_arrangements"))

"""leftbehind.paper.quoted_cells: the table cells chapters quote, checked against plain counts of a small cohort."""

from __future__ import annotations

import pytest

from fake_analysis import make_fake_analysis

from leftbehind.paper.quoted_cells import lbc_age_by_boarding, table1_quoted, table3_quoted
from leftbehind.paper.tables import HELP_CATEGORIES, table1_demographics, table3_help_seeking


@pytest.fixture(scope="module")
def cohort():
    return make_fake_analysis(3000, seed=13)


def test_table1_cells_are_the_shares_and_ages_of_each_group(cohort):
    quoted = table1_quoted(table1_demographics(cohort).cells)
    lbc, nlbc = cohort[cohort["lbc"]], cohort[~cohort["lbc"]]
    assert list(quoted) == ["rural_lbc_pct", "senior_lbc_pct", "senior_nlbc_pct", "age_lbc", "age_lbc_sd", "age_nlbc"]
    assert quoted["rural_lbc_pct"] == pytest.approx(100 * (lbc["residence"] == "rural").mean())
    assert quoted["senior_lbc_pct"] == pytest.approx(100 * (lbc["stage"] == "senior").mean())
    assert quoted["senior_nlbc_pct"] == pytest.approx(100 * (nlbc["stage"] == "senior").mean())
    assert quoted["age_lbc"] == pytest.approx(lbc["age"].mean())
    assert quoted["age_lbc_sd"] == pytest.approx(lbc["age"].std())
    assert quoted["age_nlbc"] == pytest.approx(nlbc["age"].mean())


def test_a_missing_row_is_named():
    cells = table1_demographics(make_fake_analysis(500, seed=2)).cells
    with pytest.raises(KeyError, match="residence = rural"):
        table1_quoted(cells[cells["level"] != "rural"])


def test_boarders_ages_are_group_means_among_lbc(cohort):
    ages = lbc_age_by_boarding(cohort)
    lbc = cohort[cohort["lbc"]]
    assert ages["boarders"] == pytest.approx(lbc.loc[lbc["boarder"] == "yes", "age"].mean())
    assert ages["day"] == pytest.approx(lbc.loc[lbc["boarder"] == "no", "age"].mean())


def test_table3_cells_count_each_kind_of_help(cohort):
    quoted = table3_quoted(table3_help_seeking(cohort).cells)
    cases = cohort[cohort["lbc"] & (cohort["nssi"] == 1)]
    counts = cases["help_seeking"].astype(str).value_counts()
    for kind in HELP_CATEGORIES:
        assert quoted[f"lbc_{kind}_n"] == counts.get(kind, 0)
        assert quoted[f"lbc_{kind}_pct"] == pytest.approx(100 * counts.get(kind, 0) / len(cases))
    assert quoted["lbc_prof_lo"] < quoted["lbc_professional_pct"] < quoted["lbc_prof_hi"]
    others = cohort[~cohort["lbc"] & (cohort["nssi"] == 1)]
    assert quoted["nlbc_professional_pct"] == pytest.approx(100 * (others["help_seeking"] == "professional").mean())

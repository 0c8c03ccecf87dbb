"""The release version of the Yingshan tables: no count below the threshold, no single hidden cell in a block whose
totals are published, percentages on hidden counts hidden, small-cell model terms suppressed."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.paper.release_tables import release_tables
from leftbehind.paper.report import build_tables
from leftbehind.paper.release_write import identifying_columns
from leftbehind.yingshan.pipeline import run_pipeline
from conftest import ROOT

MARKS = ("<5", "x")


@pytest.fixture(scope="module")
def example():
    result = run_pipeline(ROOT / "data" / "examples" / "student_survey.csv")
    built = build_tables(result.analysis)
    return result, built, release_tables(result.analysis, built, 5)


def test_no_count_below_the_threshold(example):
    _, _, release = example
    for name in ("table1.csv", "table2.csv", "table3.csv", "table4.csv", "care_cascade.csv"):
        table = release["tables"][name]
        for column in [c for c in table.columns if c.endswith(("_n", "_cases")) or c == "n"]:
            numbers = [v for v in table[column].dropna() if v not in MARKS]
            assert all(float(v) >= 5 for v in numbers), (name, column)
    assert release["suppressed"]["table2.csv"] > 0  # the example has three NSSI reports outside the LBC group


def test_no_block_has_a_single_hidden_count(example):
    _, _, release = example
    table1 = release["tables"]["table1.csv"]
    counts = table1[table1["lbc_n"].notna() & (table1["level"] != "mean (SD)")]
    for _, block in counts.groupby("variable"):
        hidden = block[["lbc_n", "nlbc_n"]].isin(MARKS)
        assert (hidden.sum(axis=0) != 1).all() and (hidden.sum(axis=1) != 1).all()
        assert (block.loc[hidden["lbc_n"], "lbc_pct"] == "x").all()


def test_exact_counts_are_unchanged_where_shown(example):
    _, built, release = example
    exact, shown = built["cells"]["table1"], release["tables"]["table1.csv"]
    visible = ~shown["lbc_n"].isin(MARKS) & exact["lbc_n"].notna()
    assert (pd.to_numeric(shown.loc[visible, "lbc_n"]) == exact.loc[visible, "lbc_n"]).all()


def test_small_cell_terms_and_identifiers(example):
    result, built, release = example
    for name, terms in release["suppressed_terms"].items():
        assert not set(terms) & set(release["models"][name]["terms"])
    table7 = release["tables"].get("table7_terms.csv")
    if table7 is not None and release["suppressed_terms"].get("nssi_lbc"):
        assert (table7.loc[list(release["suppressed_terms"]["nssi_lbc"]), "or"] == "x").all()
    assert identifying_columns(result)[:2] == ["response_id", "school_id"]


def test_a_test_is_hidden_only_when_its_own_table_hides_a_cell(example):
    _, _, release = example
    for name in ("table5_gender_in_lbc", "table5_lbc_vs_nlbc", "table6_nssi_in_lbc", "table6_professional_in_lbc_nssi"):
        own = release["tables"][f"{name}.csv"].isin(MARKS).any().any()
        tests = release["tables"].get(f"{name}_tests.csv")
        if tests is not None:
            assert tests.isin(MARKS).any().any() == own, name

"""Derived variables follow the codebook: lbc, stage, help-seeking, labels."""

import pandas as pd

from leftbehind.yingshan.clean import exclude
from leftbehind.yingshan.derive import derive
from leftbehind.yingshan.validate import validate_export
from rawfactory import valid_row, write_rows


def derived(tmp_path, data):
    return derive(exclude(validate_export(write_rows(tmp_path / "x.csv", data)).data).kept)


def test_lbc_stage_help(tmp_path):
    data = [
        valid_row(1, father_away=1, mother_away=2, months_apart=6, grade=4),    # lbc, primary
        valid_row(2, father_away=2, mother_away=1, months_apart=5, grade=9, age=15),    # not lbc (5 months), junior
        valid_row(3, father_away=2, mother_away=2, months_apart=0, grade=10, age=16, nssi=1, treatment=1),
        valid_row(4, father_away=1, mother_away=1, months_apart=12, grade=12, age=18, nssi=1, treatment=8, gender=2),
        valid_row(5, nssi=1, treatment=3, residence=2, family=3, father_edu=4),
    ]
    out = derived(tmp_path, data).set_index("response_id")
    assert list(out["lbc"]) == [True, False, False, True, True]
    assert list(out["stage"]) == ["primary", "junior", "senior", "senior", "primary"]
    assert out.loc["R3", "help_seeking"] == "none"
    assert out.loc["R4", "help_seeking"] == "professional" and out.loc["R4", "professional"] == 1
    assert out.loc["R5", "help_seeking"] == "self_help" and out.loc["R5", "professional"] == 0
    assert pd.isna(out.loc["R1", "help_seeking"]) and pd.isna(out.loc["R1", "professional"])
    assert out.loc["R4", "gender"] == "girl" and out.loc["R1", "gender"] == "boy"
    assert out.loc["R5", "residence"] == "county_town" and out.loc["R5", "family"] == "remarried"
    assert out.loc["R5", "father_edu"] == "college"
    assert list(out["nssi"]) == [0, 0, 1, 1, 1]
    assert list(out["stage"].cat.categories) == ["primary", "junior", "senior"]
    assert "treatment" not in out.columns


# --- Tests that would notice (issue 14, item 8): mother-only away, blank months, default codebook ------------------


def test_mother_only_away_and_blank_months(tmp_path):
    data = [
        valid_row(1, father_away=2, mother_away=1, months_apart=8),   # mother only: LBC
        valid_row(2, father_away=2, mother_away=2, months_apart=""),  # neither away, months not asked
        valid_row(3, father_away=1, mother_away=2, months_apart=6),   # father only, exactly 6 months: LBC
    ]
    out = derived(tmp_path, data).set_index("response_id")
    assert out["mother_away"].tolist() == [True, False, False]
    assert out["father_away"].tolist() == [False, False, True]
    assert out["lbc"].tolist() == [True, False, True]
    assert out["months_apart"].tolist() == [8, 0, 6]
    assert out["age"].dtype == int and out["grade"].tolist() == [6, 6, 6]
    assert out.loc["R1", "only_child"] == "no" and out.loc["R1", "boarder"] == "no"

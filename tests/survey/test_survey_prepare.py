"""leftbehind.survey.prepare: rules, derivations, scales and exclusions as the spec says; every row counted."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leftbehind.core.errors import UserError
from leftbehind.spec import SpecError, canonical, canonical_series, parse_spec
from leftbehind.survey.prepare import prepare, read_table

MINIMAL = {
    "outcome": {"column": "y", "event": "yes"},
    "group": {"column": "g", "value": 1, "label": "in", "rest_label": "out"},
    "categorical": {"sex": "boy", "grade": 7},
    "continuous": ["age"],
}


def spec_of(extra: dict | None = None, path: str = "s.yaml"):
    from pathlib import Path

    return parse_spec({**MINIMAL, **(extra or {})}, Path(path))


def table(n: int = 12) -> pd.DataFrame:
    return pd.DataFrame({
        "y": (["yes", "no", "no"] * n)[:n],
        "g": ([1, 0] * n)[:n],
        "sex": (["boy", "girl", "girl", "boy"] * n)[:n],
        "grade": ([7.0, 8.0, 9.0] * n)[:n],
        "age": list(range(12, 12 + n)),
    }).astype(str)


@given(st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=False, width=32),
                 st.text(alphabet="0123456789.+- abcNA", max_size=6)))
def test_canonical_series_agrees_with_canonical(value):
    assert canonical_series(pd.Series([value], dtype=object)).iloc[0] == canonical(value)


def test_complete_cases_are_counted_per_column():
    data = table()
    data.loc[0, "age"] = ""
    data.loc[1, "age"] = "NA"
    data.loc[1, "sex"] = ""
    data.loc[2, "y"] = " "
    prepared = prepare(data, spec_of(), "t.csv")
    step = prepared.flow[-1]
    assert step["excluded"] == 3 and step["remaining"] == 9
    assert step["detail"] == {"y": 1, "sex": 1, "age": 2}
    assert prepared.n_read == 12 and prepared.n_analysed == 9
    assert any(line.startswith("dropped 3 rows") for line in prepared.log)
    assert set(prepared.data["grade"]) == {"7", "8", "9"}  # whole-number codes without decimals
    assert prepared.data["y"].isin([0, 1]).all()


def test_event_and_group_value_must_occur():
    with pytest.raises(UserError, match=r"outcome.event 'Yes' never occurs in column 'y' \(values found: no, yes\)"):
        prepare(table(), spec_of({"outcome": {"column": "y", "event": "Yes"}}), "t.csv")
    with pytest.raises(UserError, match="group.value '2' never occurs in column 'g'"):
        prepare(table(), spec_of({"group": {"column": "g", "value": 2, "label": "a", "rest_label": "b"}}), "t.csv")


def test_missing_column_names_the_near_match():
    data = table().rename(columns={"sex": "Sex"})
    with pytest.raises(UserError, match=r"t.csv: missing column\(s\) 'sex' \(found 'Sex'"):
        prepare(data, spec_of(), "t.csv")


def test_text_in_a_continuous_column_names_rows():
    data = table()
    data.loc[4, "age"] = "twelve"
    with pytest.raises(UserError, match=r"column 'age' is listed under continuous but holds text .* row\(s\) 5"):
        prepare(data, spec_of(), "t.csv")


def test_rest_value_excludes_other_groups():
    data = table()
    data.loc[[0, 1], "g"] = "9"
    spec = spec_of({"group": {"column": "g", "value": 1, "rest_value": 0, "label": "a", "rest_label": "b"}})
    prepared = prepare(data, spec, "t.csv")
    assert prepared.flow[-1]["excluded"] == 2 and prepared.n_analysed == 10


RAW_RULES = {
    "columns": [
        {"name": "y", "type": "string", "codes": {"1": "yes", "2": "no"}},
        {"name": "g", "type": "integer", "constraints": {"enum": [0, 1]}, "blank": "error"},
        {"name": "age", "type": "integer", "constraints": {"minimum": 6, "maximum": 25}},
    ],
}


def coded() -> pd.DataFrame:
    data = table()
    data["y"] = data["y"].map({"yes": "1", "no": "2"})
    return data


def test_codes_are_recoded_and_blanks_excluded():
    data = coded()
    data.loc[3, "age"] = ""
    prepared = prepare(data, spec_of(RAW_RULES), "t.csv")
    assert prepared.flow[1] == {"step": "blank in a column the spec requires", "excluded": 1, "remaining": 11,
                                "detail": {"age": 1}}
    assert prepared.data["y"].sum() == 3  # rows 1, 7, 10 (row 4, a yes, was excluded)


@pytest.mark.parametrize("column, value, message", [
    ("y", "3", r"column 'y' is not a valid code \(1, 2\) in row\(s\) 6"),
    ("g", "", r"column 'g' is blank \(the spec says a blank here makes the file invalid\) in row\(s\) 6"),
    ("g", "2", r"column 'g' is not one of 0, 1 in row\(s\) 6"),
    ("age", "30", r"column 'age' is above the maximum 25 in row\(s\) 6"),
    ("age", "12.5", r"column 'age' is not a whole number in row\(s\) 6"),
    ("age", "old", r"column 'age' is not a number \(type integer\) in row\(s\) 6"),
])
def test_raw_rules_reject_the_file_naming_column_and_row(column, value, message):
    data = coded()
    data.loc[5, column] = value
    with pytest.raises(UserError, match=message) as err:
        prepare(data, spec_of(RAW_RULES), "t.csv")
    assert str(err.value).startswith("t.csv:")


def test_codes_written_with_decimals_are_accepted():
    data = coded()
    data["y"] = data["y"] + ".0"
    assert prepare(data, spec_of(RAW_RULES), "t.csv").n_analysed == 12


def test_derived_scales_and_exclusions():
    data = table()
    data["i1"] = ["1", "2", "3", "4"] * 3
    data["i2"] = ["4", "3", "2", "1"] * 3  # reversed, it equals i1
    data.loc[0, "i2"] = ""
    extra = {
        "derived": {
            "stage": {"column": "grade", "bins": {"lower": [7, 8], "upper": [9, 12]}},
            "older": {"expression": "age >= 18", "values": ["old", "young"]},
        },
        "scales": {"score": {"items": ["i1", "i2"], "range": [1, 4], "reverse": ["i2"]}},
        "exclude": [{"id": "not_13", "keep": "age != 13", "description": "drop age 13"}],
        "categorical": {"stage": "lower", "older": "young"},
        "continuous": ["score"],
    }
    prepared = prepare(data, spec_of(extra), "t.csv")
    rule, complete = prepared.flow[1], prepared.flow[2]
    assert rule["step"].startswith("exclusion rule not_13") and rule["excluded"] == 1
    assert complete["detail"] == {"score": 1}  # the row with a blank item has no score
    got = prepared.data
    assert set(got["stage"]) == {"lower", "upper"}
    kept_ages = pd.to_numeric(data["age"])[pd.to_numeric(data["age"]) != 13].iloc[1:]  # row 0 has no score
    assert (got["older"] == "old").sum() == (kept_ages >= 18).sum()
    assert prepared.alpha.loc[0, "alpha"] == pytest.approx(1.0)  # identical items after reversing
    assert prepared.alpha.loc[0, "n"] == 11


def test_bad_expression_names_the_key():
    extra = {"derived": {"x": {"expression": "agee > 3"}}, "categorical": {"x": "1"}}
    with pytest.raises(SpecError, match=r"key 'derived.x.expression' cannot be evaluated on t.csv"):
        prepare(table(), spec_of(extra), "t.csv")
    extra = {"exclude": [{"id": "r", "keep": "age + 1"}]}
    with pytest.raises(SpecError, match=r"key 'exclude.r.keep' must give true/false"):
        prepare(table(), spec_of(extra), "t.csv")


def test_item_outside_the_range_is_rejected():
    data = table()
    data["i1"], data["i2"] = "1", "5"
    extra = {"scales": {"s": {"items": ["i1", "i2"], "range": [1, 4]}}}
    with pytest.raises(UserError, match=r"column 'i2' is outside the scale range 1-4 \(scale s\) in row\(s\) 1, 2"):
        prepare(data, spec_of(extra), "t.csv")


def test_nothing_left():
    data = table()
    data["age"] = ""
    with pytest.raises(UserError, match="no row is left to analyse"):
        prepare(data, spec_of(), "t.csv")


def test_read_table(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("\ufeffa,b\n1,\n".encode("utf-8"))
    got = read_table(path)
    assert list(got.columns) == ["a", "b"] and got.loc[0, "b"] == ""
    with pytest.raises(UserError, match="file not found"):
        read_table(tmp_path / "none.csv")
    (tmp_path / "y.xlsx").write_bytes(b"PK")
    with pytest.raises(UserError, match="save it as 'CSV UTF-8"):
        read_table(tmp_path / "y.xlsx")
    (tmp_path / "z.csv").write_bytes("a\n\xff\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_table(tmp_path / "z.csv")

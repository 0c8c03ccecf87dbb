"""leftbehind.spec.study: the minimal spec loads as written; every mistake names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from spec_surveys import ISSUE_MINIMAL

from leftbehind.spec import MINIMAL_EXAMPLE, SpecError, canonical, load_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_spec_from_the_issue(tmp_path):
    spec = load_spec(write(tmp_path, ISSUE_MINIMAL))
    assert (spec.outcome, spec.event) == ("self_harm_12m", "yes")
    assert (spec.group, spec.group_value, spec.label, spec.rest_label) == (
        "parent_migrated", "1", "left-behind", "not left-behind")
    assert [(c.name, c.reference) for c in spec.categorical] == [("sex", "boy"), ("grade", "7")]
    assert spec.continuous == ("age", "sleep_hours")
    assert spec.candidates == ["sex", "grade", "age", "sleep_hours"]
    assert spec.model_within == "all" and spec.p_remove == 0.10
    assert spec.tier == "real" and not spec.tier_declared
    assert spec.used_columns == ["self_harm_12m", "parent_migrated", "sex", "grade", "age", "sleep_hours"]


def test_minimal_example_constant_matches_the_issue():
    assert yaml.safe_load(MINIMAL_EXAMPLE) == yaml.safe_load(ISSUE_MINIMAL)


def test_model_within_is_optional(tmp_path):
    text = "\n".join(line for line in ISSUE_MINIMAL.splitlines() if not line.startswith("model_within"))
    assert load_spec(write(tmp_path, text)).model_within == "all"


@pytest.mark.parametrize("value, expected", [
    (7, "7"), (7.0, "7"), ("7", "7"), ("7.0", "7"), (" boy ", "boy"), ("F", "F"), (2.5, "2.5"),
    (float("nan"), None), ("", None), (None, None), ("007", "7"), ("1e3", "1e3"),
])
def test_canonical(value, expected):
    assert canonical(value) == expected


@pytest.mark.parametrize("change, key", [
    (lambda d: d.pop("outcome"), "'outcome' is required"),
    (lambda d: d["outcome"].pop("event"), "'outcome.event' is required"),
    (lambda d: d["outcome"].update(event=True), "'outcome.event' was read as true/false"),
    (lambda d: d["categorical"].update(sex=False), "'categorical.sex' was read as true/false"),
    (lambda d: d.update(model_within="lbc"), "'model_within' must be 'all'"),
    (lambda d: d.update(tier="simulated"), "'tier' must be one of real, synthetic, published"),
    (lambda d: d.update(outcomes={}), "unknown key(s) outcomes in the top level"),
    (lambda d: d["group"].update(colour="x"), "unknown key(s) colour in key 'group'"),
    (lambda d: d.update(continuous="age"), "'continuous' must be a list"),
    (lambda d: d.update(categorical={"age": "10"}), "list(s) age more than once"),
    (lambda d: d.update(categorical={}, continuous=[]), "name no candidate predictor"),
    (lambda d: d["group"].update(rest_label="left-behind"), "'group.rest_label' must differ"),
    (lambda d: d["group"].update(column="self_harm_12m"), "'group.column' is the outcome column"),
    (lambda d: d.update(p_remove=1.5), "'p_remove' must be between 0 and 1"),
    (lambda d: d.update(model_within="group", categorical={"parent_migrated": "0"}), "'model_within' is 'group'"),
])
def test_errors_name_the_file_and_key(tmp_path, change, key):
    data = yaml.safe_load(ISSUE_MINIMAL)
    change(data)
    path = write(tmp_path, yaml.safe_dump(data))
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert str(path) in str(err.value)
    assert key in str(err.value)


def test_unquoted_yes_is_caught(tmp_path):
    path = write(tmp_path, ISSUE_MINIMAL.replace('event: "yes"', "event: yes"))
    with pytest.raises(SpecError, match="write the value in quotes"):
        load_spec(path)


def test_bad_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "outcome: {column: x, event: 1\ngroup: [")
    with pytest.raises(SpecError, match=r"not valid YAML at line \d+"):
        load_spec(path)


def test_missing_file_and_non_mapping(tmp_path):
    with pytest.raises(SpecError, match="spec file not found"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(SpecError, match="must be a YAML mapping"):
        load_spec(write(tmp_path, "- a\n- b\n"))


RICH = """
study: {name: test}
tier: synthetic
outcome: {column: y, event: 1, label: the outcome}
group: {column: g, value: a, label: A, rest_label: B, rest_value: b}
categorical:
  stage: {reference: primary, label: School stage}
continuous:
  score: {label: Score}
  income: {per: 1000}
columns:
  - {name: y, type: integer, constraints: {enum: [0, 1]}, blank: exclude}
  - {name: g, type: string, codes: {1: a, 2: b}, blank: error}
  - {name: grade, type: integer, constraints: {minimum: 1, maximum: 12}}
  - {name: i1, type: integer}
derived:
  stage: {column: grade, bins: {primary: [1, 6], junior: [7, 9], senior: [10, 12]}}
  older: {expression: "grade >= 10", values: [yes_, no_]}
scales:
  score: {items: [i1, i2], range: [1, 4], reverse: [i2], label: A scale}
exclude:
  - {id: grade_range, keep: "grade >= 4", description: grades 4-12}
"""


def test_richer_form(tmp_path):
    spec = load_spec(write(tmp_path, RICH))
    assert spec.tier == "synthetic" and spec.tier_declared
    assert spec.rest_value == "b"
    assert spec.per == {"income": 1000.0}
    assert spec.label_of("stage") == "School stage" and spec.label_of("score") == "Score"
    assert spec.label_of("income") == "income (per 1000)"
    assert spec.label_of("stage[junior]") == "School stage: junior (vs primary)"
    assert [c.name for c in spec.columns] == ["y", "g", "grade", "i1"]
    assert spec.columns[1].codes == {"1": "a", "2": "b"} and spec.columns[1].blank == "error"
    assert spec.columns[0].enum == ("0", "1")
    assert spec.derived[0].bins["junior"] == (7.0, 9.0)
    assert spec.derived[1].values == ("yes_", "no_")
    assert spec.scales[0].reverse == ("i2",) and (spec.scales[0].low, spec.scales[0].high) == (1.0, 4.0)
    assert spec.exclude[0].id == "grade_range"


@pytest.mark.parametrize("old, new, key", [
    ("reverse: [i2]", "reverse: [i3]", "'scales.score.reverse' lists i3"),
    ("range: [1, 4]", "range: [4, 1]", "'scales.score.range' must go from low to high"),
    ("bins: {primary: [1, 6],", "bins: {primary: [1],", "'derived.stage.bins.primary' must be [low, high]"),
    ("type: integer, constraints: {minimum", "type: whole, constraints: {minimum", "'columns.grade.type'"),
    ('expression: "grade >= 10", ', "", "'derived.older' needs exactly one of"),
])
def test_richer_form_errors(tmp_path, old, new, key):
    assert old in RICH
    with pytest.raises(SpecError) as err:
        load_spec(write(tmp_path, RICH.replace(old, new)))
    assert key in str(err.value)


def test_parse_spec_rejects_a_list():
    with pytest.raises(SpecError, match="x.yaml"):
        parse_spec([1, 2], Path("x.yaml"))


@pytest.mark.parametrize("name", ["anes96", "chile1988", "yingshan"])
def test_the_repository_specs_load(name):
    spec = load_spec(ROOT / "data" / "specs" / f"{name}.yaml")
    assert spec.tier in ("real", "synthetic") and spec.tier_declared


def test_disclosure_threshold_defaults_to_5_and_can_be_raised(tmp_path):
    raw = yaml.safe_load(ISSUE_MINIMAL)
    assert parse_spec(dict(raw), tmp_path / "s.yaml").disclosure_threshold == 5
    assert parse_spec({**raw, "disclosure": {"threshold": 10}}, tmp_path / "s.yaml").disclosure_threshold == 10
    assert parse_spec({**raw, "disclosure": {"threshold": 3}}, tmp_path / "s.yaml").disclosure_threshold == 3


@pytest.mark.parametrize("value, words", [(2, "below the minimum of 3"), (0, "below the minimum of 3"),
                                          ("five", "whole number"), (4.5, "whole number"), (True, "whole number")])
def test_disclosure_threshold_errors_name_file_and_key(tmp_path, value, words):
    raw = {**yaml.safe_load(ISSUE_MINIMAL), "disclosure": {"threshold": value}}
    with pytest.raises(SpecError) as err:
        parse_spec(raw, tmp_path / "s.yaml")
    assert str(tmp_path / "s.yaml") in str(err.value) and "disclosure.threshold" in str(err.value)
    assert words in str(err.value)
    with pytest.raises(SpecError, match="unknown key"):
        parse_spec({**yaml.safe_load(ISSUE_MINIMAL), "disclosure": {"minimum": 5}}, tmp_path / "s.yaml")

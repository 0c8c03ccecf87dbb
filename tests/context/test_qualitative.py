"""The thesis structure and the mixed-methods joint display (src/leftbehind/context/qualitative.py)."""

import re

import pandas as pd
import pytest

from leftbehind.plots.figures import show_figure
from leftbehind.context import qualitative as q
from leftbehind.core.errors import UserError
from leftbehind.core.paths import published_dir
from leftbehind.core.provenance import load_published


@pytest.fixture(scope="module")
def structure():
    return q.load_thesis_structure()


@pytest.fixture(scope="module")
def joint():
    return q.load_joint_display_data()


def raw(name):
    return pd.read_csv(published_dir() / name, dtype=str, keep_default_na=False)


# ----------------------------------------------------------------- the thesis structure
def test_design_elements_are_as_the_thesis_prints_them(structure):
    assert len(q.elements(structure, "research_question")) == 3
    assert len(q.elements(structure, "objective")) == 4
    assert q.stated_value(structure, "design_informants") == 25
    assert q.stated_value(structure, "policy_state_council") == 2016
    assert q.stated_source(structure, "design_informants") == "lei2024, Abstract (English), paragraph 1"
    lenses = list(q.elements(structure, "lens")["label"])
    assert lenses == [
        "Maslow's hierarchy of needs", "Attachment theory", "Ecological systems theory", "Social support theory",
        "Stress and coping theory",
    ]


def test_only_chapter_one_survives(structure):
    assert q.unavailable_chapters(structure) == [
        "Literature review", "Methodology", "Research findings", "Discussion and conclusion", "References",
    ]
    availability = q.chapter_availability(structure)
    assert list(availability.index[availability["what survives"] == "full text"]) == ["Introduction"]


def test_theme_counts_agree_with_an_independent_count_of_section_numbers(structure):
    counts = q.theme_counts(structure)
    themes = structure[structure["kind"] == "theme"]["id"]
    subs = structure[structure["kind"] == "subtheme"]["id"]
    for strand, prefix in [("Problems faced", "4.5."), ("Coping strategies", "4.6."), ("Needs", "4.7."),
                           ("Intervention model", "5.6.")]:
        assert counts.loc[strand, "themes"] == themes.str.startswith(prefix).sum()
        assert counts.loc[strand, "sub-themes"] == subs.str.startswith(prefix).sum()
    assert list(counts["themes"]) == [4, 9, 5, 7]
    assert list(counts["sub-themes"]) == [5, 2, 0, 10]


def test_informants_appear_only_as_numbered_profiles_without_pseudonyms(structure):
    profiles = q.elements(structure, "informant_profile")
    assert list(profiles["label"]) == [f"Respondent {n}" for n in range(1, 26)]
    text = " ".join(profiles[["label", "note", "location"]].to_numpy().ravel())
    assert not re.search(r"\([A-Z][a-z]+\)", text), "a pseudonym in parentheses slipped into the data"
    assert q.garbled_profile_count(structure) == 2


def test_every_element_has_a_location_and_every_theme_a_contents_entry(structure):
    assert (structure["location"].str.strip() != "").all()
    themes = structure[structure["kind"].isin(["theme", "subtheme"])]
    for _, row in themes.iterrows():
        assert f"entry {row['id']}" in row["location"]
        assert row["available"] == "title only"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.assign(id=t["id"].where(t.index != 5, t["id"][4])), "column 'id' repeats in row(s) 5, 6"),
        (lambda t: t.assign(kind=t["kind"].where(t.index != 2, "finding")), "column 'kind' must be one of"),
        (lambda t: t.assign(parent=t["parent"].where(t.index != 30, "9.9")),
         "column 'parent' names an id that is not in the file in row(s) 31"),
        (lambda t: t.assign(page=t["page"].where(t.index != 7, "p. 17")),
         "column 'page' must be a whole number or blank in row(s) 8"),
        (lambda t: t[t["id"] != "4.2.25"].reset_index(drop=True),
         "24 informant_profile row(s) but the stated informant count"),
    ],
)
def test_malformed_structure_names_file_column_rule_and_rows(change, message):
    table = change(raw(q.STRUCTURE_FILE))
    with pytest.raises(UserError) as err:
        q.validate_thesis_structure(table, "lei.csv")
    assert str(err.value).startswith("lei.csv: ")
    assert message in str(err.value)


def test_theme_map_alt_states_the_counts_it_draws(structure):
    alt = q.theme_map_alt(structure)
    assert "Coping strategies: 9 themes" in alt and "with 2 sub-themes" in alt
    assert "Intervention model: 7 themes" in alt and "with 10 sub-themes" in alt
    assert "Research findings" in alt and "unavailable" in alt
    figure = show_figure(*q.theme_map_figure(structure))
    assert figure.alt == alt and figure.png.startswith(b"\x89PNG")
    assert figure.phone_text_px() >= 9  # every label legible in a 390-px phone's text column


# ----------------------------------------------------------------- the joint display
def test_factor_orientations_agree_with_the_published_counts(joint):
    yong = load_published("yong2023")
    factors = joint[joint["record"] == "factor"]
    assert len(factors) == int(yong.loc["cssmss_factors", "value"])
    assert (factors["orientation"] == "problem-oriented").sum() == int(yong.loc["cssmss_problem_factors", "value"])
    assert (factors["orientation"] == "emotion-oriented").sum() == int(yong.loc["cssmss_emotion_factors", "value"])


def test_directions_are_as_the_text_prints_them(joint):
    d = q.factor_directions(joint)
    assert d.loc["Problem-solving", "NSSI: regression (Table 7)"] == "protective factor"
    assert d.loc["Social support seeking", "NSSI: regression (Table 7)"] == "protective factor"
    assert d.loc["Patience", "NSSI: regression (Table 7)"] == "risk factor"
    assert d.loc["Venting", "NSSI: regression (Table 7)"] == "risk factor"
    assert d.loc["Problem-solving", "Help-seeking: regression (Table 8)"] == "favours help-seeking"
    assert d.loc["Patience", "Help-seeking: regression (Table 8)"] == "hinders help-seeking"
    problem = d[d["orientation"] == "problem-oriented"]
    emotion = d[d["orientation"] == "emotion-oriented"]
    assert (problem["NSSI: comparison (Table 6)"] == "lower").all()
    assert (emotion["NSSI: comparison (Table 6)"] == "higher").all()
    assert (problem["Help-seeking: comparison (Table 6)"] == "higher").all()
    assert d.loc["Social support seeking", "LBC vs NLBC (Table 5)"] == q.NOT_REPORTED


def test_joint_display_shows_every_theme_and_every_factor(joint):
    table = q.build_joint_display(joint)
    mappings = joint[joint["record"] == "mapping"]
    assert len(table) == len(mappings) + len(q.unmapped_factors(joint))
    assert set(table["CSSMSS factor (our mapping)"]) - {"—"} == set(joint.loc[joint["record"] == "factor", "cssmss_factor"])
    assert q.unmapped_factors(joint) == ["Fantasy denial"]
    none = table.loc["4.6.8 Maladaptive coping"]
    assert none["CSSMSS factor (our mapping)"] == "—" and none["NSSI: regression (Table 7)"] == "—"
    row = table.loc["4.6.1 Active problem-solving"]
    assert (row["fit (our judgement)"], row["Help-seeking: regression (Table 8)"]) == ("close", "favours help-seeking")
    assert "not reported in the text" not in table.to_numpy()
    assert (mappings["note"].str.startswith("our judgement")).all()


def test_direction_sources_name_a_section_and_paragraph_for_every_column(joint):
    sources = q.direction_sources(joint)
    assert list(sources.index) == [title for _, _, title in q.DIRECTION_COLUMNS]
    assert sources["section"].str.startswith("Results > ").all()
    assert sources.loc["Help-seeking: comparison (Table 6)", "paragraph"] == "paragraph 2"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.drop(index=10).reset_index(drop=True), "column 'direction' lacks a record for"),
        (lambda t: t.assign(direction=t["direction"].where(t.index != 8, "up")), "column 'direction' must be one of"),
        (lambda t: t.assign(note=t["note"].where(t["record"] != "mapping", "obvious")),
         "column 'note' must start with 'our judgement' for a mapping in row(s) 43"),
        (lambda t: t.assign(cssmss_factor=t["cssmss_factor"].where(t.index != 42, "Rumination")),
         "column 'cssmss_factor' must name a factor record (or be blank when fit is none) in row(s) 43"),
        (lambda t: t.assign(section=t["section"].where(t.index != 0, "")), "column 'section' is blank in row(s) 1"),
    ],
)
def test_malformed_joint_display_names_file_column_rule_and_rows(change, message):
    table = change(raw(q.JOINT_FILE))
    with pytest.raises(UserError) as err:
        q.validate_joint_display(table, "joint.csv")
    assert str(err.value).startswith("joint.csv: ")
    assert message in str(err.value)

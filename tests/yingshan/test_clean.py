"""Each exclusion reason is counted; no row is lost uncounted."""

from leftbehind.yingshan.clean import exclude, exclusions_by_reason, first_blank_sections, questionnaire_section
from leftbehind.spec.codebook import load_codebook
from leftbehind.yingshan.validate import validate_export
from rawfactory import valid_row, write_rows


def cleaned(tmp_path, data):
    return exclude(validate_export(write_rows(tmp_path / "x.csv", data)).data)


def test_each_reason(tmp_path):
    data = [
        valid_row(1),                                   # kept
        valid_row(2, cs36=""),                          # incomplete: coping item
        valid_row(3, months_apart=""),                  # incomplete: parent away, months blank
        valid_row(4, nssi=1, treatment=""),             # incomplete: nssi yes, treatment blank
        valid_row(5, age=9, grade=4),                   # out of range: age below 10
        valid_row(6, age=19, grade=12),                 # out of range: age above 18
        valid_row(7, age=10, grade=3),                  # out of range: grade below 4
        valid_row(8, father_away=2, mother_away=2, months_apart=""),  # kept: months not required
        valid_row(9, nssi=1, treatment=5),              # kept
        valid_row(10, age="", grade=2),                 # incomplete wins over out of range
    ]
    result = cleaned(tmp_path, data)
    assert result.flow == {"collected": 10, "excluded_incomplete": 4, "valid": 6, "excluded_out_of_range": 3, "analysed": 3}
    assert list(result.kept["response_id"]) == ["R1", "R8", "R9"]
    reasons = result.exclusions.set_index("response_id")
    assert reasons.loc["R3", "first_blank"] == "months_apart"
    assert reasons.loc["R4", "first_blank"] == "treatment"
    assert reasons.loc["R10", "reason"] == "incomplete"
    assert reasons.loc["R5", "detail"] == "age below 10"
    assert reasons.loc["R6", "detail"] == "age above 18"
    assert reasons.loc["R7", "detail"] == "grade below 4"
    by_reason = exclusions_by_reason(result.exclusions)
    assert by_reason["n"].sum() == 7


def test_no_row_lost(tmp_path):
    data = [valid_row(i, **({"cs01": ""} if i % 3 == 0 else {"age": 20} if i % 5 == 0 else {})) for i in range(1, 31)]
    result = cleaned(tmp_path, data)
    flow = result.flow
    assert flow["collected"] == flow["excluded_incomplete"] + flow["excluded_out_of_range"] + flow["analysed"] == 30
    assert len(result.exclusions) + len(result.kept) == 30
    assert set(result.exclusions["response_id"]).isdisjoint(result.kept["response_id"])


# --- Tests that would notice (issue 14, item 8): either parent away, inclusion limits, order and indexes ------------


def test_months_required_when_either_parent_is_away(tmp_path):
    data = [
        valid_row(1, father_away=1, mother_away=2, months_apart=""),  # father only away: months required
        valid_row(2, father_away=2, mother_away=1, months_apart=""),  # mother only away: months required
        valid_row(3, father_away=1, mother_away=1, months_apart=""),  # both away
        valid_row(4, father_away=2, mother_away=2, months_apart=""),  # neither: months not asked
        valid_row(5, nssi=2, treatment=""),                            # no NSSI: treatment not asked
    ]
    result = cleaned(tmp_path, data)
    assert list(result.kept["response_id"]) == ["R4", "R5"]
    assert result.exclusions["first_blank"].tolist() == ["months_apart"] * 3


def test_inclusion_limits_are_inclusive(tmp_path):
    data = [valid_row(1, age=10, grade=4), valid_row(2, age=18, grade=12), valid_row(3, age=19, grade=12),
            valid_row(4, age=9, grade=4)]
    result = cleaned(tmp_path, data)
    assert list(result.kept["response_id"]) == ["R1", "R2"]
    assert result.exclusions["detail"].tolist() == ["age above 18", "age below 10"]


def test_outputs_have_fresh_indexes_and_reasons_in_a_fixed_order(tmp_path):
    data = [valid_row(1, cs01=""), valid_row(2, age=9, grade=4), valid_row(3), valid_row(4, age=19, grade=12),
            valid_row(5, age=9, grade=4), valid_row(6)]
    result = cleaned(tmp_path, data)
    assert result.kept.index.tolist() == [0, 1] and list(result.kept["response_id"]) == ["R3", "R6"]
    assert "index" not in result.kept.columns and len(result.kept.columns) == len(load_codebook().names)
    assert result.exclusions.index.tolist() == [0, 1, 2, 3]
    assert result.exclusions["response_id"].tolist() == ["R1", "R2", "R4", "R5"]
    by_reason = exclusions_by_reason(result.exclusions)
    # by reason (alphabetical), then most frequent first, ties alphabetical by detail
    assert by_reason.values.tolist() == [
        ["incomplete", "a required answer is blank", 1],
        ["out_of_range", "age below 10", 2],
        ["out_of_range", "age above 18", 1],
    ]
    assert by_reason.index.tolist() == [0, 1, 2]
    ties = exclusions_by_reason(result.exclusions[result.exclusions["response_id"] != "R5"])
    assert ties["detail"].tolist() == ["a required answer is blank", "age above 18", "age below 10"]


def test_incomplete_questionnaires_are_counted_by_the_section_of_their_first_blank(tmp_path):
    data = [valid_row(1, cs36=""), valid_row(2, cs01=""), valid_row(3, nssi=1, treatment=""),
            valid_row(4, months_apart=""), valid_row(5), valid_row(6, age=20)]
    result = cleaned(tmp_path, data)
    sections = first_blank_sections(result.exclusions).set_index("first blank in")["questionnaires"]
    assert sections.to_dict() == {"coping items": 2, "self-injury and help": 1, "background": 1}
    assert list(sections) == sorted(sections, reverse=True)  # most frequent first
    assert sections.sum() == result.flow["excluded_incomplete"]  # out-of-range rows are not counted here
    assert questionnaire_section("gender") == "background"

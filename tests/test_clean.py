"""Each exclusion reason is counted; no row is lost uncounted."""

from leftbehind.clean import exclude, exclusions_by_reason
from leftbehind.validate import validate_export
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

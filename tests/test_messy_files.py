"""Small, messy, valid files as students have them (issue 13): each case with its own generated file.

The command runs in-process (``leftbehind.__main__.main``) so each case costs only the analysis itself.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from leftbehind.__main__ import main
from rawfactory import survey_rows, write_rows

CONTRACT_OUTPUTS = ("analysis.csv", "flow.csv", "alpha.csv", "run_log.txt", "table1.csv", "table2.csv", "table3.csv",
                    "table4.csv", "table5_lbc_vs_nlbc.csv", "table6_nssi_in_lbc.csv", "care_cascade.csv")


def analyse(capsys, raw, out, *extra, json_path=None):
    args = ["analyse", str(raw), "--out", str(out), *map(str, extra)]
    if json_path is not None:
        args += ["--json", str(json_path)]
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_clean_run(code, text, out):
    assert code == 0, text
    assert "Traceback" not in text and "Warning:" not in text  # no spilled library warnings
    for name in CONTRACT_OUTPUTS:
        assert (out / name).exists(), name
    assert not [p for p in out.parent.iterdir() if ".partial-" in p.name]  # no temporary folder left behind


@pytest.fixture(scope="module")
def small_rows():
    return survey_rows(400, seed=1)


def test_small_valid_survey_gets_every_table_and_named_not_estimable_models(tmp_path, capsys, small_rows):
    raw = write_rows(tmp_path / "small.csv", small_rows)
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    summary = json.loads((tmp_path / "s.json").read_text())
    table8 = summary["models"]["help_lbc_nssi"]
    assert table8["estimable"] is False
    assert table8["problems"][0]["reason"] == "too_few_events" and table8["problems"][0]["variable"] == "professional"
    assert "not estimable" in text and "What you can do" in text
    log = (tmp_path / "out" / "run_log.txt").read_text()
    assert "Table 8" in log and "not estimable" in log
    listed = pd.read_csv(tmp_path / "out" / "models_not_estimable.csv")
    assert set(listed["model"]) == {"help_lbc_nssi"} and listed["what_you_can_do"].str.len().gt(10).all()
    assert not (tmp_path / "out" / "table8_terms.csv").exists()  # no table pretends to be a fitted model


def test_empty_category_is_named_with_merge_and_drop_remedies_that_work(tmp_path, capsys):
    raw = write_rows(tmp_path / "nocollege.csv", survey_rows(500, seed=4, nssi_rate=0.2, college_rate=0.0))
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    table7 = json.loads((tmp_path / "s.json").read_text())["models"]["nssi_lbc"]
    assert table7["estimable"] is False
    empty = {(p["reason"], p["variable"]) for p in table7["problems"]}
    assert ("empty_category", "father_edu") in empty and ("empty_category", "mother_edu") in empty
    assert "--merge father_edu=senior_middle,college" in text and "--drop father_edu" in text
    # following the advice makes the model estimable
    code, text = analyse(capsys, raw, tmp_path / "out2", "--merge", "father_edu=senior_middle,college",
                         "--drop", "mother_edu", json_path=tmp_path / "s2.json")
    assert code == 0, text
    table7 = json.loads((tmp_path / "s2.json").read_text())["models"]["nssi_lbc"]
    assert table7["estimable"] is True and "mother_edu" not in table7["steps"][0]["variables"]
    assert table7["options"] == "--drop mother_edu --merge father_edu=senior_middle,college"
    assert (tmp_path / "out2" / "table7_terms.csv").exists() and (tmp_path / "out2" / "forest_nssi_lbc.png").exists()


def test_separation_and_constant_variable_are_not_estimable_not_a_traceback(tmp_path, capsys):
    rows = survey_rows(500, seed=5, nssi_rate=0.2)
    for row in rows:
        row["boarder"] = "2"  # nobody boards: a constant variable
        if row["family"] == "3":
            row["nssi"], row["treatment"] = "2", ""  # no remarried child reports NSSI: separation
    raw = write_rows(tmp_path / "sep.csv", rows)
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    problems = {(p["reason"], p["variable"]) for p in
                json.loads((tmp_path / "s.json").read_text())["models"]["nssi_lbc"]["problems"]}
    assert ("constant_variable", "boarder") in problems and ("separation", "family") in problems


@pytest.mark.parametrize("change, reasons", [
    ({"father_away": "2", "mother_away": "2", "months_apart": "0"}, {"no_rows"}),  # no left-behind child at all
    ({"nssi": "1", "treatment": "4"}, {"constant_outcome"}),  # everyone reports NSSI and professional help
])
def test_degenerate_but_valid_files_exit_0_without_spilled_warnings(tmp_path, capsys, change, reasons):
    raw = write_rows(tmp_path / "odd.csv", [{**row, **change} for row in survey_rows(40, seed=7)])
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    found = {p["reason"] for m in json.loads((tmp_path / "s.json").read_text())["models"].values() for p in m["problems"]}
    assert found == reasons
    assert "numerical warning" not in text or "run_log.txt" in text


def test_rank_deficient_design_is_named(tmp_path, capsys):
    rows = survey_rows(500, seed=6, nssi_rate=0.2)
    for row in rows:
        row["residence"] = "1" if row["boarder"] == "1" else "2"  # residence duplicates boarding
    raw = write_rows(tmp_path / "rank.csv", rows)
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    problems = json.loads((tmp_path / "s.json").read_text())["models"]["nssi_lbc"]["problems"]
    assert [(p["reason"], p["variable"]) for p in problems] == [("rank_deficient", "boarder")]


def test_bom_file_is_analysed(tmp_path, capsys, small_rows):
    raw = write_rows(tmp_path / "bom.csv", small_rows, bom=True)
    code, text = analyse(capsys, raw, tmp_path / "out")
    assert_clean_run(code, text, tmp_path / "out")
    assert "UTF-8 with a byte-order mark" in text


def test_extra_identifying_column_is_listed_and_never_copied(tmp_path, capsys, small_rows):
    rows = [{**row, "学生姓名": f"张{i}同学", "phone": f"1380000{i:04d}"} for i, row in enumerate(small_rows)]
    raw = write_rows(tmp_path / "extra.csv", rows)
    out = tmp_path / "out"
    code, text = analyse(capsys, raw, out, json_path=tmp_path / "s.json")
    assert_clean_run(code, text, out)
    assert "学生姓名" in text and "phone" in text and "not carried into any output" in text
    for path in [*out.iterdir(), tmp_path / "s.json"]:
        if path.suffix in (".csv", ".json"):
            content = path.read_text(encoding="utf-8")
            assert "同学" not in content and "1380000" not in content and "phone" not in content, path.name


def test_gb18030_csv_is_detected_and_named(tmp_path, capsys, small_rows):
    rows = [{**row, "school_id": f"城关中学{row['school_id']}"} for row in small_rows]
    text_csv = pd.DataFrame(rows).to_csv(index=False, lineterminator="\r\n")
    raw = tmp_path / "gbk.csv"
    raw.write_bytes(text_csv.encode("gbk"))
    code, text = analyse(capsys, raw, tmp_path / "out")
    assert_clean_run(code, text, tmp_path / "out")
    assert "GB18030" in text
    assert "城关中学" in (tmp_path / "out" / "analysis.csv").read_text(encoding="utf-8")


def test_encoding_option_and_an_undecodable_file(tmp_path, capsys, small_rows):
    rows = [{**row, "school_id": f"學校{row['school_id']}"} for row in small_rows[:50]]
    raw = tmp_path / "big5.csv"
    raw.write_bytes(pd.DataFrame(rows).to_csv(index=False).encode("big5"))
    code, text = analyse(capsys, raw, tmp_path / "out", "--encoding", "big5")
    assert code == 0, text
    code, text = analyse(capsys, raw, tmp_path / "out2", "--encoding", "utf-8")
    assert code == 2 and "not valid utf-8" in text and "Traceback" not in text
    assert not (tmp_path / "out2").exists()
    code, text = analyse(capsys, raw, tmp_path / "out3", "--encoding", "klingon")
    assert code == 2 and "--encoding klingon" in text


def test_xlsx_is_read_directly(tmp_path, capsys, small_rows):
    frame = pd.DataFrame(small_rows)
    numeric = [c for c in frame.columns if c not in ("response_id", "school_id")]
    frame[numeric] = frame[numeric].apply(pd.to_numeric)  # Excel stores numbers, with blanks as empty cells
    raw = tmp_path / "survey.xlsx"
    frame.to_excel(raw, index=False, sheet_name="问卷")
    code, text = analyse(capsys, raw, tmp_path / "out", json_path=tmp_path / "s.json")
    assert_clean_run(code, text, tmp_path / "out")
    assert "Excel workbook" in text and "问卷" in text
    assert json.loads((tmp_path / "s.json").read_text())["flow"]["collected"] == 400


def test_whole_numbers_written_as_decimals_are_accepted_but_fractions_are_not(tmp_path, capsys, small_rows):
    frame = pd.DataFrame(small_rows).replace("", None)
    numeric = [c for c in frame.columns if c not in ("response_id", "school_id")]
    frame[numeric] = frame[numeric].astype(float)  # blanks in 'treatment' make pandas write 14.0
    raw = tmp_path / "floats.csv"
    frame.to_csv(raw, index=False)
    assert ",12.0," in raw.read_text()
    code, text = analyse(capsys, raw, tmp_path / "out")
    assert_clean_run(code, text, tmp_path / "out")
    frame.loc[2, "age"] = 14.5
    frame.to_csv(raw, index=False)
    code, text = analyse(capsys, raw, tmp_path / "bad")
    assert code == 2 and "'age'" in text and "not a whole number" in text and "row(s) 3" in text
    assert not (tmp_path / "bad").exists()


def test_near_miss_column_names_are_named(tmp_path, capsys, small_rows):
    rows = [{("Gender" if k == "gender" else "Father edu" if k == "father_edu" else k): v for k, v in row.items()}
            for row in small_rows[:20]]
    raw = write_rows(tmp_path / "case.csv", rows, columns=list(rows[0]))
    code, text = analyse(capsys, raw, tmp_path / "out")
    assert code == 2 and "Traceback" not in text
    assert "expected `gender`, found `Gender`" in text and "expected `father_edu`, found `Father edu`" in text
    assert not (tmp_path / "out").exists()


def test_a_failure_after_validation_writes_nothing(tmp_path, capsys, small_rows, monkeypatch):
    import leftbehind.commands.analyse as command

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated failure while writing the tables")

    monkeypatch.setattr(command, "write_analysis_outputs", broken)
    raw = write_rows(tmp_path / "ok.csv", small_rows)
    out = tmp_path / "new" / "out"
    code, text = analyse(capsys, raw, out, json_path=tmp_path / "s.json")
    assert code == 1 and "Traceback" not in text and "simulated failure" in text
    assert not (tmp_path / "new").exists() and not (tmp_path / "s.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]


def test_existing_output_folder_is_untouched_by_a_failed_run(tmp_path, capsys, small_rows):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    raw = write_rows(tmp_path / "bad.csv", [{**row, "gender": "7"} for row in small_rows[:10]])
    code, text = analyse(capsys, raw, out)
    assert code == 2 and "'gender'" in text
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out"]


def test_a_valid_file_with_nothing_left_to_analyse_exits_2_with_the_reasons(tmp_path, capsys, small_rows):
    raw = write_rows(tmp_path / "blank.csv", [{**row, "gender": ""} for row in small_rows[:12]])
    code, text = analyse(capsys, raw, tmp_path / "out")
    assert code == 2 and "only 0 of 12" in text and "gender" in text and "Traceback" not in text
    assert "Warning" not in text and not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--drop", "shoe_size"], ["--merge", "father_edu=college,phd"],
                                    ["--merge", "father_edu"], ["--json", "."]])
def test_bad_model_options_exit_2_before_any_work(tmp_path, capsys, option):
    code, text = analyse(capsys, tmp_path / "missing.csv", tmp_path / "out", *option)
    assert code == 2 and option[0] in text and option[1].split("=")[0] in text and "Traceback" not in text

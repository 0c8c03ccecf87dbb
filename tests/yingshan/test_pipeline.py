"""leftbehind.yingshan.pipeline: every questionnaire is either analysed or excluded with a reason, and the summary
counts what the analysis dataset holds."""

from __future__ import annotations

import pytest

from rawfactory import survey_rows, valid_row, write_rows

from leftbehind.core.errors import UserError
from leftbehind.yingshan.derive import LEVELS
from leftbehind.yingshan.pipeline import HELP_CATEGORIES, run_pipeline


def test_every_row_is_analysed_or_excluded_and_the_summary_counts_the_dataset(tmp_path):
    rows = survey_rows(300, seed=4, nssi_rate=0.2)
    rows[5]["gender"] = ""                    # incomplete
    rows[6]["age"], rows[6]["grade"] = "9", "3"  # outside the inclusion limits
    result = run_pipeline(write_rows(tmp_path / "raw.csv", rows))
    flow = result.flow
    assert flow["collected"] == 300
    assert flow["collected"] == flow["analysed"] + flow["excluded_incomplete"] + flow["excluded_out_of_range"]
    assert len(result.analysis) == flow["analysed"] == 300 - len(result.exclusions)
    assert set(result.exclusions["response_id"]) >= {rows[5]["response_id"], rows[6]["response_id"]}
    summary = result.summary()
    lbc = result.analysis[result.analysis["lbc"]]
    assert summary["lbc"] == {"n": len(lbc), "nssi": int((lbc["nssi"] == 1).sum())}
    assert sum(summary["help_seeking_lbc"].values()) == summary["lbc"]["nssi"]
    assert list(summary["help_seeking_lbc"]) == list(HELP_CATEGORIES) == list(LEVELS["help_seeking"])
    assert result.log[0].startswith("read 300 questionnaires") and result.log[-1] == f"analysed {len(result.analysis)} questionnaires"


def test_too_few_complete_questionnaires_is_a_user_error_naming_the_file_and_the_blank_column(tmp_path):
    rows = [valid_row(i, gender="") for i in range(3)] + [valid_row(9)]
    path = write_rows(tmp_path / "few.csv", rows)
    with pytest.raises(UserError, match=r"few\.csv: only 1 of 4 questionnaires .* most often blank: gender \(3\)"):
        run_pipeline(path)


def test_progress_messages_name_each_step(tmp_path):
    said = []
    run_pipeline(write_rows(tmp_path / "raw.csv", survey_rows(40, seed=1)), progress=said.append)
    assert [s.split()[0] for s in said] == ["validating", "excluding", "deriving"]

import pandas as pd
import pytest

from leftbehind.core.errors import UserError, fail_where, is_blank, row_numbers


def test_row_numbers_are_one_based_positions_capped_at_ten():
    mask = pd.Series([False, True, False] + [True] * 12, index=range(100, 115))
    assert row_numbers(mask) == "2, 4, 5, 6, 7, 8, 9, 10, 11, 12"


def test_blank_means_missing_or_whitespace():
    assert is_blank(pd.Series(["a", " ", None, ""])).tolist() == [False, True, True, True]


def test_fail_where_names_file_column_rule_and_rows():
    fail_where("x.csv", "age", "must be 10–18", pd.Series([False, False]))
    with pytest.raises(UserError, match=r"^x\.csv: column 'age' must be 10–18 in row\(s\) 2$"):
        fail_where("x.csv", "age", "must be 10–18", pd.Series([False, True]))


def test_require_columns_names_the_file_and_every_missing_column():
    from leftbehind.core.errors import require_columns

    table = pd.DataFrame({"a": [1]})
    require_columns(table, ["a"], "x.csv")
    with pytest.raises(UserError, match=r"^x\.csv: missing column\(s\) b, c$"):
        require_columns(table, ["a", "b", "c"], "x.csv")

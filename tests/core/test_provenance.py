import pandas as pd
import pytest

from leftbehind.core.provenance import ProvenanceError, cite, load_published, validate_published

GOOD = {
    "key": ["total", "part", "share"],
    "value": ["200", "50", "25.0"],
    "decimals": ["0", "0", "1"],
    "unit": ["count", "count", "percent"],
    "denominator": [None, "total", "total"],
    "document": ["doc"] * 3,
    "section": ["Results"] * 3,
    "paragraph": ["paragraph 1"] * 3,
    "note": [None] * 3,
}


def table(**changes):
    data = {k: list(v) for k, v in GOOD.items()}
    for column, (row, value) in changes.items():
        data[column][row] = value
    return pd.DataFrame(data)


def test_valid_table_is_indexed_by_key_with_numbers():
    out = validate_published(table(), "x.csv")
    assert out.loc["share", "value"] == 25.0
    assert out.loc["share", "printed"] == "25.0"
    assert out.loc["part", "denominator"] == "total"
    assert cite(out.loc["part"]) == "doc, Results, paragraph 1"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"value": (1, "fifty")}, "column 'value' is not a number in row(s) 2"),
        ({"key": (2, "total")}, "column 'key' repeats in row(s) 1, 3"),
        ({"decimals": (2, "2")}, "column 'decimals' disagrees with the printed value in row(s) 3"),
        ({"denominator": (1, "nowhere")}, "column 'denominator' names an unknown key in row(s) 2"),
        ({"section": (0, "")}, "column 'section' is blank in row(s) 1"),
    ],
)
def test_malformed_tables_name_file_column_and_rows(changes, message):
    with pytest.raises(ProvenanceError) as err:
        validate_published(table(**changes), "x.csv")
    assert str(err.value) == f"x.csv: {message}"


def test_missing_column_is_named():
    with pytest.raises(ProvenanceError, match="x.csv: missing column.*note"):
        validate_published(table().drop(columns="note"), "x.csv")


def test_every_published_file_in_the_repository_is_valid():
    from leftbehind.core.paths import published_dir

    checked = 0
    for path in sorted(published_dir().glob("*.csv")):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        if header[:3] == ["key", "value", "decimals"]:
            load_published(path.stem)
            checked += 1
    assert checked >= 1


def test_yong_sample_flow_rows_are_as_printed():
    published = load_published("yong2023")
    assert [int(published.loc[k, "value"]) for k in ("collected", "valid_methods", "analysed", "lbc_n")] == [
        19005,
        16968,
        16866,
        6096,
    ]

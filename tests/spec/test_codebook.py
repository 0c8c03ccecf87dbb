"""The codebook is the single source of the raw-data contract."""

from leftbehind.spec.codebook import load_codebook


def test_columns_in_contract_order():
    cb = load_codebook()
    assert cb.names[:3] == ["response_id", "school_id", "gender"]
    assert cb.names[-36:] == [f"cs{i:02d}" for i in range(1, 37)]
    assert len(cb.names) == 16 + 36


def test_item_mapping_is_codebook_data_and_covers_all_items_once():
    cb = load_codebook()
    items = cb.items
    assert sorted(items) == [f"cs{i:02d}" for i in range(1, 37)]
    sizes = {f: len(i) for f, i in cb.factor_items().items()}
    assert sizes == {"problem_solving": 6, "social_support": 6, "positive_reappraisal": 5, "patience": 5,
                     "escape": 5, "venting": 4, "fantasy_denial": 5}
    assert cb.orientations["problem_oriented"]["factors"] == ["problem_solving", "social_support", "positive_reappraisal"]


def test_valid_values_and_levels():
    cb = load_codebook()
    assert cb.column("gender").valid_values() == {1, 2}
    assert cb.column("age").valid_values() == set(range(6, 26))
    assert cb.column("treatment").level(5) == "professional"
    assert cb.column("treatment").level(3) == "self_help"
    assert cb.column("residence").level(2) == "county_town"
    assert cb.inclusion == {"age": {"min": 10, "max": 18}, "grade": {"min": 4, "max": 12}}


def test_dictionary_collapses_items_per_factor():
    table = load_codebook().dictionary()
    assert "cs01–cs06" in set(table["column"])
    assert len(table) == 16 + 7
    assert table.set_index("column").loc["response_id", "if blank"] == "file rejected"

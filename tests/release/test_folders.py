"""The READMEs and the disclosure report say what each folder is, who may see it, and what was suppressed."""

from leftbehind.release.folders import check_by_hand, disclosure_section, disclosure_text, release_readme, restricted_readme


def test_readmes_say_what_and_who():
    assert "<7" in release_readme(7, "real survey data") and "Who may see it" in release_readme(5, "real")
    text = restricted_readme("real survey data")
    assert "do not publish" in text and "analysis.csv" in text and "ethics approval" in text


def test_report_lists_threshold_tables_and_checks():
    section = disclosure_section(5, {"table1.csv": 4, "table2.csv": 6}, ["a note"], ["school_id"], ["table1.csv"])
    assert section["suppressed_total"] == 10 and section["threshold"] == 5
    text = disclosure_text(section, "real survey data")
    for piece in ("counts below 5", "table1.csv: 4", "table2.csv: 6", "a note", "school_id", check_by_hand(5)[0]):
        assert piece in text
    empty = disclosure_text(disclosure_section(5, {}, [], [], []), "real survey data")
    assert "Suppressed cells: none" in empty

"""leftbehind.presentation.manifest: every shown number, and the comparison of two builds."""

import json

import pytest

from leftbehind.presentation.manifest import (
    ManifestError,
    build,
    compare,
    figure_entries,
    glue_entries,
    glue_roles,
    load,
    table_entries,
)

PROSE = "Of {glue:text}`n:,` pupils, {glue:text}`pct:.1f` % ({glue:text}`words`); again {glue:text}`n:,`."


def glue_output(value_repr, tier="synthetic", source=None):
    meta = {"tier": tier, "page_tier": "synthetic"}
    if source:
        meta["source"] = source
    return {"data": {"text/plain": value_repr}, "metadata": {"leftbehind": meta}}


GLUE = {"n": glue_output("19005"), "pct": glue_output("4.63", tier="published", source="yong2023, Results"),
        "words": glue_output("'none'")}


def test_glue_roles_in_order_without_repeats():
    assert glue_roles(PROSE) == [("n", ","), ("pct", ".1f"), ("words", "")]


def test_glue_entries_show_numbers_as_the_prose_formats_them():
    entries = glue_entries("notebooks/x.html", PROSE, GLUE)
    assert [(e["key"], e["shown"], e["tier"]) for e in entries] == [("n:,", "19,005", "synthetic"),
                                                                    ("pct:.1f", "4.6", "published")]
    assert entries[1]["source"] == "yong2023, Results"
    assert "source" not in entries[0]


def test_a_role_without_a_glued_value_is_listed_as_a_problem():
    entries = glue_entries("p", "{glue:text}`missing:.2f`", {})
    assert entries[0]["shown"] is None and entries[0]["tier"] is None and "problem" in entries[0]


def test_table_entries_name_row_and_column():
    html = ("<table><thead><tr><th></th><th>OR</th><th>Label</th></tr></thead>"
            "<tbody><tr><th>Girls</th><td>1.67</td><td>text</td></tr>"
            "<tr><th>Boys</th><td>1,024</td><td>ok</td></tr></tbody></table>")
    entries = table_entries("p", [html], "synthetic")
    assert [(e["key"], e["shown"]) for e in entries] == [("table-1[Girls | OR]", "1.67"), ("table-1[Boys | OR]", "1,024")]
    assert {e["tier"] for e in entries} == {"synthetic"}


def test_figure_entries_take_every_number_in_alt_text():
    html = '<figure><img alt="Bars: 183 girls (6.3 %) and 99 boys, OR 1.84." src="x"/></figure>'
    assert [e["shown"] for e in figure_entries("p", [html], "derived")] == ["183", "6.3", "99", "1.84"]


def test_outputs_without_a_table_or_image_are_skipped_and_tags_in_capitals_still_count(monkeypatch):
    import bs4

    parsed = []
    real = bs4.BeautifulSoup
    monkeypatch.setattr(bs4, "BeautifulSoup", lambda html, *a, **k: parsed.append(html) or real(html, *a, **k))
    plain = "<p>No table: 1,024 pupils, 6.3 %.</p>"
    upper = '<TABLE><TBODY><TR><TH>Girls</TH><TD>1.67</TD></TR></TBODY></TABLE><IMG ALT="OR 1.84 in 2023" SRC="x">'
    assert [e["shown"] for e in table_entries("p", [plain, upper], "derived")] == ["1.67"]
    assert [e["shown"] for e in figure_entries("p", [plain, upper], "derived")] == ["1.84", "2023"]
    assert parsed == [upper, upper]  # the output without a table or image was never parsed


def test_build_reads_executed_notebooks_and_glue(tmp_path):
    executed = tmp_path / "jupyter_execute" / "notebooks"
    executed.mkdir(parents=True)
    (executed / "x.glue.json").write_text(json.dumps(GLUE))
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [
        {"output_type": "execute_result", "data": {"text/html": "<table><tr><td>2.5</td></tr></table>"}}]}]}
    (executed / "x.ipynb").write_text(json.dumps(notebook))
    source = tmp_path / "x.md"
    source.write_text(PROSE)
    manifest = build([("notebooks/x", "notebooks/x.html", source)], tmp_path / "jupyter_execute")
    assert [e["kind"] for e in manifest["numbers"]] == ["glue", "glue", "table"]
    assert manifest["numbers"][2]["tier"] == "synthetic"


def test_compare_lists_changed_added_and_missing_numbers():
    ours = {"numbers": [{"page": "a", "key": "k", "shown": "0.57"}, {"page": "a", "key": "only_ours", "shown": "1"}]}
    theirs = {"numbers": [{"page": "a", "key": "k", "shown": "0.58"}, {"page": "b", "key": "only_theirs", "shown": "2"}]}
    found = {(d.page, d.key): (d.ours, d.theirs) for d in compare(ours, theirs)}
    assert found == {("a", "k"): ("0.57", "0.58"), ("a", "only_ours"): ("1", None), ("b", "only_theirs"): (None, "2")}
    assert compare(ours, ours) == []


def test_load_names_the_file_when_it_is_not_a_manifest(tmp_path):
    with pytest.raises(ManifestError, match="no such file"):
        load(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ManifestError, match="bad.json: not a numbers manifest"):
        load(bad)
    bad.write_text("[]")
    with pytest.raises(ManifestError, match="no 'numbers' list"):
        load(bad)

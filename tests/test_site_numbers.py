"""The built site's numbers manifest lists every number the book glues, each with a tier."""

import json
from ast import literal_eval

import pytest

from conftest import ROOT
from leftbehind.presentation.glue import TIERS
from leftbehind.presentation.manifest import glue_roles

pytestmark = pytest.mark.site
EXECUTED = ROOT / "_build" / "jupyter_execute"


def manifest(site):
    path = site / "numbers.json"
    assert path.is_file(), "the build must write numbers.json at the root of the site"
    return json.loads(path.read_text(encoding="utf-8"))


def glued_numbers():
    """(page, key:spec) of every glue role whose glued value is a number, from the executed notebooks."""
    found = []
    for source in sorted((ROOT / "notebooks").glob("*.md")):
        glue_file = EXECUTED / "notebooks" / f"{source.stem}.glue.json"
        data = json.loads(glue_file.read_text()) if glue_file.is_file() else {}
        for key, spec in glue_roles(source.read_text(encoding="utf-8")):
            text = data.get(key, {}).get("data", {}).get("text/plain")
            try:
                value = literal_eval(text) if text is not None else None
            except (ValueError, SyntaxError):
                value = None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                found.append((f"notebooks/{source.stem}.html", f"{key}:{spec}" if spec else key))
    return found


def test_every_glued_number_is_in_the_manifest_with_a_tier(site):
    entries = {(e["page"], e["key"]): e for e in manifest(site)["numbers"]}
    glued = glued_numbers()
    assert len(glued) > 300
    missing = [pk for pk in glued if pk not in entries]
    assert not missing, f"glued numbers missing from numbers.json: {missing[:10]}"
    untiered = [pk for pk in glued if entries[pk].get("tier") not in TIERS]
    assert not untiered, f"glued numbers without a tier: {untiered[:10]}"


def test_every_entry_has_page_key_shown_and_tier_and_published_ones_a_source(site):
    numbers = manifest(site)["numbers"]
    assert len(numbers) >= len(glued_numbers())
    for entry in numbers:
        assert entry["page"].endswith(".html") and (site / entry["page"]).is_file(), entry
        assert entry["key"] and entry["shown"], entry
        assert entry["tier"] in TIERS, entry
        if entry["tier"] == "published" and entry["kind"] == "glue":
            assert entry.get("source"), entry
    assert {e["kind"] for e in numbers} == {"glue", "table", "figure"}


def test_the_every_number_page_lists_the_manifest(site):
    page = (site / "book" / "every_number.html").read_text(encoding="utf-8")
    numbers = manifest(site)["numbers"]
    tables = {(e["page"], e["key"].split("[", 1)[0]) for e in numbers if e["kind"] == "table"}
    assert page.count("<tr>") >= sum(e["kind"] != "table" for e in numbers) + len(tables)
    assert 'href="../notebooks/robustness.html"' in page
    assert f"{len(numbers):,} numbers" in page

"""leftbehind.chapters.facts: what a chapter glues, in the order it was added, from the table it names."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.chapters.facts import Facts
from leftbehind.presentation.glue import Page


def page(markdown: str) -> tuple[Page, list]:
    stored = []
    return Page("test", tier="derived", markdown=markdown,
                emit=lambda key, value, metadata: stored.append((key, value, metadata))), stored


def provenance(printed: str, where: str) -> pd.DataFrame:
    """A one-row provenance table (row ``n``) holding a number as printed in document ``where``."""
    decimals = len(printed.partition(".")[2])
    return pd.DataFrame({"value": [float(printed)], "printed": [printed], "decimals": [decimals],
                         "document": [where]}, index=["n"])


def test_facts_are_glued_in_the_order_they_were_added_whatever_their_kind():
    facts = Facts()
    facts.add("a", 1)
    facts.add_printed("n", glue_key="b", table=provenance("12", "paper one"))
    facts.add("c", "three", tier="published", source="a report")
    target, stored = page("{glue:text}`a` {glue:text}`b` {glue:text}`c`")
    facts.glue_onto(target)
    assert [key for key, _, _ in stored] == ["a", "b", "c", "c__zh"]  # a phrase also gets its Chinese twin
    assert stored[1][1:] == (12, {"tier": "published", "page_tier": "derived", "source": "paper one"})
    assert stored[2][2]["source"] == "a report"


def test_each_printed_fact_reads_its_own_table_or_the_pages_default():
    facts = Facts()
    facts.add_printed("n", glue_key="first", as_text=True, table=provenance("4.60", "paper one"))
    facts.add_printed("n", glue_key="second", as_text=True)
    target, stored = page("{glue:text}`first` {glue:text}`second`")
    facts.glue_onto(target, provenance("7.5", "paper two"))
    assert [(key, value, meta["source"]) for key, value, meta in stored] == [
        ("first", "4.60", "paper one"), ("second", "7.5", "paper two")]


def test_facts_given_to_the_constructor_come_first():
    facts = Facts(values={"x": 1, "y": 2})
    facts.add("z", 3)
    assert facts.glue_order() == ["x", "y", "z"]
    target, stored = page("{glue:text}`x` {glue:text}`y` {glue:text}`z`")
    facts.glue_onto(target)
    assert [key for key, _, _ in stored] == ["x", "y", "z"]


def test_a_key_defined_twice_is_refused():
    facts = Facts()
    facts.add("a", 1)
    with pytest.raises(KeyError, match="defined twice"):
        facts.add_printed("n", glue_key="a")

"""The release version of a spec-driven analysis: no small count, no recoverable cell, no suppressed odds ratio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.release.study import release_study, small_cell_terms
from leftbehind.release.suppression import COMPLEMENTARY, marker
from leftbehind.spec.study import parse_spec
from leftbehind.survey.study import analyse_study
from pathlib import Path

SPEC = {
    "outcome": {"column": "nssi", "event": "yes"},
    "group": {"column": "away", "value": 1, "label": "left-behind", "rest_label": "others"},
    "categorical": {"school": "A", "sex": "boy"},
    "continuous": ["age"],
}


def small_survey(seed: int = 3) -> pd.DataFrame:
    """A made-up survey where school C has 3 pupils and school D 6: small cells by construction."""
    rng = np.random.default_rng(seed)
    school = np.array(["A"] * 150 + ["B"] * 141 + ["C"] * 3 + ["D"] * 6)
    n = len(school)
    return pd.DataFrame({"nssi": np.where(rng.random(n) < 0.3, "yes", "no"), "away": rng.integers(0, 2, n),
                         "school": school, "sex": rng.choice(["boy", "girl"], n),
                         "age": rng.integers(10, 16, n).astype(str)}).astype(str)


@pytest.fixture(scope="module")
def released():
    spec = parse_spec(dict(SPEC), Path("spec.yaml"))
    result = analyse_study(small_survey(), spec, "survey.csv")
    return result, release_study(result)


def test_no_published_count_is_below_the_threshold(released):
    result, release = released
    assert release.threshold == 5
    comparison = release.tables["comparison.csv"]
    for column in ("left-behind n", "others n"):
        shown = comparison.loc[comparison["level"] != "mean (SD)", column]
        numbers = [v for v in shown if not isinstance(v, str)]
        assert all(int(v) >= 5 for v in numbers), shown.tolist()
        assert (shown == marker(5)).any()


def test_no_hidden_cell_can_be_recovered_from_a_row_or_column_total(released):
    _, release = released
    comparison = release.tables["comparison.csv"]
    counts = comparison[comparison["level"] != "mean (SD)"]
    for variable, block in counts.groupby("variable"):
        cells = block[["left-behind n", "others n"]].isin([marker(5), COMPLEMENTARY])
        # group sizes are published: a column with one hidden cell could be subtracted
        assert (cells.sum(axis=0) != 1).all(), (variable, block)
        # level totals count as published too: a level with one hidden cell could be subtracted
        assert (cells.sum(axis=1) != 1).all(), (variable, block)
        if cells.any().any():
            assert (block["p"] == COMPLEMENTARY).all() and (block["left-behind %"][cells["left-behind n"]]
                                                            == COMPLEMENTARY).all()


def test_small_cell_model_terms_are_found_and_suppressed():
    spec = parse_spec({**SPEC, "categorical": {"school": "A"}, "continuous": []}, Path("spec.yaml"))
    data = small_survey()
    data.loc[data["school"] == "C", "nssi"] = ["yes", "yes", "no"]
    result = analyse_study(data, spec, "survey.csv")
    model = {"terms": {"school[B]": {}, "school[C]": {}}, "estimable": True}
    found = small_cell_terms(result.prepared.data, spec, model, 5)
    assert set(found) == {"school[C]"} and "school = C" in found["school[C]"]
    assert small_cell_terms(result.prepared.data, spec, model, 3) == {"school[C]": found["school[C]"].replace("5", "3")}


def test_the_release_summary_carries_no_exact_small_count(released):
    result, release = released
    text = repr(release.summary)
    assert "'events'" in text and release.summary["n_analysed"] == result.prepared.n_analysed
    assert release.suppressed["comparison.csv"] >= 4


def test_view_and_facts_follow_the_release(released):
    from leftbehind.release.study import comparison_view, release_facts

    result, release = released
    view = comparison_view(release, result.spec)
    row = view[view["level"] == "C"].iloc[0]
    assert row["left-behind"] in ("<5", "x") and row["p"] == "x"
    assert any("%" in v for v in view["others"])
    facts = release_facts(release)
    assert facts["threshold"] == 5 and facts["n_suppressed"] == sum(release.suppressed.values())
    assert facts["suppressed_text"].startswith(f"{facts['n_suppressed']:,} cells were suppressed (")
    quiet = release_study(result, threshold=3)
    assert release_facts(quiet)["n_suppressed"] <= facts["n_suppressed"]


def test_no_suppression_gives_the_none_wording():
    from leftbehind.release.study import Release, release_facts

    assert release_facts(Release(5, {}, {}, {}))["suppressed_text"] == "no cell had to be suppressed"

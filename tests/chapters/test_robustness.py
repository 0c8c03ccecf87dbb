"""The robustness chapter's computation (leftbehind.chapters.robustness) on a small fake cohort."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.core.paths import repo_root
from leftbehind.chapters import robustness
from leftbehind.chapters.robustness import robustness_chapter
from leftbehind.paper.cohort import Cohort
from leftbehind.paper import sensitivity
from leftbehind.paper.sensitivity import Scenario, run_scenarios
from leftbehind.presentation.glue import shown_formats
from leftbehind.presentation.wording import lasso_agreement


def fake_cohort(n: int = 5000, seed: int = 11) -> pd.DataFrame:
    analysis = make_fake_analysis(n, seed=seed)
    # school ids in the generator's form (town t, school k), so the town can be read from them
    analysis["school_id"] = [f"T{k % 5 + 1}-J{k % 20}" for k in range(len(analysis))]
    return analysis


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    analysis = fake_cohort()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEFTBEHIND_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setattr(sensitivity, "synthetic_analysis", lambda seed=2023, overrides=None: fake_cohort(seed=seed % 97))
        mp.setattr(robustness, "synthetic_analysis", lambda seed=2023, overrides=None: fake_cohort(seed=5))
        scenarios = run_scenarios([Scenario("baseline", "as assumed"),
                                   Scenario("no_school_effect", "no school effect", {"school_effect_sd": (0.0, ())})],
                                  cache=False)
        yield robustness_chapter(analysis, n_boot=6, workers=1, n_sim=4, n_boot_chance=4, scenarios=scenarios)


def test_every_key_the_page_shows_is_computed_and_nothing_else(chapter):
    shown = set(shown_formats((repo_root() / "notebooks" / "robustness.md").read_text(encoding="utf-8")))
    computed = [key for facts in chapter.all_facts.values() for key in facts]
    assert len(computed) == len(set(computed)), "a key is computed by two sections"
    assert shown - set(computed) == set(), "the page shows a key no section computes"
    assert set(computed) - shown == set(), "a section computes a key the page never shows"


def test_clustering_facts_match_the_data(chapter):
    facts, lbc = chapter.facts("clustering").values, chapter.cohort.lbc
    assert facts["lbc_n"] == len(lbc)
    assert facts["n_schools"] == lbc["school_id"].nunique()
    assert facts["n_towns"] == 5
    assert facts["se_ratio_min"] <= facts["se_ratio_max"]
    assert facts["n_terms_final"] == len(chapter.table("clustered")) == len(chapter.cohort.final_columns)
    assert facts["deff"] == pytest.approx(1 + (facts["weighted_cluster"] - 1) * facts["icc"])


def test_selection_facts_come_from_the_bootstrap(chapter):
    facts, boot = chapter.facts("selection7").values, chapter.boot7
    retention = boot.retention()
    assert facts["n_boot"] == boot.n_boot == 6
    assert facts["n_always7"] == int((retention >= 0.995).sum())
    assert facts["n_candidates"] == len(chapter.cohort.blocks)
    assert 0 < facts["top_model_share"] <= 100
    assert facts["full_sample_retained"].count(",") == len(chapter.cohort.table7["retained"]) - 1
    lasso, path = chapter.facts("lasso").values, chapter.table("lasso")
    kept = len(chapter.cohort.table7["retained"])
    first = path[path["lasso entry rank"] <= kept]
    assert (path["retained on full sample"] == "yes").sum() == kept
    assert lasso["lasso_agreement"] == lasso_agreement(int((first["retained on full sample"] == "yes").sum()),
                                                       len(first), kept)


def test_table8_and_multiplicity_facts(chapter):
    facts = chapter.facts("table8").values
    cases = chapter.cohort.cases
    assert facts["cases_n"] == len(cases)
    assert facts["events8"] == int(cases["professional"].sum())
    assert facts["epv8"] == pytest.approx(min(facts["events8"], len(cases) - facts["events8"]) / facts["params8"])
    assert facts["failed8"] == int(chapter.boot8.failed.sum())
    assert 0 < facts["null8_min_p"] <= 1
    multiplicity = chapter.facts("multiplicity").values
    assert multiplicity["mult_raw"] >= multiplicity["mult_holm"]
    assert multiplicity["mult_bh"] >= multiplicity["mult_holm"]
    assert multiplicity["n_families"] == chapter.table("adjusted")["table"].nunique()


def test_scenario_and_construction_facts(chapter):
    facts = chapter.facts("scenarios").values
    assert facts["n_scenarios"] == 1
    assert facts["deff_min"] <= facts["deff_no_school"] <= facts["deff_max"]
    assert facts["n_survivors"] == (0 if facts["survivors"] == "none" else facts["survivors"].count(",") + 1
                                    + facts["survivors"].count(" and "))
    construction = chapter.facts("construction").values
    assert construction["n_boot_chance"] == 4
    assert list(chapter.table("construction").columns) == ["book's cohort (nulls balanced)", "nulls left to chance"]


def test_facts_glue_onto_a_page_in_order(chapter):
    seen = []

    class FakePage:
        def glue(self, key, value, tier=None, source=None):
            seen.append(key)

    chapter.facts("lasso").glue_onto(FakePage())
    assert seen == ["lasso_agreement"]


def test_cohort_key_changes_with_the_data():
    one, two = fake_cohort(seed=1), fake_cohort(seed=1)
    assert Cohort.from_analysis(one).key == Cohort.from_analysis(two).key
    two.loc[0, "nssi"] = 1 - two.loc[0, "nssi"]
    assert Cohort.from_analysis(one).key != Cohort.from_analysis(two).key


def test_parallel_scenarios_equal_sequential(tmp_path, monkeypatch):
    monkeypatch.setenv("LEFTBEHIND_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(sensitivity, "synthetic_analysis",
                        lambda seed, overrides: make_fake_analysis(3000, seed=seed + len(overrides)))
    scenarios = [Scenario("baseline", "as assumed"),
                 Scenario("halved", "halved", {"school_effect_sd": (0.5, ())}),
                 Scenario("none", "none", {"school_effect_sd": (0.0, ())})]
    one = run_scenarios(scenarios, seed=5, cache=False)
    two = run_scenarios(scenarios, seed=5, workers=2)  # computed in two processes, then stored
    again = run_scenarios(scenarios, seed=5, workers=2)  # read back from the cache
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, again)
    assert np.isfinite(one["nssi_lbc_pct"]).all()


def test_retention_is_shown_as_a_percentage_first():
    summary = pd.DataFrame({"retained_share": [1.0, 0.425], "or_selected_median": [2.2, 1.1]}, index=["a", "b"])
    shown = robustness.retention_percent(summary)
    assert list(shown.columns) == ["retained_percent", "or_selected_median"]
    assert shown["retained_percent"].tolist() == [100.0, 42.5]
    assert shown.index.tolist() == ["a", "b"]

"""Sensitivity to the assumptions register: overrides reach the generator; key results are computed right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.paper import sensitivity
from leftbehind.paper.sensitivity import (
    PAPER_TABLE7,
    Scenario,
    conclusions_table,
    key_results,
    register,
    run_scenarios,
    scaled_value,
    simulate_with_overrides,
    subsample,
)



def test_scaled_value_reads_the_register():
    original = [float(v) for v in register().loc["nssi_coping_log_or", "value"].split(";")]
    halved = [float(v) for v in scaled_value("nssi_coping_log_or", 0.5).split(";")]
    assert halved == pytest.approx([v / 2 for v in original])
    kept = [float(v) for v in scaled_value("nssi_nlbc_stage_rates", 2.0, keep=(1,)).split(";")]
    rates = [float(v) for v in register().loc["nssi_nlbc_stage_rates", "value"].split(";")]
    assert kept == pytest.approx([2 * rates[0], rates[1], 2 * rates[2]])


def test_overrides_reach_the_generator():
    baseline = simulate_with_overrides(2023)
    changed = simulate_with_overrides(2023, {"nssi_coping_log_or": scaled_value("nssi_coping_log_or", 0.0)})
    assert baseline.shape == changed.shape
    # the printed counts are fixed by construction, but which pupils report NSSI changes with the coping effects
    assert (baseline["nssi"] == 1).sum() == (changed["nssi"] == 1).sum()
    assert not baseline["nssi"].equals(changed["nssi"])
    with pytest.raises(KeyError, match="no_such_id"):
        simulate_with_overrides(2023, {"no_such_id": "1"})


def test_subsample():
    data = make_fake_analysis(1000, seed=1)
    part = subsample(data, 300, seed=4)
    assert len(part) == 300 and part["response_id"].is_unique
    assert part["response_id"].tolist() == subsample(data, 300, seed=4)["response_id"].tolist()
    assert subsample(data, None, seed=4) is data


def test_key_results_on_fake_data():
    data = make_fake_analysis(8000, seed=3)
    results = key_results(data)
    lbc = data[data["lbc"]]
    assert results["lbc_n"] == len(lbc)
    assert results["nssi_lbc_pct"] == pytest.approx(100 * lbc["nssi"].mean())
    # the fake data's NSSI model contains exactly the paper's Table 7 variables
    assert PAPER_TABLE7 <= set(results["table7_retained"]) and results["table7_as_paper"]
    assert results["coping_comparisons"] == 9
    assert results["design_effect_nssi_lbc"] >= 1.0


def test_run_scenarios_and_conclusions(monkeypatch):
    seen = []

    def fake_cohort(seed, overrides):
        seen.append(dict(overrides))
        boost = 0.0 if not overrides else -3.0  # a scenario that removes most NSSI cases
        return make_fake_analysis(6000, seed=seed, nssi_boost=boost)

    monkeypatch.setattr(sensitivity, "synthetic_analysis", fake_cohort)
    scenarios = [Scenario("baseline", "as assumed"), Scenario("halved", "halved", {"school_effect_sd": (0.5, ())})]
    results = run_scenarios(scenarios, seed=5, cache=False)
    assert list(results.index) == ["baseline", "halved"]
    assert seen[0] == {} and "school_effect_sd" in seen[1]
    assert results.loc["baseline", "nssi_lbc_pct"] > results.loc["halved", "nssi_lbc_pct"]
    table = conclusions_table(results)
    assert table.loc["baseline", "Table 7 keeps the paper's variables"] == "yes"
    assert set(table.columns) >= {"NSSI higher in LBC (p < 0.05)", "coping differences p < 0.05"}


def test_nulls_left_to_chance_scenario_switches_balancing_off():
    from leftbehind.paper.construction import NULLS_LEFT_TO_CHANCE
    from leftbehind.paper.sensitivity import SCENARIOS

    scenario = next(s for s in SCENARIOS if s.key == "nulls_left_to_chance")
    assert scenario.overrides() == NULLS_LEFT_TO_CHANCE  # the chapter's construction section reuses this cohort


def test_the_what_if_figure_draws_the_kept_terms_or_says_none_are_kept():
    import matplotlib.pyplot as plt

    from leftbehind.paper.sensitivity import what_if_figure

    table7 = pd.DataFrame({"or": [2.1, 0.6], "ci_low": [1.5, 0.4], "ci_high": [2.9, 0.95]},
                          index=["gender[girl]", "patience"])
    fig, alt = what_if_figure(table7)
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} == {"Girl (vs boy)", "Patience"}
    assert "entirely above 1: Girl (vs boy)" in alt and "Entirely below 1: Patience" in alt
    plt.close(fig)
    for empty in (None, table7.iloc[:0]):
        fig, alt = what_if_figure(empty)
        assert alt == "No Table 7 terms to plot with these parameters."
        assert [t.get_text() for t in fig.axes[0].texts] == [alt]
        plt.close(fig)

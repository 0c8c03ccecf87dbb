"""The analyse hook: every table and figure written, JSON additions complete."""

from __future__ import annotations

import json

import pandas as pd

from fake_analysis import make_fake_analysis
from leftbehind.paper.report import write_analysis_outputs
from leftbehind.presentation.vocabulary import label


def test_write_analysis_outputs(tmp_path):
    data = make_fake_analysis(n=6000, seed=9)
    out = write_analysis_outputs(data, tmp_path)
    json.dumps(out)  # JSON-able
    assert set(out["models"]) == {"nssi_lbc", "help_lbc_nssi"}
    for model in out["models"].values():
        assert {"retained", "steps", "terms", "n", "events"} <= set(model)
    for filename in out["tables"].values():
        assert (tmp_path / filename).stat().st_size > 0
    for name in ("table1", "table2", "table3", "table4", "table7_terms", "table8_steps", "care_cascade"):
        assert name in out["tables"]
    for filename, alt in out["figures"].items():
        assert (tmp_path / filename).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(alt) > 40
    terms = pd.read_csv(tmp_path / "table7_terms.csv", index_col="term")
    assert set(terms.index) == set(out["models"]["nssi_lbc"]["terms"])
    tests = pd.read_csv(tmp_path / "table2_tests.csv")
    assert {"comparison", "p", "paper_says", "agrees"} <= set(tests.columns)
    assert out["agreement"]["table3"]["yes"] + out["agreement"]["table3"]["no"] == 1


def test_outputs_are_deterministic(tmp_path):
    data = make_fake_analysis(n=3000, seed=4)
    write_analysis_outputs(data, tmp_path / "a")
    write_analysis_outputs(data, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_format_helpers():
    from leftbehind.paper.report import format_p, p_text

    assert format_p(0.0004) == "< 0.001"
    assert format_p(0.0342) == "0.034"
    assert p_text(0.0342) == "p = 0.034"
    assert p_text(1e-9) == "p < 0.001"


def test_views_show_every_step_and_term():
    from leftbehind.paper.report import build_tables, steps_view, terms_view

    built = build_tables(make_fake_analysis(n=5000, seed=12))
    model = built["models"]["nssi_lbc"]
    steps = steps_view(model)
    assert len(steps) == len(model["steps"])
    assert list(steps["removed"])[:-1] == [label(s["removed"]) for s in model["steps"][:-1]]
    assert steps["removed"].iloc[-1] == "(stop)"
    assert len(terms_view(model)) == len(model["terms"])


def test_disagreements_read_as_words_with_their_p_values():
    import pandas as pd

    from leftbehind.paper.report import disagreements

    tests = pd.DataFrame({"comparison": ["t2:residence=county_town:lbc_vs_nlbc", "t5:escape:lbc_vs_nlbc"],
                          "agrees": ["no", "yes"], "p": [0.0004, 0.2]})
    assert disagreements(tests) == "the paper's Table 2, Residence: county town (LBC vs NLBC), p < 0.001"
    assert disagreements(tests.assign(agrees="yes")) == "none"


def test_rebuilt_table_views_show_variables_categories_and_scores_in_words():
    import pandas as pd

    from leftbehind.paper.report import counts_view, means_view, prevalence_view

    cells = pd.DataFrame({"variable": ["father_edu"], "level": ["below_junior"], "lbc_n": [10], "lbc_pct": [50.0],
                          "nlbc_n": [5], "nlbc_pct": [25.0], "lbc_cases": [2], "lbc_ci_low": [1.0], "lbc_ci_high": [9.0],
                          "nlbc_cases": [1], "nlbc_ci_low": [1.0], "nlbc_ci_high": [9.0], "test": ["chi2"], "p": [0.5]})
    for view in (counts_view(cells), prevalence_view(cells)):
        assert view.loc[0, "variable"] == "Father's education"
        assert view.loc[0, "category"] == "below junior middle school"
    scores = pd.DataFrame({"score": ["fantasy_denial"], "a_mean": [2.0], "a_sd": [0.5], "b_mean": [2.1], "b_sd": [0.4],
                           "t": [1.0], "p": [0.3], "cohens_d": [0.1]})
    assert means_view(scores, ("a", "b")).loc[0, "coping score"] == "Fantasy/denial"
    named = scores.rename(columns={"a_mean": "lbc_mean", "a_sd": "lbc_sd", "b_mean": "no_nssi_mean", "b_sd": "no_nssi_sd"})
    assert list(means_view(named, ("lbc", "no_nssi")).columns[1:3]) == ["LBC: mean ± SD", "Without NSSI: mean ± SD"]

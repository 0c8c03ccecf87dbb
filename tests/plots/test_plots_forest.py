"""leftbehind.plots.forest: labels from the spec, the data tier in the axis label and the alt text."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from leftbehind.plots.figures import check_alt
from leftbehind.plots.forest import forest_figure
from leftbehind.spec import parse_spec

MODEL = {"estimable": True, "n": 500, "events": 80, "terms": {
    "sex[girl]": {"or": 1.8, "ci_low": 1.2, "ci_high": 2.7},
    "sleep": {"or": 0.7, "ci_low": 0.55, "ci_high": 0.85},
    "grade[10]": {"or": 1.1, "ci_low": 0.8, "ci_high": 1.5},
}}


def spec(tier: str | None):
    raw = {"outcome": {"column": "y", "event": "yes"},
           "group": {"column": "g", "value": 1, "label": "a", "rest_label": "b"},
           "categorical": {"sex": "boy", "grade": 7}, "continuous": ["sleep"], "labels": {"sleep": "Sleep (hours)"}}
    if tier:
        raw["tier"] = tier
    return parse_spec(raw, Path("s.yaml"))


def test_real_data_are_labelled_real_never_synthetic():
    fig, alt = forest_figure(MODEL, spec(None))
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Sleep (hours)", "grade: 10 (vs 7)", "sex: girl (vs boy)"]
    assert "real survey data" in fig.axes[0].get_xlabel()
    assert "synthetic" not in alt and "synthetic" not in fig.axes[0].get_xlabel()
    assert "real survey data" in alt
    assert "sex: girl (vs boy) (OR 1.80, 95% CI 1.20 to 2.70)" in alt and "Sleep (hours) (OR 0.70" in alt
    check_alt(alt)
    plt.close(fig)


def test_synthetic_tier_is_said():
    fig, alt = forest_figure(MODEL, spec("synthetic"))
    assert "synthetic data (generated, not real people)" in alt
    plt.close(fig)


def test_not_estimable_model_says_why():
    fig, alt = forest_figure({"estimable": False, "reason": "sex never varies"}, spec(None))
    assert "No forest plot" in alt and "sex never varies" in alt and "real survey data" in alt
    plt.close(fig)

"""Made-up surveys and the issue's minimal spec, shared by the spec, stats, commands and guide tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: The minimal spec exactly as issue 11 writes it (comments included).
ISSUE_MINIMAL = """\
outcome: {column: self_harm_12m, event: "yes"}     # binary outcome: which value is the event
group: {column: parent_migrated, value: 1, label: left-behind, rest_label: not left-behind}  # group vs everyone else
categorical: {sex: boy, grade: 7}                  # candidate predictor: its reference level
continuous: [age, sleep_hours]                     # candidate predictors used as numbers
model_within: all                                  # optional: "all" (default) or "group" (fit among the group only)
"""


def make_data(n: int = 800, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    grade = rng.integers(7, 13, n)
    sex = rng.choice(["boy", "girl"], n)
    sleep = rng.normal(8, 1, n)
    noise = rng.normal(0, 1, n)
    logit = -1.5 + 0.7 * (sex == "girl") + 0.15 * (grade - 7) - 0.4 * (sleep - 8)
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({"y": np.where(y, "yes", "no"), "g": rng.integers(0, 2, n), "sex": sex,
                         "grade": grade.astype(float), "sleep": sleep, "noise": noise})


def toy_survey(path: Path, n: int = 500, seed: int = 11) -> pd.DataFrame:
    """A made-up file with the minimal spec's columns (some sleep_hours blank)."""
    rng = np.random.default_rng(seed)
    grade = rng.integers(7, 13, n)
    data = pd.DataFrame({
        "self_harm_12m": np.where(rng.random(n) < 0.2, "yes", "no"), "parent_migrated": rng.integers(0, 2, n),
        "sex": rng.choice(["boy", "girl"], n), "grade": grade, "age": grade + rng.integers(5, 8, n),
        "sleep_hours": np.round(rng.normal(8, 1, n), 1),
    })
    data["sleep_hours"] = data["sleep_hours"].astype(object)
    data.loc[rng.choice(n, 15, replace=False), "sleep_hours"] = ""
    data.to_csv(path, index=False)
    return data

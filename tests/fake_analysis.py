"""A small fake analysis dataset with the analysis contract's columns (for tests only).

Seeded numpy; the outcome models give NSSI a few strong effects (girl, stage,
family, patience, venting up; problem_solving, social_support down) and
professional help an effect of problem_solving (+) and patience (-), so that
model tests have something to find.  It is not the book's synthetic cohort.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FACTORS = ["problem_solving", "social_support", "positive_reappraisal", "patience", "escape", "venting", "fantasy_denial"]


def make_fake_analysis(n: int = 4000, seed: int = 7, nssi_boost: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lbc = rng.random(n) < 0.4
    gender = np.where(rng.random(n) < 0.48, "girl", "boy")
    stage = rng.choice(["primary", "junior", "senior"], size=n, p=[0.4, 0.35, 0.25])
    age = np.select([stage == "primary", stage == "junior"], [11, 14], 17) + rng.integers(-1, 2, size=n)
    family = rng.choice(["nuclear", "single_parent", "remarried"], size=n, p=[0.8, 0.12, 0.08])
    data = {
        "response_id": [f"R{i:05d}" for i in range(n)],
        "school_id": [f"S{i % 20:02d}" for i in range(n)],
        "gender": gender,
        "age": age,
        "grade": np.select([stage == "primary", stage == "junior"], [5, 8], 11),
        "months_apart": np.where(lbc, 12, 0),
        "stage": stage,
        "only_child": rng.choice(["yes", "no"], size=n, p=[0.2, 0.8]),
        "boarder": np.where(rng.random(n) < np.where(stage == "primary", 0.2, 0.6), "yes", "no"),
        "residence": rng.choice(["rural", "county_town"], size=n, p=[0.6, 0.4]),
        "father_away": lbc,
        "mother_away": lbc & (rng.random(n) < 0.5),
        "father_edu": rng.choice(["below_junior", "junior_middle", "senior_middle", "college"], size=n, p=[0.3, 0.4, 0.2, 0.1]),
        "mother_edu": rng.choice(["below_junior", "junior_middle", "senior_middle", "college"], size=n, p=[0.35, 0.4, 0.15, 0.1]),
        "family": family,
        "lbc": lbc,
    }
    shift = np.where(lbc, 0.1, 0.0)
    for i, name in enumerate(FACTORS):
        sign = -1 if i < 3 else 1
        data[name] = np.clip(2.5 + sign * shift + rng.normal(0, 0.5, size=n), 1, 4)
    df = pd.DataFrame(data)
    eta = (
        -4.2
        + nssi_boost
        + 0.8 * (gender == "girl")
        + 0.5 * (stage == "junior")
        + 0.9 * (stage == "senior")
        + 0.8 * (family == "single_parent")
        + 0.9 * (family == "remarried")
        + 0.3 * lbc
        + 0.9 * (df["patience"] - 2.5)
        + 0.9 * (df["venting"] - 2.5)
        - 0.9 * (df["problem_solving"] - 2.5)
        - 0.9 * (df["social_support"] - 2.5)
    )
    nssi = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    help_eta = -1.0 + 1.6 * (df["problem_solving"] - 2.5) - 1.6 * (df["patience"] - 2.5)
    professional = rng.random(n) < 1 / (1 + np.exp(-help_eta))
    other = rng.choice(["none", "refused", "self_help"], size=n, p=[0.65, 0.12, 0.23])
    help_seeking = np.where(professional, "professional", other)
    df["nssi"] = nssi
    df["help_seeking"] = pd.Series(help_seeking, dtype="object").where(nssi == 1, pd.NA)
    df["professional"] = pd.array(np.where(nssi == 1, professional.astype(int), 0), dtype="Int64")
    df.loc[nssi == 0, "professional"] = pd.NA
    df["problem_oriented"] = df[FACTORS[:3]].mean(axis=1)
    df["emotion_oriented"] = df[FACTORS[3:]].mean(axis=1)
    return df

"""Derived variables: labelled levels, left-behind status, school stage, help-seeking.

Every rule comes from the codebook's ``derived`` and ``codes`` entries; the raw
treatment codes never leave this module (they are collapsed to four
help-seeking categories).
"""

from __future__ import annotations

import pandas as pd

from leftbehind.spec.codebook import Codebook, load_codebook

LEVELS = {
    "gender": ["boy", "girl"],
    "stage": ["primary", "junior", "senior"],
    "only_child": ["no", "yes"],
    "boarder": ["no", "yes"],
    "residence": ["rural", "county_town"],
    "father_edu": ["below_junior", "junior_middle", "senior_middle", "college"],
    "mother_edu": ["below_junior", "junior_middle", "senior_middle", "college"],
    "family": ["nuclear", "single_parent", "remarried"],
    "help_seeking": ["none", "refused", "self_help", "professional"],
}


def label(codes: pd.Series, column: str, codebook: Codebook) -> pd.Categorical:
    """Map raw codes to the analysis level names as an ordered-by-reference Categorical."""
    mapping = {code: entry["level"] for code, entry in codebook.column(column).codes.items()}
    return pd.Categorical(codes.map(mapping), categories=LEVELS[column])


def school_stage(grade: pd.Series, codebook: Codebook) -> pd.Categorical:
    """primary / junior / senior from the grade bands in the codebook."""
    stage = pd.Series(pd.NA, index=grade.index, dtype="object")
    for name, (low, high) in codebook.derived["stage"]["grades"].items():
        stage = stage.mask(grade.between(low, high), name)
    return pd.Categorical(stage, categories=LEVELS["stage"])


def left_behind(father_away: pd.Series, mother_away: pd.Series, months_apart: pd.Series, codebook: Codebook) -> pd.Series:
    """LBC: a parent away and at least ``min_months_apart`` consecutive months apart."""
    threshold = codebook.derived["lbc"]["min_months_apart"]
    return ((father_away | mother_away) & (months_apart >= threshold)).astype(bool)


def help_seeking(treatment: pd.Series, nssi: pd.Series, codebook: Codebook) -> pd.Categorical:
    """The four help-seeking categories from the treatment code; missing when there was no NSSI."""
    mapping = {code: entry["level"] for code, entry in codebook.column("treatment").codes.items()}
    values = treatment.map(mapping).where(nssi == 1)
    return pd.Categorical(values, categories=LEVELS["help_seeking"])


def derive(kept: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """The analysis dataset's non-coping columns from complete, in-range raw rows."""
    codebook = codebook or load_codebook()
    father_away = kept["father_away"] == 1
    mother_away = kept["mother_away"] == 1
    months = kept["months_apart"].fillna(0).astype(int)
    nssi = (kept["nssi"] == 1).astype(int)
    out = pd.DataFrame({
        "response_id": kept["response_id"].astype(str),
        "school_id": kept["school_id"].astype(str),
        "gender": label(kept["gender"], "gender", codebook),
        "age": kept["age"].astype(int),
        "grade": kept["grade"].astype(int),
        "months_apart": months,
        "stage": school_stage(kept["grade"].astype(int), codebook),
        "only_child": label(kept["only_child"], "only_child", codebook),
        "boarder": label(kept["boarder"], "boarder", codebook),
        "residence": label(kept["residence"], "residence", codebook),
        "father_away": father_away.astype(bool),
        "mother_away": mother_away.astype(bool),
        "father_edu": label(kept["father_edu"], "father_edu", codebook),
        "mother_edu": label(kept["mother_edu"], "mother_edu", codebook),
        "family": label(kept["family"], "family", codebook),
        "lbc": left_behind(father_away, mother_away, months, codebook),
        "nssi": nssi,
    })
    out["help_seeking"] = help_seeking(kept["treatment"], kept["nssi"], codebook)
    professional = (out["help_seeking"] == "professional").astype("Int64")
    out["professional"] = professional.where(nssi == 1, pd.NA).astype("Int64")
    return out

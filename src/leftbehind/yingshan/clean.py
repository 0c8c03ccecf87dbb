"""Exclude valid-but-unusable questionnaires, counting every one by reason.

Order (as in the issue's contract): (1) *incomplete*: a required answer is
blank; (2) *out of range*: age or grade outside the paper's inclusion criteria
(codebook ``inclusion``).  Nothing is dropped without being counted:
``collected = excluded_incomplete + excluded_out_of_range + analysed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leftbehind.spec.codebook import Codebook, load_codebook

REASONS = ("incomplete", "out_of_range")


@dataclass
class Cleaned:
    kept: pd.DataFrame
    exclusions: pd.DataFrame  # response_id, reason, detail, first_blank (the first blank required column)
    flow: dict


def required_blank(data: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per row and column: is a required answer blank?  (conditional columns per their rule)"""
    blank = pd.DataFrame({c.name: data[c.name].isna() for c in codebook.columns if c.blank == "incomplete"})
    parent_away = (data["father_away"] == 1) | (data["mother_away"] == 1)
    blank["months_apart"] = data["months_apart"].isna() & parent_away.fillna(False).astype(bool)
    blank["treatment"] = data["treatment"].isna() & (data["nssi"] == 1).fillna(False).astype(bool)
    return blank[[name for name in codebook.names if name in blank.columns]]


def out_of_range_detail(data: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Why a complete row falls outside the inclusion criteria ('' when it does not)."""
    detail = pd.Series("", index=data.index)
    for column, limits in codebook.inclusion.items():
        low = data[column] < limits["min"]
        high = data[column] > limits["max"]
        detail = detail.mask((detail == "") & low, f"{column} below {limits['min']}")
        detail = detail.mask((detail == "") & high, f"{column} above {limits['max']}")
    return detail


def exclude(data: pd.DataFrame, codebook: Codebook | None = None) -> Cleaned:
    """Apply the exclusions in order; return the kept rows, one row per exclusion, and the flow counts."""
    codebook = codebook or load_codebook()
    blank = required_blank(data, codebook)
    incomplete = blank.any(axis=1)
    first_blank = blank.idxmax(axis=1).where(incomplete, "")
    complete = data[~incomplete]
    detail = out_of_range_detail(complete, codebook)
    out_of_range = detail != ""
    exclusions = pd.concat(
        [
            pd.DataFrame({"response_id": data.loc[incomplete, "response_id"], "reason": "incomplete",
                          "detail": "a required answer is blank", "first_blank": first_blank[incomplete]}),
            pd.DataFrame({"response_id": complete.loc[out_of_range, "response_id"], "reason": "out_of_range",
                          "detail": detail[out_of_range], "first_blank": ""}),
        ],
        ignore_index=True,
    )
    kept = complete[~out_of_range].reset_index(drop=True)
    flow = {
        "collected": int(len(data)),
        "excluded_incomplete": int(incomplete.sum()),
        "valid": int((~incomplete).sum()),
        "excluded_out_of_range": int(out_of_range.sum()),
        "analysed": int(len(kept)),
    }
    if flow["collected"] != flow["excluded_incomplete"] + flow["excluded_out_of_range"] + flow["analysed"]:
        raise AssertionError("a row was lost uncounted")  # cannot happen; guards future edits
    return Cleaned(kept=kept, exclusions=exclusions, flow=flow)


def exclusions_by_reason(exclusions: pd.DataFrame) -> pd.DataFrame:
    """Counts by reason and detail (e.g. 'age below 10'), for the book and the output folder."""
    return (
        exclusions.groupby(["reason", "detail"], sort=True).size().rename("n").reset_index()
        .sort_values(["reason", "n"], ascending=[True, False], kind="stable").reset_index(drop=True)
    )


def questionnaire_section(column: str) -> str:
    """The part of the Yingshan questionnaire a required column belongs to (where an abandoned form stopped)."""
    if column.startswith("cs"):
        return "coping items"
    return "self-injury and help" if column in ("nssi", "treatment") else "background"


def first_blank_sections(exclusions: pd.DataFrame) -> pd.DataFrame:
    """Incomplete questionnaires counted by the section of their first blank answer, most frequent first."""
    incomplete = exclusions[exclusions["reason"] == "incomplete"]
    section = incomplete["first_blank"].map(questionnaire_section)
    return section.value_counts().rename("questionnaires").rename_axis("first blank in").reset_index()

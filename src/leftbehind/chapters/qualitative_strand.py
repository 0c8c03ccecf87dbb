"""The chapter "In their own words": every fact its prose states and the frames it shows.

The thesis's structure (``data/published/lei2024_structure.csv``) and the survey's coping directions
(``data/published/mixed_methods_joint_display.csv``) are published; the theme-to-factor mapping in the joint display
is our judgement; the counts the prose states are derived from those rows.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.context import qualitative as q


def _quoted(labels) -> str:
    """Labels as the prose names them: lower case, in single quotes, joined by "and"."""
    return " and ".join(f"‘{label.lower()}’" for label in labels)


def _thesis(facts: Facts, structure: pd.DataFrame, availability: pd.DataFrame, counts: pd.DataFrame) -> None:
    facts.add("n_informants", q.stated_value(structure, "design_informants"), tier="published",
              source=q.stated_source(structure, "design_informants"))
    facts.add("n_profiles", len(q.elements(structure, "informant_profile")))
    facts.add("n_garbled", q.garbled_profile_count(structure))
    facts.add("n_questions", len(q.elements(structure, "research_question")))
    facts.add("n_objectives", len(q.elements(structure, "objective")))
    facts.add("n_lenses", len(q.elements(structure, "lens")))
    facts.add("n_parts", len(availability))
    unavailable = q.unavailable_chapters(structure)
    facts.add("n_unavailable", len(unavailable))
    facts.add("unavailable_list", ", ".join(unavailable))
    facts.add("n_themes", int(counts["themes"].sum()))
    facts.add("n_subthemes", int(counts["sub-themes"].sum()))
    facts.add("n_coping_themes", int(counts.loc["Coping strategies", "themes"]))


def _joint(facts: Facts, joint: pd.DataFrame) -> None:
    mappings = joint[joint["record"] == "mapping"]
    facts.add("n_factors", int((joint["record"] == "factor").sum()))
    facts.add("n_mappings", len(mappings))
    facts.add("n_close", int((mappings["fit"] == "close").sum()))
    facts.add("n_partial", int((mappings["fit"] == "partial").sum()))
    facts.add("no_counterpart", _quoted(q.themes_without_counterpart(joint)))
    facts.add("unmapped", _quoted(q.unmapped_factors(joint)))


def chapter_facts(structure: pd.DataFrame | None = None, joint: pd.DataFrame | None = None) -> Facts:
    """Everything the qualitative chapter glues and shows (each input defaults to the book's validated file)."""
    structure = q.load_thesis_structure() if structure is None else structure
    joint = q.load_joint_display_data() if joint is None else joint
    availability = q.chapter_availability(structure)
    counts = q.theme_counts(structure)
    facts = Facts()
    _thesis(facts, structure, availability, counts)
    _joint(facts, joint)
    lenses = q.elements(structure, "lens")[["label", "page"]].rename(
        columns={"label": "theoretical lens", "page": "page in thesis"})
    facts.tables.update({"structure": structure, "availability": availability, "lenses": lenses,
                         "theme_counts": counts, "joint_display": q.build_joint_display(joint),
                         "direction_sources": q.direction_sources(joint)})
    return facts

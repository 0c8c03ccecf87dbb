"""The chapter "From evidence to action": every fact its prose states and the frames it shows.

Hung's figures (``data/published/hung2023.csv``), the survey's shares (``yong2023.csv``), the year of the State
Council's opinions (``lei2024_structure.csv``) and the crisis lines (``crisis_lines.csv``) are published; the counts
behind the survey's shares, their intervals and sums are derived.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.context import policy
from leftbehind.context import qualitative as q
from leftbehind.core.paths import published_dir
from leftbehind.core.provenance import load_published


def load_crisis_lines(directory: Path | None = None) -> pd.DataFrame:
    """``data/published/crisis_lines.csv`` in the order the book lists the lines (national lines first)."""
    lines = pd.read_csv((directory or published_dir()) / "crisis_lines.csv", dtype=str)
    return lines.sort_values("order", key=lambda s: s.astype(int))


def _help_seeking(facts: Facts, yong: pd.DataFrame, breakdown: pd.DataFrame) -> None:
    adds_up = policy.check_breakdown_adds_up(breakdown)
    reach = policy.professional_help_per_lbc(yong, breakdown)
    professional = breakdown.loc["Professional psychological help"]
    untreated = breakdown.loc["No treatment received"]
    facts.add_printed("lbc_n", table=yong)
    facts.add_printed("nssi_lbc_n", table=yong)
    facts.add_printed("help_no_treatment_pct", glue_key="untreated_pct", as_text=True, table=yong)
    facts.add("untreated_n", int(untreated["implied count"]))
    facts.add_printed("help_professional_pct", glue_key="professional_pct", as_text=True, table=yong)
    facts.add("professional_n", int(professional["implied count"]))
    facts.add("professional_low", float(professional["Wilson 95% CI low %"]))
    facts.add("professional_high", float(professional["Wilson 95% CI high %"]))
    facts.add("share_sum", adds_up["share_sum"])
    facts.add("count_sum", adds_up["count_sum"])
    facts.add("per_1000", reach["per_1000"])


def chapter_facts(yong: pd.DataFrame | None = None, hung: pd.DataFrame | None = None,
                  structure: pd.DataFrame | None = None, crisis_lines: pd.DataFrame | None = None) -> Facts:
    """Everything the evidence-to-action chapter glues and shows (each input defaults to the book's file)."""
    yong = load_published("yong2023") if yong is None else yong
    hung = load_published("hung2023") if hung is None else hung
    structure = q.load_thesis_structure() if structure is None else structure
    crisis_lines = load_crisis_lines() if crisis_lines is None else crisis_lines
    breakdown = policy.help_seeking_breakdown(yong)
    facts = Facts()
    facts.add_printed("lbc_millions", glue_key="hung_lbc_millions", as_text=True, table=hung)
    facts.add_printed("double_support_plan_year", glue_key="double_support_year", table=hung)
    facts.add("state_council_year", q.stated_value(structure, "policy_state_council"), tier="published",
              source=q.stated_source(structure, "policy_state_council"))
    facts.add_printed("obstacles_n", glue_key="n_obstacles", table=hung)
    _help_seeking(facts, yong, breakdown)
    facts.tables.update({
        "help_received": breakdown, "obstacles": policy.hung_obstacles(hung),
        "crisis_lines": crisis_lines.set_index("order")[["region", "line", "number", "what"]],
    })
    return facts

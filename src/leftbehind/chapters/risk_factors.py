"""The chapter "Risk factors and predictors": every fact its prose states and every frame it shows.

The models are fitted to the **synthetic** cohort (the page's tier); the paper's named terms come from its text
(``data/published/yong2023_claims.csv``). The paper's Table 7 is the model ``nssi_lbc``, its Table 8 the model
``help_lbc_nssi`` (built by :func:`leftbehind.paper.report.build_tables`).
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.paper.claims import load_claims
from leftbehind.paper.models import CANDIDATES, TERM_NAMES
from leftbehind.paper.report import (agreement_counts, build_tables, claims_view, disagreements, steps_view,
                                     synthetic_analysis, terms_view)
from leftbehind.presentation.vocabulary import in_prose
from leftbehind.stats.stepwise import P_ENTER, P_REMOVE

#: glue prefix -> (the model's name in :func:`build_tables`, the paper's table number)
MODELS = {"m7": ("nssi_lbc", 7), "m8": ("help_lbc_nssi", 8)}


def _listed(names: list[str]) -> str:
    return ", ".join(names) if names else "none"


def model_facts(facts: Facts, key: str, model: dict, tests: pd.DataFrame, paper: pd.DataFrame,
                epv_detail: bool = False) -> None:
    """One backward-selected model: its size, its path, and how its terms compare with the paper's text.

    ``epv_detail`` adds the parameter counts and the final model's events per variable (the page discusses them
    for the paper's Table 8 only).
    """
    facts.add(f"{key}_n", model["n"])
    facts.add(f"{key}_events", model["events"])
    if epv_detail:
        facts.add(f"{key}_params", model["candidate_parameters"])
    facts.add(f"{key}_epv", model["events_per_variable"])
    if epv_detail:
        facts.add(f"{key}_final_params", model["final_parameters"])
        facts.add(f"{key}_epv_final", model["events_per_variable_final"])
    facts.add(f"{key}_steps", len(model["steps"]))
    facts.add(f"{key}_retained", ", ".join(in_prose(v) for v in model["retained"]))
    facts.add(f"{key}_reenter", _listed([name for name, test in model["reentry"].items() if test["would_reenter"]]))
    counts = agreement_counts(tests)
    facts.add(f"{key}_agree", counts["agree"])
    facts.add(f"{key}_claimed", counts["claimed"])
    facts.add(f"{key}_disagreements", disagreements(tests))
    terms = [comparison.split(":", 1)[1] for comparison in paper["comparison"]]
    facts.add(f"{key}_paper_terms", ", ".join(TERM_NAMES[term] for term in terms))
    named = {term.split("[")[0] for term in terms}
    facts.add(f"{key}_extra", _listed([v.replace("_", " ") for v in model["retained"] if v not in named]))


def chapter_facts(analysis: pd.DataFrame | None = None, claims: pd.DataFrame | None = None) -> Facts:
    """Everything the risk-factor chapter glues and shows (``analysis``: default the book's synthetic cohort)."""
    analysis = synthetic_analysis() if analysis is None else analysis
    claims = load_claims() if claims is None else claims
    built = build_tables(analysis)
    facts = Facts()
    facts.add("n_candidates", len(CANDIDATES))
    facts.add("p_remove", P_REMOVE)
    facts.add("p_enter", P_ENTER)
    for key, (name, number) in MODELS.items():
        model, tests = built["models"][name], built["tests"][f"table{number}"]
        model_facts(facts, key, model, tests, claims[claims["table"] == number], epv_detail=number == 8)
        facts.results[key] = model
        facts.tables[f"table{number}_steps"] = steps_view(model)
        facts.tables[f"table{number}_model"] = terms_view(model)
        facts.tables[f"table{number}_claims"] = claims_view(tests)
    return facts

"""The chapter "What if?": the facts its prose states for one set of parameters, from one call.

The page (and a downloaded copy of it) sets the parameters in a cell and calls :func:`chapter_facts`; the
command ``python -m leftbehind whatif`` runs the same scenario (:func:`leftbehind.paper.sensitivity.what_if`).
Everything here is computed from the synthetic cohort regenerated with those parameters.
"""

from __future__ import annotations

from leftbehind.chapters.facts import Facts
from leftbehind.paper.report import p_text
from leftbehind.paper.sensitivity import WhatIf, what_if
from leftbehind.presentation.vocabulary import in_prose
from leftbehind.presentation.wording import number_word

#: Results glued as computed, in the page's order.
GLUED_RESULTS = ("n", "lbc_n", "nssi_lbc_pct", "nssi_nlbc_pct", "coping_comparisons", "design_effect_nssi_lbc")


def kept_phrase(retained: list[str], fitted: bool) -> str:
    """What backward elimination keeps, in words ("nothing" when it keeps nothing or cannot start)."""
    if not fitted:
        return "nothing, because the full model cannot be fitted in this sample"
    return ", ".join(in_prose(k) for k in retained) or "nothing"


def significant_phrase(n: int) -> str:
    """"none has", "one has", "3 have" — how many comparisons reach p < 0.05, with the verb that agrees."""
    if n == 0:
        return "none has"
    return f"{number_word(n)} {'has' if n == 1 else 'have'}"


def chapter_facts(settings: WhatIf, outcome: dict | None = None) -> Facts:
    """The page's facts for ``settings``; ``outcome`` (a :func:`what_if` result) skips recomputing it.

    ``results["outcome"]`` keeps the whole scenario (its Table 7 for the page's table and figure).
    """
    outcome = what_if(settings) if outcome is None else outcome
    results = outcome["results"]
    facts = Facts()
    for key in GLUED_RESULTS:
        facts.add(key, results[key])
    for table in ("7", "8"):
        facts.add(f"kept{table}", kept_phrase(results[f"table{table}_retained"], results[f"table{table}_fitted"]))
        facts.add(f"as_paper{table}", "includes" if results[f"table{table}_as_paper"] else "misses some of")
    facts.add("coping_significant_phrase", significant_phrase(results["coping_differences_significant"]))
    facts.add("threshold", settings.threshold)
    facts.add("nssi_lbc_vs_nlbc_p_text", p_text(results["nssi_lbc_vs_nlbc_p"]))
    facts.results["outcome"] = outcome
    return facts

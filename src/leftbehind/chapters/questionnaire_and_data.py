"""The chapter "The questionnaire and the data": every fact its prose states and every frame it shows.

It reads the contract (``data/codebook.yaml``), the synthetic generator's assumptions register
(``data/synthetic/assumptions.csv``) and its calibration targets, and the paper's printed description of the coping
scale (``data/published/yong2023.csv``). It shows no pupil-level data.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.core.provenance import load_published
from leftbehind.spec.codebook import Codebook, load_codebook
from leftbehind.yingshan.synthetic import load_assumptions, load_targets


def derived_rules(codebook: Codebook) -> pd.DataFrame:
    """The variables the pipeline derives from the answers, with the rule for each."""
    return pd.DataFrame([{"variable": name, "rule": entry["description"]} for name, entry in codebook.derived.items()])


def item_key(codebook: Codebook) -> pd.DataFrame:
    """The coping factors, their orientation and the (assumed) run of items in each."""
    return pd.DataFrame([{"factor": entry["label"], "orientation": entry["orientation"],
                          "items": f"{entry['items'][0]}–{entry['items'][-1]}", "number of items": len(entry["items"])}
                         for entry in codebook.factors.values()])


def chapter_facts(codebook: Codebook | None = None, register: pd.DataFrame | None = None,
                  published: pd.DataFrame | None = None, targets: dict | None = None) -> Facts:
    """Everything the questionnaire chapter glues and shows (each input defaults to the book's own file)."""
    codebook = load_codebook() if codebook is None else codebook
    register = load_assumptions() if register is None else register
    published = load_published("yong2023") if published is None else published
    targets = load_targets() if targets is None else targets
    facts = Facts()
    facts.add("n_columns", len(codebook.names))
    facts.add("n_items", len(codebook.items))
    facts.add("n_assumptions", len(register))
    for key in ("collected", "analysed", "lbc_n"):
        facts.add(key, int(targets[key]))
    facts.add("min_months", codebook.derived["lbc"]["min_months_apart"])
    for variable in ("age", "grade"):
        facts.add(f"{variable}_low", codebook.inclusion[variable]["min"])
        facts.add(f"{variable}_high", codebook.inclusion[variable]["max"])
    facts.add("cssmss_items_printed", int(published.loc["cssmss_items", "value"]))
    facts.add("cssmss_factors_printed", int(published.loc["cssmss_factors", "value"]))
    facts.tables.update({
        "dictionary": codebook.dictionary(),
        "derived": derived_rules(codebook),
        "item_key": item_key(codebook),
        "assumptions": register.reset_index()[["id", "assumption", "value", "justification", "source"]],
    })
    return facts

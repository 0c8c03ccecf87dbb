"""The chapter "The questionnaire and the data": every fact its prose states and every frame it shows.

It reads the contract (``data/codebook.yaml``) and the synthetic generator's assumptions register
(``data/synthetic/assumptions.csv``); the paper's counts (the cohort's calibration targets) and its printed description
of the coping scale are **published** and glued by provenance key (``data/published/yong2023.csv``). It shows no
pupil-level data.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.spec.codebook import Codebook, load_codebook
from leftbehind.yingshan.synthetic import load_assumptions


def derived_rules(codebook: Codebook) -> pd.DataFrame:
    """The variables the pipeline derives from the answers, with the rule for each."""
    return pd.DataFrame([{"variable": name, "rule": entry["description"]} for name, entry in codebook.derived.items()])


def item_key(codebook: Codebook) -> pd.DataFrame:
    """The coping factors, their orientation and the (assumed) run of items in each."""
    return pd.DataFrame([{"factor": entry["label"], "orientation": entry["orientation"],
                          "items": f"{entry['items'][0]}–{entry['items'][-1]}", "number of items": len(entry["items"])}
                         for entry in codebook.factors.values()])


#: Published numbers the prose quotes: glue key -> provenance key in ``data/published/yong2023.csv``.
QUOTED = {"collected": "collected", "analysed": "analysed", "lbc_n": "lbc_n",
          "cssmss_items_printed": "cssmss_items", "cssmss_factors_printed": "cssmss_factors"}


def chapter_facts(codebook: Codebook | None = None, register: pd.DataFrame | None = None) -> Facts:
    """Everything the questionnaire chapter glues and shows (each input defaults to the book's own file).

    The paper's counts are glued as published, by provenance key: pass the paper's table to :meth:`Facts.glue_onto`.
    """
    codebook = load_codebook() if codebook is None else codebook
    register = load_assumptions() if register is None else register
    facts = Facts()
    for glue_key, key in QUOTED.items():
        facts.add_printed(key, glue_key=glue_key)
    facts.add("n_columns", len(codebook.names))
    facts.add("n_items", len(codebook.items))
    facts.add("n_assumptions", len(register))
    facts.add("min_months", codebook.derived["lbc"]["min_months_apart"])
    for variable in ("age", "grade"):
        facts.add(f"{variable}_low", codebook.inclusion[variable]["min"])
        facts.add(f"{variable}_high", codebook.inclusion[variable]["max"])
    facts.tables.update({
        "dictionary": codebook.dictionary(),
        "derived": derived_rules(codebook),
        "item_key": item_key(codebook),
        "assumptions": register.reset_index()[["id", "assumption", "value", "justification", "source"]],
    })
    return facts

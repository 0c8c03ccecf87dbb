"""The chapter "Cleaning and the participant flow": every fact its prose states and every frame it shows.

The export is **synthetic** (the page's tier); counts, scores and reliabilities are derived from it by the survey
pipeline, and the fidelity table sets them beside the paper's **published** values (``data/published/yong2023.csv``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.core.provenance import load_published
from leftbehind.spec.codebook import load_codebook
from leftbehind.yingshan.clean import exclusions_by_reason, first_blank_sections
from leftbehind.yingshan.pipeline import PipelineResult, run_pipeline
from leftbehind.yingshan.synthetic import DEFAULT_SEED as SEED  # the seed of the book's synthetic export
from leftbehind.yingshan.synthetic import fidelity_table, simulate_raw, write_raw


def run_export(raw: pd.DataFrame) -> PipelineResult:
    """Write a raw export (as :func:`simulate_raw` returns it) to a temporary CSV and run the pipeline on the file."""
    with tempfile.TemporaryDirectory() as folder:
        return run_pipeline(write_raw(raw, Path(folder) / "synthetic_export.csv"))


def _out_of_range(facts: Facts, by_reason: pd.DataFrame) -> None:
    """How many fell outside each inclusion limit the prose names (labels as the cleaning step writes them)."""
    limits = load_codebook().inclusion
    counts = by_reason[by_reason["reason"] == "out_of_range"].set_index("detail")["n"]
    for key, (variable, side, bound) in {"age_below": ("age", "below", "min"), "grade_below": ("grade", "below", "min"),
                                         "age_above": ("age", "above", "max")}.items():
        facts.add(key, int(counts.get(f"{variable} {side} {limits[variable][bound]}", 0)))


def chapter_facts(result: PipelineResult | None = None, published: pd.DataFrame | None = None,
                  seed: int = SEED) -> Facts:
    """Everything the cleaning chapter glues and shows (``result``: default the pipeline run on the book's export,
    generated with ``seed``, which the page names).

    The scale's printed alpha is glued as published, by provenance key: pass ``published`` to :meth:`Facts.glue_onto`.
    """
    result = run_export(simulate_raw(seed=seed)) if result is None else result
    published = load_published("yong2023") if published is None else published
    facts = Facts()
    flow = result.flow
    lbc = result.summary()["lbc"]
    for key, value in flow.items():
        facts.add(key, value)
    facts.add("lbc_n", lbc["n"])
    facts.add("lbc_nssi", lbc["nssi"])
    facts.add("valid_pct", 100 * flow["valid"] / flow["collected"])
    by_reason = exclusions_by_reason(result.exclusions)
    _out_of_range(facts, by_reason)
    alpha = result.alpha
    facts.add("alpha_min", float(alpha["alpha"].min()))
    facts.add("alpha_max", float(alpha["alpha"].max()))
    facts.add_printed("cssmss_alpha", glue_key="cssmss_alpha_printed", as_text=True)  # published, as printed
    fidelity = fidelity_table(result.analysis, flow, published)
    calibrated = fidelity[~fidelity["matches"].str.contains("not calibrated")]
    facts.add("n_fidelity", len(calibrated))
    facts.add("n_fidelity_match", int((calibrated["matches"] == "yes").sum()))
    facts.results.update({"flow": flow, "lbc": lbc})
    facts.tables.update({
        "exclusions": by_reason.rename(columns={"n": "questionnaires"}),
        "first_blank": first_blank_sections(result.exclusions),
        "alpha": alpha[["label", "items", "n_items", "mean", "alpha"]].rename(
            columns={"label": "factor", "n_items": "number of items", "mean": "mean item score",
                     "alpha": "Cronbach's alpha"}),
        "fidelity": fidelity.drop(columns="key"),
    })
    facts.add("seed", seed)
    return facts

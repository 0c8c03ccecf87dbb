"""The chapter "The study at a glance": the paper's design and sample flow as printed, and two recomputed shares.

Every number is published (``data/published/yong2023.csv``) except the recomputed shares and the gap between the
valid and the analysed questionnaires, which are derived here.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.chapters.facts import Facts
from leftbehind.core.provenance import load_published
from leftbehind.paper.study_design import recompute_share, sample_flow

#: Counts of the sample flow, quoted as printed.
FLOW_COUNTS = ("collected", "valid_methods", "analysed", "lbc_n")
#: The design, quoted as printed.
DESIGN = ("age_min", "age_max", "towns_sampled", "survey_year", "separation_months", "first_grade_primary")


def chapter_facts(published: pd.DataFrame | None = None) -> Facts:
    """The page's facts, in the order its prose states them; ``tables["flow"]`` is the printed sample flow."""
    published = load_published("yong2023") if published is None else published
    facts = Facts()
    for key in FLOW_COUNTS:
        facts.add_printed(key, table=published)
    facts.add("unexplained_gap", int(published.loc["valid_methods", "value"]) - int(published.loc["analysed", "value"]))
    for key in DESIGN:
        facts.add_printed(key, table=published)
    for share, glue in (("valid_rate_pct", "valid_rate"), ("lbc_share_pct", "lbc_share")):
        facts.add_printed(share, glue_key=f"{glue}_printed", as_text=True, table=published)
        facts.add(f"{glue}_exact", recompute_share(published, share)["exact"])
    facts.tables["flow"] = sample_flow(published)
    return facts

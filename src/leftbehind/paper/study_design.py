"""The design of Yong et al. (2023) as the paper prints it: the sample flow.

Published numbers come from ``data/published/yong2023.csv``; the functions here
only rearrange them and recompute what arithmetic allows.
"""

from __future__ import annotations

import pandas as pd

from leftbehind.stats.granularity import rounds_to

FLOW_STEPS = (
    ("collected", "Questionnaires collected"),
    ("valid_methods", "Valid after removing incomplete ones (Methods)"),
    ("analysed", "Analysed (Results)"),
    ("lbc_n", "Left-behind children among those analysed"),
)


def sample_flow(published: pd.DataFrame) -> pd.DataFrame:
    """The participant flow as printed, one row per step (indexed by step), with where each count appears."""
    rows = []
    for key, label in FLOW_STEPS:
        row = published.loc[key]
        rows.append({"step": label, "count": int(row["value"]), "where": f"{row['section']}, {row['paragraph']}"})
    return pd.DataFrame(rows).set_index("step")


def recompute_share(published: pd.DataFrame, key: str) -> dict:
    """Recompute a printed percentage from its numerator and denominator counts.

    The numerator is the count whose ``denominator`` matches the percentage's
    and which is not itself a percentage; the result is rounded to the printed
    number of decimals; it *matches* when the exact share lies within half a
    printed unit of the printed value (so either rounding rule is accepted).
    """
    pct = published.loc[key]
    denominator_key = pct["denominator"]
    candidates = published[(published["denominator"] == denominator_key) & (published["unit"] == "count")]
    if len(candidates) != 1:
        raise ValueError(f"{key}: expected one count over {denominator_key}, found {len(candidates)}")
    numerator_key = candidates.index[0]
    numerator = int(candidates.iloc[0]["value"])
    denominator = int(published.loc[denominator_key, "value"])
    exact = 100 * numerator / denominator
    decimals = int(pct["decimals"])
    return {
        "key": key,
        "numerator_key": numerator_key,
        "numerator": numerator,
        "denominator": denominator,
        "printed": float(pct["value"]),
        "exact": exact,
        "recomputed": float(f"{exact:.{decimals}f}"),
        "matches": bool(rounds_to(exact, float(pct["value"]), decimals)),
    }


def sample_flow_alt(flow: pd.DataFrame) -> str:
    """Alt text for the sample-flow chart, stating each step's count."""
    steps = "; ".join(f"{step}: {count:,}" for step, count in flow["count"].items())
    return f"Horizontal bar chart of the published sample flow, largest to smallest. {steps}."


def sample_flow_figure(flow: pd.DataFrame):
    """A horizontal bar chart of the sample flow, labelled with counts."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, count_axis, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 3.0))
    labels = [wrap(str(label), 22) for label in flow.index][::-1]
    values = list(flow["count"])[::-1]
    ax.barh(labels, values, color=OKABE_ITO["blue"])
    for y, value in enumerate(values):
        ax.text(value, y, f" {value:,}", va="center")
    ax.set_xlabel("Number of questionnaires (published)")
    count_axis(ax)
    ax.set_xlim(0, max(values) * 1.25)
    return fig, sample_flow_alt(flow)

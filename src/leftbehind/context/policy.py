"""From evidence to action: the help-seeking gap and Hung's (2023) three obstacles.

The help-seeking shares are *published* (Yong et al. 2023, read from
``data/published/yong2023.csv``).  The counts behind them are *derived*: the
paper prints only percentages of the 282 left-behind children with NSSI, so
each count is the integer numerator consistent with the printed share
(:func:`leftbehind.stats.granularity.consistent_numerators`), and the intervals are
Wilson intervals from statsmodels.  Hung's obstacles are read from
``data/published/hung2023.csv``; their one-line summaries are our paraphrase.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from leftbehind.core.errors import UserError
from leftbehind.stats.granularity import consistent_numerators

#: the four mutually exclusive help-seeking answers Yong et al. report, in the paper's order
HELP_CATEGORIES = (
    ("help_no_treatment_pct", "No treatment received"),
    ("help_refused_pct", "Refused treatment"),
    ("help_self_help_pct", "Self-help"),
    ("help_professional_pct", "Professional psychological help"),
)


def help_seeking_breakdown(published: pd.DataFrame) -> pd.DataFrame:
    """Printed shares of LBC with NSSI by help received, with the count each share implies.

    Raises :class:`UserError` when a share admits no integer count, or several,
    over its printed denominator: then the count cannot be recovered.
    """
    rows = []
    for key, label in HELP_CATEGORIES:
        row = published.loc[key]
        total = int(published.loc[row["denominator"], "value"])
        counts = consistent_numerators(float(row["value"]), int(row["decimals"]), total)
        if len(counts) != 1:
            raise UserError(
                f"yong2023.csv: column 'value' of key '{key}' ({row['printed']} % of {total}) is consistent with "
                f"{len(counts)} counts {counts[:5]}; expected exactly one"
            )
        low, high = proportion_confint(counts[0], total, alpha=0.05, method="wilson")
        rows.append({
            "help received": label,
            "printed %": row["printed"],
            "implied count": counts[0],
            "of": total,
            "Wilson 95% CI low %": 100 * low,
            "Wilson 95% CI high %": 100 * high,
            "where printed": f"{row['section']}, {row['paragraph']}",
        })
    return pd.DataFrame(rows).set_index("help received")


def check_breakdown_adds_up(breakdown: pd.DataFrame) -> dict:
    """Do the four printed shares add to 100 % and the implied counts to the denominator?"""
    total = int(breakdown["of"].iloc[0])
    share_sum = sum(float(v) for v in breakdown["printed %"])
    count_sum = int(breakdown["implied count"].sum())
    return {"share_sum": share_sum, "count_sum": count_sum, "total": total,
            "adds_up": round(share_sum, 6) == 100 and count_sum == total}


def professional_help_per_lbc(published: pd.DataFrame, breakdown: pd.DataFrame) -> dict:
    """How many of all LBC surveyed both reported NSSI and reached professional help (derived)."""
    reached = int(breakdown.loc["Professional psychological help", "implied count"])
    lbc = int(published.loc["lbc_n", "value"])
    return {"reached": reached, "lbc": lbc, "per_1000": 1000 * reached / lbc}


def help_seeking_alt(breakdown: pd.DataFrame) -> str:
    """Alt text for the help-seeking chart, stating each share and count."""
    total = int(breakdown["of"].iloc[0])
    parts = "; ".join(
        f"{label}: {row['printed %']} % (about {int(row['implied count'])})" for label, row in breakdown.iterrows()
    )
    top = breakdown["implied count"].astype(int).idxmax()
    one_in = round(100 / float(breakdown.loc["Professional psychological help", "printed %"]))
    return (
        f"Horizontal bar chart of the help received by the {total} left-behind children who reported NSSI. "
        f"{parts}. The largest group is '{top}'; about one in {one_in} reached professional help."
    )


def help_seeking_figure(breakdown: pd.DataFrame):
    """(figure, alt text): the book's one figure of what the LBC with NSSI received (shown in the published record;
    other chapters cite it by number).

    Bars of the four printed shares with their Wilson intervals, labelled with the implied counts.
    """
    import matplotlib.pyplot as plt

    from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, wrap

    labels = [wrap(label, 18) for label in breakdown.index][::-1]
    data = breakdown.iloc[::-1]
    shares = [float(v) for v in data["printed %"]]
    low = [s - lo for s, lo in zip(shares, data["Wilson 95% CI low %"], strict=True)]
    high = [hi - s for s, hi in zip(shares, data["Wilson 95% CI high %"], strict=True)]
    colours = [OKABE_ITO["bluish_green"] if "Professional" in lab else OKABE_ITO["grey"] for lab in labels]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 3.4))
    ax.barh(labels, shares, xerr=[low, high], color=colours, capsize=3, ecolor=OKABE_ITO["black"])
    for y, (share, count) in enumerate(zip(shares, data["implied count"], strict=True)):
        ax.text(share + high[y] + 1.5, y, f"{share:.1f} %\n({int(count)} children)", va="center")
    ax.set_xlim(0, 100)
    ax.set_xlabel(wrap(f"Share of the {int(breakdown['of'].iloc[0])} LBC with NSSI (%), with Wilson 95 % CI"))
    return fig, help_seeking_alt(breakdown)


def hung_obstacles(hung: pd.DataFrame) -> pd.DataFrame:
    """Hung's three obstacles in order, each with our one-line summary and where it is argued."""
    rows = hung[hung["unit"] == "ordinal"].sort_values("value")
    expected = int(hung.loc["obstacles_n", "value"])
    if len(rows) != expected:
        raise UserError(f"hung2023.csv: column 'unit' has {len(rows)} 'ordinal' obstacle rows; the text names {expected}")
    table = pd.DataFrame({
        "obstacle": [note.split(":", 1)[0] for note in rows["note"]],
        "in brief (our paraphrase)": [note.split(":", 1)[1].replace("(our paraphrase)", "").strip() for note in rows["note"]],
        "where argued": [f"{s}, {p}" for s, p in zip(rows["section"], rows["paragraph"], strict=True)],
    }, index=pd.Index([int(v) for v in rows["value"]], name="#"))
    return table

"""Forest plot of a spec-driven model's odds ratios, labelled from the spec, with its data tier.

Returns ``(fig, alt)`` like the book's other plot functions; show it with
:func:`leftbehind.plots.figures.show_figure`.  The alt text states every plotted odds
ratio and interval, the number of rows and events, and the data tier.
"""

from __future__ import annotations

import numpy as np

from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, apply_style, plain_log_axis, wrap
from leftbehind.spec.study import StudySpec


def forest_plot(model: dict, spec: StudySpec, title: str | None = None):
    """``(fig, alt)`` for the final model of :func:`leftbehind.stats.backward.fit_backward_spec`.

    A model that is not estimable, or that keeps no term, gives a figure that says so.
    """
    import matplotlib.pyplot as plt

    apply_style()
    if title is None:
        labelled = spec.outcome_label != spec.outcome
        title = f"{spec.outcome_label}: odds ratios" if labelled else f"Odds of {spec.outcome} = {spec.event}"
    where = "among " + spec.label if spec.model_within == "group" else "among all analysed rows"
    tier = spec.tier_text
    terms = model.get("terms", {}) if model.get("estimable") else {}
    if not terms:
        fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 1.6))
        ax.axis("off")
        why = model.get("reason") or "backward elimination kept no predictor"
        ax.text(0, 0.5, f"No odds ratios to plot: {why}", wrap=True, va="center")
        alt = f"No forest plot for {title} ({tier}): {why}."
        return fig, alt

    order = sorted(terms.items(), key=lambda kv: kv[1]["or"])
    names = [spec.label_of(k) for k, _ in order]
    ors = np.array([v["or"] for _, v in order])
    low = np.array([v["ci_low"] for _, v in order])
    high = np.array([v["ci_high"] for _, v in order])
    up, down = low > 1, high < 1
    colours = np.where(up, OKABE_ITO["vermillion"], np.where(down, OKABE_ITO["blue"], OKABE_ITO["grey"]))
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.6 * len(order) + 1.6))
    ypos = np.arange(len(order))
    ax.hlines(ypos, low, high, color=colours, linewidth=2)
    ax.scatter(ors, ypos, color=colours, zorder=3, marker="s")
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8, linestyle="--")
    plain_log_axis(ax)
    ax.set_yticks(ypos, [wrap(n, 26) for n in names])
    ax.set_xlabel(wrap(f"Odds ratio (log scale) with 95 % CI — {tier}", 40))
    ax.set_title(wrap(title, 46), loc="left")
    fig.tight_layout()

    def listing(mask) -> str:
        items = [f"{n} (OR {o:.2f}, 95% CI {lo:.2f} to {hi:.2f})"
                 for n, o, lo, hi, m in zip(names, ors, low, high, mask) if m]
        return "; ".join(items) if items else "none"

    alt = (f"Forest plot of odds ratios from the final backward-selected logistic model ({title}, {where}; "
           f"{tier}; n = {model['n']:,}, {model['events']:,} events). Higher odds: {listing(up)}. "
           f"Lower odds: {listing(down)}. Interval crossing 1: {listing(~(up | down))}.")
    return fig, alt

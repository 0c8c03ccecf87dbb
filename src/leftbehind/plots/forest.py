"""The book's one forest plot of a model's odds ratios, and its alt text.

:func:`odds_ratio_forest_figure` draws any list of terms (name, OR, 95 % CI) and writes alt text that states every
plotted number; :func:`forest_figure` labels a spec-driven model from its spec, and the paper's Tables 7 and 8
(:func:`leftbehind.paper.models.forest_figure`) use the same drawing.  Each returns ``(fig, alt)`` like the
book's other plot functions; show it with :func:`leftbehind.plots.figures.show_figure`.
"""

from __future__ import annotations

import numpy as np

from leftbehind.plots.figures import MAX_WIDTH_IN, OKABE_ITO, apply_style, plain_log_axis, wrap
from leftbehind.spec.study import StudySpec


def odds_ratio_forest_figure(names, ors, low, high, *, title: str, tier: str, about: str):
    """``(fig, alt)``: terms sorted by odds ratio on a plain log axis, coloured by where the interval lies.

    ``about`` opens the alt text's parenthesis (what model, which rows, how many); ``tier`` is written on the
    axis and in the alt text.  Vermillion: interval above 1; blue: below 1; grey: crossing 1.
    """
    import matplotlib.pyplot as plt

    order = np.argsort(np.asarray(ors, dtype=float), kind="stable")
    names = [names[i] for i in order]
    ors, low, high = (np.asarray(v, dtype=float)[order] for v in (ors, low, high))
    up, down = low > 1, high < 1
    colours = np.where(up, OKABE_ITO["vermillion"], np.where(down, OKABE_ITO["blue"], OKABE_ITO["grey"]))
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.6 * len(names) + 1.6))
    ypos = np.arange(len(names))
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

    alt = (f"Forest plot of odds ratios from the final backward-selected logistic model ({about}). "
           f"Higher odds: {listing(up)}. Lower odds: {listing(down)}. Interval crossing 1: {listing(~(up | down))}.")
    return fig, alt


def forest_figure(model: dict, spec: StudySpec, title: str | None = None):
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
    return odds_ratio_forest_figure([spec.label_of(k) for k, _ in order], [v["or"] for _, v in order],
                             [v["ci_low"] for _, v in order], [v["ci_high"] for _, v in order], title=title, tier=tier,
                             about=f"{title}, {where}; {tier}; n = {model['n']:,}, {model['events']:,} events")

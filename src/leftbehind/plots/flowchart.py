"""The participant-flow diagram, drawn from the pipeline's counts (never typed in)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from leftbehind.plots.figures import BASE_FONT_PT, MAX_WIDTH_IN, OKABE_ITO


def flow_alt(flow: dict, lbc: dict, n_nlbc: int) -> str:
    """Alt text stating every count in the diagram."""
    return (
        f"Participant-flow diagram. {flow['collected']:,} questionnaires collected; "
        f"{flow['excluded_incomplete']:,} excluded as incomplete, leaving {flow['valid']:,} valid; "
        f"{flow['excluded_out_of_range']:,} excluded as outside the age or grade criteria, leaving "
        f"{flow['analysed']:,} analysed: {lbc['n']:,} left-behind children, of whom {lbc['nssi']:,} reported NSSI, "
        f"and {n_nlbc:,} other pupils."
    )


def _box(ax, x, y, text, colour, width=0.44, height=0.12):
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.01",
                                facecolor="white", edgecolor=colour, linewidth=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=BASE_FONT_PT)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": OKABE_ITO["black"]})


def flow_figure(flow: dict, lbc: dict, analysis=None):
    """(matplotlib figure, alt text) of the flow: collected -> valid -> analysed -> LBC / other pupils."""
    n_nlbc = flow["analysed"] - lbc["n"]
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 5.6))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    main, side = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
    _box(ax, 0.25, 0.92, f"Questionnaires collected\nn = {flow['collected']:,}", main)
    _box(ax, 0.76, 0.76, f"Excluded: incomplete\nn = {flow['excluded_incomplete']:,}", side)
    _box(ax, 0.25, 0.62, f"Valid questionnaires\nn = {flow['valid']:,}", main)
    _box(ax, 0.76, 0.46, f"Excluded: age or grade\noutside the criteria\nn = {flow['excluded_out_of_range']:,}", side,
         height=0.15)
    _box(ax, 0.25, 0.32, f"Analysed\nn = {flow['analysed']:,}", main)
    _box(ax, 0.22, 0.07, f"Left-behind\nchildren\nn = {lbc['n']:,}\nwith NSSI: {lbc['nssi']:,}", OKABE_ITO["bluish_green"],
         width=0.42, height=0.2)
    _box(ax, 0.72, 0.07, f"Other pupils\n(NLBC)\nn = {n_nlbc:,}", OKABE_ITO["grey"], width=0.42, height=0.2)
    _arrow(ax, (0.25, 0.86), (0.25, 0.68))
    _arrow(ax, (0.25, 0.76), (0.54, 0.76))
    _arrow(ax, (0.25, 0.56), (0.25, 0.38))
    _arrow(ax, (0.25, 0.46), (0.54, 0.46))
    _arrow(ax, (0.25, 0.26), (0.22, 0.17))
    _arrow(ax, (0.25, 0.26), (0.72, 0.17))
    return fig, flow_alt(flow, lbc, n_nlbc)


"""leftbehind.plots.flowchart: the diagram's alt text states every count the boxes show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from leftbehind.plots.flowchart import flow_figure  # noqa: E402

FLOW = {"collected": 19005, "excluded_incomplete": 2139, "valid": 16866, "excluded_out_of_range": 12, "analysed": 16854}
LBC = {"n": 6096, "nssi": 282}


def test_alt_text_states_every_count_and_the_other_pupils_by_subtraction():
    fig, alt = flow_figure(FLOW, LBC)
    for number in ("19,005", "2,139", "16,866", "12", "16,854", "6,096", "282", f"{16854 - 6096:,}"):
        assert number in alt, number
    plt.close(fig)


def test_the_boxes_show_the_same_counts_as_the_alt_text():
    fig, alt = flow_figure(FLOW, LBC)
    shown = " ".join(t.get_text() for t in fig.axes[0].texts)
    for number in ("19,005", "2,139", "16,866", "16,854", "6,096", "10,758"):
        assert number in shown and number in alt
    plt.close(fig)

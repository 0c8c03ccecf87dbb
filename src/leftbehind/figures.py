"""Figures for the book: one colour-blind-safe style and accessible output.

Every figure in the book is shown through :func:`show_figure`, which renders the
PNG inside an HTML ``<figure>`` with real alt text and an optional caption.
Alt text is built by the calling code from the same numbers the figure plots,
so it states the finding and cannot go stale.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue", "reddish_purple", "yellow")]

GENERIC_ALT = {"", "img", "image", "figure", "plot", "chart", "graph", "picture"}


def apply_style() -> None:
    """Set the book's matplotlib defaults (palette, sizes, deterministic output) and its table renderer."""
    from leftbehind.presentation.tables import install

    install()  # every data frame a chapter displays goes through leftbehind.presentation.tables.to_html
    plt.rcParams.update(
        {
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "leftbehind",
        }
    )


def check_alt(alt: str) -> str:
    """Reject empty or generic alt text; return it stripped."""
    text = " ".join(str(alt).split())
    if text.lower().rstrip(".") in GENERIC_ALT or len(text) < 15 or text.lower().endswith((".png", ".svg", ".jpg")):
        raise ValueError(f"alt text must describe what the figure shows, got {alt!r}")
    return text


class AccessibleFigure:
    """A matplotlib figure rendered as ``<figure><img alt=…><figcaption>``."""

    def __init__(self, fig, alt: str, caption: str = ""):
        self.alt = check_alt(alt)
        self.caption = caption
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        self.png = buffer.getvalue()

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        caption = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return (
            '<figure class="lb-figure">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto"/>'
            f"{caption}</figure>"
        )

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


def show_figure(fig, alt: str, caption: str = "") -> AccessibleFigure:
    """Wrap ``fig`` for display in a notebook (return it as the cell's last value)."""
    return AccessibleFigure(fig, alt, caption)

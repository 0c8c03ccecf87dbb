"""Figures for the book: one colour-blind-safe style and accessible output, legible on a phone.

Every figure in the book is shown through :func:`show_figure`, which renders the
PNG inside an HTML ``<figure>`` with real alt text and an optional caption.
Alt text is built by the calling code from the same numbers the figure plots,
so it states the finding and cannot go stale.

Legibility rule (checked in the browser suite): text in a figure renders at no less than
:data:`MIN_TEXT_PX` CSS pixels, at 1280 px and in the ~350 px text column of a 390 px phone.
Figures are drawn at most :data:`MAX_WIDTH_IN` inches wide with :data:`BASE_FONT_PT`-point text,
saved at :data:`DPI` (sharp on high-density screens) and shown at their natural size of
96 CSS px per inch (never wider than the column). Each ``<img>`` records the smallest text it
contains (``data-min-text-px``, in CSS px at natural size) so the browser check can apply the rule.

The data tier of a figure (published, synthetic, derived) is written inside the image by
:func:`show_figure` (``tier=``), so a screenshot or a downloaded image keeps it.
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from leftbehind.presentation.i18n import TRANSLATED, Translator, bilingual, edition_pair  # noqa: E402
from leftbehind.presentation.tables import check_name  # noqa: E402  (the one rule for names the prose can cite)

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

#: Smallest text, in CSS px, a reader should meet in a figure (on a phone as on a laptop).
MIN_TEXT_PX = 9
#: Width of the text column on a 390-px phone (sphinx-book-theme), in CSS px.
PHONE_COLUMN_PX = 350
#: Figures are drawn at most this wide (inches, at 96 CSS px per inch) ...
MAX_WIDTH_IN = 5.0
#: ... with text of at least this size (points): 10 pt at 480 px shrunk to 350 px is 9.7 CSS px.
BASE_FONT_PT = 10
#: Resolution of the saved PNG (twice the CSS pixel density: sharp on high-density screens).
DPI = 192
CSS_PX_PER_IN = 96

#: What each data tier means, as written inside a figure.
TIER_LABELS = {
    "synthetic": "Synthetic cohort (not real children)",
    "published": "Published numbers",
    "derived": "Derived from published numbers",
}


#: the font the Chinese edition's figures are drawn with (Debian: fonts-noto-cjk; `make fonts` installs it);
#: Latin text keeps DejaVu Sans, so the English figures look as they did
CJK_FONT = "Noto Sans CJK SC"
#: Latin text in DejaVu Sans, anything DejaVu lacks from the CJK font (matplotlib's font fallback)
CJK_FAMILY = ["DejaVu Sans", CJK_FONT]


class MissingFontError(RuntimeError):
    """The CJK font the Chinese figures need is not installed (the message says how to install it)."""


def require_cjk_font() -> None:
    """Fail with a clear message, rather than draw empty boxes, when :data:`CJK_FONT` is not installed."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=CJK_FONT), fallback_to_default=False)
    except ValueError:
        raise MissingFontError(
            f"The Chinese edition's figures need the font '{CJK_FONT}', which matplotlib cannot find. "
            "Install it with `make fonts` (as root; it installs Debian's fonts-noto-cjk) or "
            "`sudo apt-get install fonts-noto-cjk`, then delete matplotlib's font cache "
            f"({matplotlib.get_cachedir()}/fontlist-*.json) and run again."
        ) from None


def apply_style() -> None:
    """Set the book's matplotlib defaults (palette, sizes, deterministic output) and its table renderer."""
    from leftbehind.presentation.tables import install

    if bilingual():
        require_cjk_font()

    install()  # every data frame a chapter displays goes through leftbehind.presentation.tables.to_html
    plt.rcParams.update(
        {
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "font.size": BASE_FONT_PT,
            "axes.titlesize": BASE_FONT_PT + 1,
            "axes.labelsize": BASE_FONT_PT,
            "xtick.labelsize": BASE_FONT_PT,
            "ytick.labelsize": BASE_FONT_PT,
            "legend.fontsize": BASE_FONT_PT,
            "figure.titlesize": BASE_FONT_PT + 1,
            "axes.formatter.use_mathtext": False,
            "axes.formatter.limits": (-5, 7),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "leftbehind",
            # DejaVu Sans for Latin text, the CJK font for any character DejaVu lacks (matplotlib's font fallback)
            "font.family": CJK_FAMILY,
        }
    )


def plain_log_axis(ax, axis: str = "x", values: tuple[float, ...] = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)) -> None:
    """A log axis with plain tick labels (``0.5``, ``1``, ``2``; never ``4×10⁻¹``) and no minor labels."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
    inside = [v for v in values if low <= v <= high] or [v for v in values if v <= high][-1:] + [v for v in values if v >= low][:1]
    target.set_major_locator(ticker.FixedLocator(inside))
    target.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
    target.set_minor_formatter(ticker.NullFormatter())


def count_axis(ax, axis: str = "x") -> None:
    """A linear axis of counts of people: starts at 0, whole numbers with thousands separators."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    if axis == "x":
        ax.set_xlim(left=0)
    else:
        ax.set_ylim(bottom=0)
    target.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
    target.set_major_formatter(ticker.FuncFormatter(lambda v, _pos: f"{v:,.0f}"))


def legend_above(ax, handles=None, title: str | None = None, ncol: int = 1):
    """Put the legend above the plotting area, outside it, so it can never cover bars, points or intervals.

    It starts at the figure's left edge (not the axes'), so long entries use the width of the tick labels too.
    """
    from matplotlib.transforms import blended_transform_factory

    kwargs = {"handles": handles} if handles is not None else {}
    return ax.legend(**kwargs, loc="lower left", bbox_to_anchor=(0.01, 1.02),
                     bbox_transform=blended_transform_factory(ax.figure.transFigure, ax.transAxes),
                     borderaxespad=0, frameon=False, ncol=ncol, title=title, title_fontsize=BASE_FONT_PT,
                     alignment="left")


def wrap(text: str, width: int = 50) -> str:
    """Break a long axis label or annotation over lines of at most ``width`` characters."""
    import textwrap

    # a number and its unit stay together ("95 %", not "95" / "%")
    return "\n".join(textwrap.wrap(text.replace(" %", "\u00a0%"), width)) or text


def _renderer(fig):
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    return canvas.get_renderer()


def fit_width(fig) -> None:
    """Keep tick labels and legends inside the figure's own width (``tight_layout``), for ordinary subplot grids.

    Without this, long labels stick out of a 5-inch figure and the saved image grows wider, so it is shrunk
    more on a phone and its text falls below the legibility rule.
    """
    import warnings

    axes = fig.get_axes()
    if not axes or fig.get_layout_engine() is not None or any(ax.get_subplotspec() is None for ax in axes):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.tight_layout()
    # whatever still sticks out sideways (a centred axis label, a legend anchored to the figure): narrow the axes
    width = fig.get_size_inches()[0]
    for _ in range(4):
        box = fig.get_tightbbox(_renderer(fig))
        left, right = max(0.0, -box.x0), max(0.0, box.x1 - width)
        if left + right < 0.02:
            break
        for ax in axes:
            pos = ax.get_position()
            ax.set_position((pos.x0 + left / width, pos.y0, max(pos.width - (left + right) / width, 0.1), pos.height))


def visible_texts(fig) -> list[Text]:
    """Every drawn, non-empty text of ``fig`` (tick labels outside the axes' view are not drawn)."""
    renderer = _renderer(fig)
    fig.draw(renderer)
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        axes = text.axes
        if axes is not None and text in axes.get_xticklabels() + axes.get_yticklabels():
            # a tick label is drawn only when its tick lies inside the view limits
            lo, hi = sorted(axes.get_xlim() if text in axes.get_xticklabels() else axes.get_ylim())
            pos = text.get_position()[0 if text in axes.get_xticklabels() else 1]
            if not (min(lo, hi) - 1e-9 <= pos <= max(lo, hi) + 1e-9):
                continue
        found.append(text)
    return found


def smallest_text_pt(fig) -> float:
    """The smallest font size (points) among the texts drawn in ``fig``."""
    sizes = [t.get_fontsize() for t in visible_texts(fig)]
    return min(sizes) if sizes else float(BASE_FONT_PT)


def add_tier_label(fig, tier: str) -> None:
    """Write the data tier above everything else in the figure (left-aligned), so it never overlaps."""
    if tier not in TIER_LABELS:
        raise ValueError(f"tier must be one of {sorted(TIER_LABELS)}, got {tier!r}")
    renderer = _renderer(fig)
    box = fig.get_tightbbox(renderer)
    width, height = fig.get_size_inches()
    fig.text(max(box.x0, 0) / width, box.y1 / height + 0.02, TIER_LABELS[tier], ha="left", va="bottom",
             fontsize=BASE_FONT_PT, fontstyle="italic", color="#444444")


def check_alt(alt: str) -> str:
    """Reject empty or generic alt text; return it stripped."""
    text = " ".join(str(alt).split())
    if text.lower().rstrip(".") in GENERIC_ALT or len(text) < 15 or text.lower().endswith((".png", ".svg", ".jpg")):
        raise ValueError(f"alt text must describe what the figure shows, got {alt!r}")
    return text


class AccessibleFigure:
    """A matplotlib figure rendered as ``<figure><img alt=…><figcaption>``."""

    def __init__(self, fig, alt: str, caption: str = "", tier: str | None = None, name: str | None = None):
        self.alt = check_alt(alt)
        self.caption = caption
        self.name = check_name(name, caption, "fig")
        fit_width(fig)
        if tier is not None:
            add_tier_label(fig, tier)
        self.min_text_pt = smallest_text_pt(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        self.png = _compact_png(buffer.getvalue())
        self.png_translated = None
        if bilingual():
            require_cjk_font()
            self._translate(fig)
        plt.close(fig)
        from PIL import Image

        with Image.open(io.BytesIO(self.png)) as image:
            self.pixel_size = image.size
        #: natural display size in CSS px (96 per inch)
        self.css_size = tuple(round(p * CSS_PX_PER_IN / DPI) for p in self.pixel_size)
        #: smallest text at natural size, in CSS px
        self.min_text_px = self.min_text_pt * CSS_PX_PER_IN / 72

    def _translate(self, fig) -> None:
        """The Chinese edition's image, alt text and caption: every text drawn in ``fig`` through the outputs
        catalogue (:mod:`leftbehind.presentation.i18n`); strings it cannot translate are kept and listed."""
        import warnings

        translator = Translator(TRANSLATED)
        # tick labels are redrawn from the axis formatter at every draw, so they are translated there
        for ax in fig.get_axes():
            for axis in (ax.xaxis, ax.yaxis):
                for getter, setter in ((axis.get_major_formatter, axis.set_major_formatter),
                                       (axis.get_minor_formatter, axis.set_minor_formatter)):
                    setter(_TranslatedFormatter(getter(), translator))
        for text in visible_texts(fig):
            original = text.get_text()
            lines = original.count("\n") + 1
            translated = translator(" ".join(original.split()))
            if translated != " ".join(original.split()):
                text.set_text(rewrap(translated, lines))
        # every text may now hold Chinese: draw it with the CJK font as fallback, whatever style the figure had
        # (texts created during the draw, such as new tick labels, take the family from the rc context)
        for text in fig.findobj(Text):
            text.set_fontfamily(CJK_FAMILY)
        buffer = io.BytesIO()
        with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": CJK_FAMILY}):
            warnings.simplefilter("always")
            fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
        glyphs = sorted({str(w.message) for w in caught if "Glyph" in str(w.message)})
        if glyphs:
            raise MissingFontError(f"a translated figure text has characters no installed font draws: {glyphs[:3]}")
        self.png_translated = _compact_png(buffer.getvalue())
        self.alt_translated = translator(self.alt)
        self.caption_translated = translator(self.caption) if self.caption else ""
        self.untranslated = translator.missing

    def phone_text_px(self, column: float = PHONE_COLUMN_PX) -> float:
        """Smallest text (CSS px) once the figure is shrunk to a phone's text column."""
        return self.min_text_px * min(1.0, column / self.css_size[0])

    def _html(self, png: bytes, alt: str, caption: str) -> str:
        data = base64.b64encode(png).decode("ascii")
        caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        width, height = self.css_size
        ident = f' id="{self.name}"' if self.name else ""
        return (
            f'<figure class="lb-figure"{ident}>'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'width="{width}" height="{height}" data-min-text-px="{self.min_text_px:.1f}" '
            'style="max-width:100%;height:auto"/>'
            f"{caption_html}</figure>"
        )

    def _repr_html_(self) -> str:
        """Both editions' HTML (:func:`leftbehind.presentation.i18n.edition_pair`); plain Jupyter shows English."""
        if self.png_translated is None:
            return self._html(self.png, self.alt, self.caption)
        return edition_pair(self._html(self.png, self.alt, self.caption),
                            self._html(self.png_translated, self.alt_translated, self.caption_translated),
                            self.untranslated)

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


class _TranslatedFormatter(ticker.Formatter):
    """Wrap an axis formatter so that the tick labels it writes are translated (numbers pass unchanged)."""

    def __init__(self, inner, translate):
        self.inner = inner
        self.translate = translate

    def set_axis(self, axis):
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs):
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None):
        text = self.inner(x, pos)
        lines = text.count("\n") + 1
        translated = self.translate(" ".join(text.split()))
        return text if translated == " ".join(text.split()) else rewrap(translated, lines)

    def format_ticks(self, values):
        self.set_locs(values)
        return [self(value, i) for i, value in enumerate(values)]

    def get_offset(self):
        return self.inner.get_offset()


def rewrap(text: str, lines: int) -> str:
    """A translated label broken into about as many lines as the English one had (Chinese has no spaces, so
    a line breaks between characters, preferring a break after punctuation or a space)."""
    if lines <= 1 or len(text) < 8:
        return text
    if " " in text and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return wrap(text, max(8, len(text) // lines + 1))
    width = -(-len(text) // lines)
    out, line = [], ""
    for ch in text:
        line += ch
        if len(line) >= width and (ch in "，、；：）) " or len(line) >= width + 3):
            out.append(line.strip())
            line = ""
    if line.strip():
        out.append(line.strip())
    return "\n".join(out)


def _compact_png(png: bytes) -> bytes:
    """Re-encode a matplotlib PNG with an adaptive 8-bit palette (about a third of the bytes, same look)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    out = io.BytesIO()
    rgb.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def show_figure(fig, alt: str, caption: str = "", tier: str | None = None, name: str | None = None) -> AccessibleFigure:
    """Wrap ``fig`` for display in a notebook (return it as the cell's last value).

    ``tier`` ("synthetic", "published" or "derived") writes the data tier inside the image. A captioned figure is
    numbered in the book ("Figure 3."); ``name`` (``"fig-…"``) lets the prose cite it: ``{numref}`fig-…```.
    """
    return AccessibleFigure(fig, alt, caption, tier, name)

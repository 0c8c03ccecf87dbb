import base64

import matplotlib.pyplot as plt
import pytest

from leftbehind.figures import PALETTE, check_alt, show_figure


@pytest.mark.parametrize("alt", ["", "img", "Image", "figure.", "plot", "flow.png", "short"])
def test_generic_or_empty_alt_text_is_rejected(alt):
    with pytest.raises(ValueError):
        check_alt(alt)


def test_figure_renders_as_png_with_escaped_alt_text_and_caption():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    shown = show_figure(fig, 'A rising line from 0 to 1 "quoted"', caption="Caption & more")
    html = shown._repr_html_()
    assert 'alt="A rising line from 0 to 1 &quot;quoted&quot;"' in html
    assert "<figcaption>Caption &amp; more</figcaption>" in html
    data = html.split("base64,")[1].split('"')[0]
    assert base64.b64decode(data).startswith(b"\x89PNG")


def test_palette_is_okabe_ito():
    assert PALETTE[0] == "#0072B2" and len(set(PALETTE)) == len(PALETTE)

import base64

import matplotlib.pyplot as plt
import pytest

from leftbehind.plots.figures import PALETTE, check_alt, show_figure


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


def test_figure_records_its_size_and_smallest_text_for_the_legibility_check():
    from leftbehind.plots.figures import BASE_FONT_PT, CSS_PX_PER_IN, apply_style

    apply_style()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.bar(["a", "b"], [1, 2])
    ax.text(0, 1.5, "small note", fontsize=7)
    shown = show_figure(fig, "Two bars, a smaller than b, with a note")
    html = shown._repr_html_()
    assert f'width="{shown.css_size[0]}"' in html and f'height="{shown.css_size[1]}"' in html
    assert shown.min_text_pt == 7
    assert f'data-min-text-px="{7 * CSS_PX_PER_IN / 72:.1f}"' in html
    # drawn at 192 dpi, shown at 96 CSS px per inch: the image is twice as many pixels as CSS px
    assert abs(shown.pixel_size[0] - 2 * shown.css_size[0]) <= 2
    assert BASE_FONT_PT * CSS_PX_PER_IN / 72 > 9


def test_a_five_inch_figure_with_base_text_is_legible_on_a_phone():
    from leftbehind.plots.figures import MAX_WIDTH_IN, MIN_TEXT_PX, apply_style

    apply_style()
    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 3))
    ax.barh(["a long category name", "b"], [10, 20])
    shown = show_figure(fig, "Two horizontal bars of counts")
    assert shown.phone_text_px() >= MIN_TEXT_PX
    wide, ax = plt.subplots(figsize=(9, 3))
    ax.plot([0, 1], [0, 1])
    assert show_figure(wide, "A line in a figure too wide for a phone").phone_text_px() < MIN_TEXT_PX


def test_tier_label_is_drawn_inside_the_image_above_everything():
    from leftbehind.plots.figures import TIER_LABELS, add_tier_label, visible_texts

    fig, ax = plt.subplots()
    ax.set_title("A title")
    ax.plot([0, 1], [0, 1])
    add_tier_label(fig, "synthetic")
    texts = {t.get_text(): t for t in visible_texts(fig)}
    assert TIER_LABELS["synthetic"] in texts
    renderer = fig.canvas.get_renderer()
    assert texts[TIER_LABELS["synthetic"]].get_window_extent(renderer).y0 >= texts["A title"].get_window_extent(renderer).y1
    with pytest.raises(ValueError):
        show_figure(plt.subplots()[0], "A figure with an unknown tier", tier="real")


def test_log_axis_ticks_are_plain_numbers():
    from leftbehind.plots.figures import plain_log_axis

    fig, ax = plt.subplots()
    ax.plot([0.3, 4], [0, 1])
    plain_log_axis(ax)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all("10^" not in s and "×" not in s and "$" not in s for s in labels), labels
    assert "0.5" in labels and "1" in labels and "2" in labels
    plt.close(fig)


def test_count_axis_is_linear_from_zero_with_thousands_separators():
    from leftbehind.plots.figures import count_axis

    fig, ax = plt.subplots()
    ax.barh(["all", "some"], [6096, 62])
    count_axis(ax)
    fig.canvas.draw()
    assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
    assert any("," in t.get_text() for t in ax.get_xticklabels())
    plt.close(fig)


def test_a_named_figure_carries_its_name_as_the_id_the_prose_cites():
    import pytest

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    shown = show_figure(fig, "A rising line from 0 to 1", caption="A caption", name="fig-rising")
    assert '<figure class="lb-figure" id="fig-rising">' in shown._repr_html_()
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="use 'fig-'"):
        show_figure(fig, "A rising line from 0 to 1", caption="A caption", name="tbl-rising")
    plt.close("all")

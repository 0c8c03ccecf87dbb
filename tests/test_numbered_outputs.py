"""Numbered tables and figures (book/_ext/numbered_outputs.py): the renderers' HTML becomes Sphinx tables and
figures that the prose cites by number, and a reference to a missing name fails a strict build."""

import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conftest import ROOT
from leftbehind.plots.figures import show_figure
from leftbehind.presentation.i18n import choose_edition
from leftbehind.presentation.tables import Table

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import numbered_outputs  # noqa: E402


def _figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    return show_figure(fig, "A line rising from 0 to 1", "A rising line & more.", name="fig-line")


def _build(tmp_path, body: str, strict: bool = True):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['numbered_outputs']\nnumfig = True\nnumfig_format = {'figure': 'Figure %s'}\n",
        encoding="utf-8",
    )
    (src / "index.rst").write_text(body, encoding="utf-8")
    with docutils_namespace():  # node classes registered by one build do not leak into the next
        app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), "html",
                     status=None, warning=None, warningiserror=strict, freshenv=True)
        app.build()
    return BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")


def _english(html: str) -> str:
    """The English edition's part of a renderer's output (book/_ext/editions.py chooses it before numbering)."""
    return choose_edition(html, "en")[0]


def _raw(html: str) -> str:
    return ".. raw:: html\n\n   " + _english(html).replace("\n", " ") + "\n\n"


def test_captioned_outputs_are_numbered_and_cited_by_name(tmp_path):
    first = Table(pd.DataFrame({"n": [1200]}), "First table.", name="tbl-first")._repr_html_()
    second = Table(pd.DataFrame({"n": [3]}), "Second table.")._repr_html_()  # numbered, not named
    third = Table(pd.DataFrame({"n": [4]}), "Third table.", name="tbl-third")._repr_html_()
    uncaptioned = Table(pd.DataFrame({"n": [5]}))._repr_html_()
    body = ("Title\n=====\n\nSee :numref:`tbl-third`, :numref:`tbl-first` and :numref:`fig-line`.\n\n"
            + _raw(first) + _raw(second) + _raw(_figure()._repr_html_()) + _raw(third) + _raw(uncaptioned))
    soup = _build(tmp_path, body)
    captions = [f"{f.select_one('.caption-number').get_text()} {f.select_one('.caption-text').get_text()}"
                for f in soup.select("figure")]
    assert captions == ["Table 1. First table.", "Table 2. Second table.", "Figure 1. A rising line & more.",
                        "Table 3. Third table."]
    links = {a["href"]: a.get_text() for a in soup.select("p a.reference.internal")}
    assert links == {"#tbl-third": "Table 3", "#tbl-first": "Table 1", "#fig-line": "Figure 1"}
    # the table keeps its scroll box and classes; the caption stays above the table and below the image
    table = soup.find("figure", id="tbl-first")
    assert table["class"] == ["lb-table-figure"] and table.contents[0].name == "figcaption"
    assert table.find("div", class_="lb-table-scroll").table.tbody.get_text(strip=True) == "1,200"
    figure = soup.find("figure", id="fig-line")
    assert figure.contents[0].name == "img" and figure.img["alt"] == "A line rising from 0 to 1"
    # an output without a caption is left as it was, unnumbered
    assert len(soup.select("table.lb-table")) == 4 and len(soup.select("figure")) == 4


def test_a_reference_to_a_name_no_output_carries_fails_a_strict_build(tmp_path):
    table = Table(pd.DataFrame({"n": [1]}), "Only table.", name="tbl-only")._repr_html_()
    with pytest.raises(Exception, match="tbl-missing"):
        _build(tmp_path, "Title\n=====\n\nSee :numref:`tbl-missing`.\n\n" + _raw(table))


@pytest.mark.parametrize("html", [
    '<figure class="lb-table-figure"><div>no caption</div></figure>',
    '<figure class="other"><figcaption>x</figcaption></figure>',
    "<p>plain</p>",
])
def test_only_captioned_renderer_outputs_are_taken(html):
    assert numbered_outputs.parse_output(html) is None


def test_parse_output_reads_kind_name_and_unescaped_caption():
    html = _english(Table(pd.DataFrame({"n": [1]}), "A & B", name="tbl-a-b")._repr_html_())
    figtype, name, caption, rest, caption_first = numbered_outputs.parse_output(html)
    assert (figtype, name, caption, caption_first) == ("table", "tbl-a-b", "A & B", True)
    assert "<figcaption>" not in rest and 'class="lb-table"' in rest

"""Numbered tables and figures from notebook outputs, which the prose can cite by number.

Every table and figure in a chapter is a code cell's output: HTML written by ``leftbehind.presentation.tables``
(``<figure class="lb-table-figure">``, caption above the table) or ``leftbehind.plots.figures``
(``<figure class="lb-figure">``, caption below the image). Sphinx sees that HTML only as a raw block, so it could
neither number it nor resolve a reference to it. This transform, run while each page is read, replaces every
*captioned* output of either kind by an enumerable node of Sphinx's own ``table`` or ``figure`` type that keeps the
caption as its title and the rest of the HTML unchanged. Sphinx then numbers them with every other table and
figure of the book (``numfig``; "Table 12.", "Figure 3."), and a name given in Python
(``Table(frame, caption, name="tbl-care-cascade")``, ``show_figure(..., name="fig-care-cascade")``, written as the
``<figure>``'s ``id``) becomes a label the prose cites with ``{numref}`tbl-care-cascade``` — a strict build fails
on a reference to a name no output carries. Outputs without a caption stay as they are, unnumbered.

The HTML written for the node is the same ``<figure>`` with the same classes, id and caption, plus the number and
a permalink inside the caption.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.transforms import SphinxTransform

#: an output of the book's table or figure renderer, as myst-nb stores it in a raw HTML node
OUTPUT = re.compile(
    r'^\s*<figure class="(?P<kind>lb-table-figure|lb-figure)"(?: id="(?P<name>[a-z0-9-]+)")?>(?P<body>.*)</figure>\s*$',
    re.DOTALL,
)
CAPTION = re.compile(r"<figcaption>(?P<text>.*?)</figcaption>", re.DOTALL)
#: figure type and the word the caption number uses
KINDS = {"lb-table-figure": "table", "lb-figure": "figure"}


class numbered_table(nodes.General, nodes.Element):
    """A captioned table output, numbered with the book's tables."""


class numbered_figure(nodes.General, nodes.Element):
    """A captioned figure output, numbered with the book's figures."""


NODE_FOR = {"table": numbered_table, "figure": numbered_figure}


def parse_output(raw_html: str):
    """``(figtype, name, caption, html_without_caption, caption_first)`` for a captioned output, else ``None``."""
    match = OUTPUT.match(raw_html)
    if not match:
        return None
    body = match.group("body")
    caption = CAPTION.search(body)
    if not caption:
        return None
    text = html.unescape(caption.group("text")).strip()
    if not text:
        return None
    rest = body[: caption.start()] + body[caption.end():]
    return KINDS[match.group("kind")], match.group("name"), text, rest, caption.start() == 0


def _replaced(raw: nodes.raw) -> nodes.Element:
    """The node to replace: the mime bundle myst-nb wraps around the HTML (its plain-text twin goes too)."""
    parent = raw.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if isinstance(parent, nodes.container) and parent.get("nb_element") == "mime_bundle":
            return parent
        parent = parent.parent
    return raw


class NumberOutputs(SphinxTransform):
    # before Sphinx's AutoNumbering (210), which gives every captioned enumerable node an id
    default_priority = 205

    def apply(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split():
                continue
            parsed = parse_output(raw.astext())
            if parsed is None:
                continue
            figtype, name, caption, rest, caption_first = parsed
            node = NODE_FOR[figtype]()
            node["classes"] = ["lb-table-figure" if figtype == "table" else "lb-figure"]
            node["caption_first"] = caption_first
            node += nodes.caption(caption, caption)
            node += nodes.raw(rest, rest, format="html")
            node.source, node.line = raw.source, raw.line
            if name:
                node["names"].append(name)
                self.document.note_explicit_target(node, node)
            _replaced(raw).replace_self(node)


def _caption_html(translator, node) -> str:
    caption = node.next_node(nodes.caption)
    figtype = "table" if isinstance(node, numbered_table) else "figure"
    number = ""
    if node["ids"]:
        numbers = translator.builder.fignumbers.get(figtype, {}).get(node["ids"][0])
        if numbers:
            word = translator.config.numfig_format.get(figtype, figtype.title() + " %s")
            number = f'<span class="caption-number">{html.escape(word % ".".join(map(str, numbers)))}.</span> '
    link = ""
    if node["ids"]:
        link = (f'<a class="headerlink" href="#{node["ids"][0]}" title="Link to this {figtype}">'
                f"{translator.config.html_permalinks_icon}</a>")
    text = html.escape(caption.astext()) if caption is not None else ""
    return f'<figcaption><p class="caption">{number}<span class="caption-text">{text}</span>{link}</p></figcaption>'


def visit_numbered_html(translator, node) -> None:
    translator.body.append(translator.starttag(node, "figure", ""))
    caption = _caption_html(translator, node)
    rest = "".join(child.astext() for child in node.children if isinstance(child, nodes.raw))
    translator.body.append(caption + rest if node["caption_first"] else rest + caption)
    translator.body.append("</figure>\n")
    raise nodes.SkipNode


def setup(app):
    for figtype, node_class in NODE_FOR.items():
        app.add_enumerable_node(node_class, figtype, html=(visit_numbered_html, None))
    app.add_transform(NumberOutputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

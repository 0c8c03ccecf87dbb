"""Two editions of the book from one execution: English (``_build/html``) and Simplified Chinese (``_build/html/zh``).

The prose of the Chinese edition comes from Sphinx's own translation machinery (gettext catalogues in
``book/locales``, ``language = "zh_CN"``; ``scripts/build_edition.py zh``).  What the notebooks *computed* is
stored once, in both languages, when they execute (``leftbehind.presentation.i18n``); this extension shows each
edition its own part:

- **outputs** (tables and figures): every output holds the English HTML and a ``<template>`` with the Chinese
  HTML; a transform (before ``numbered_outputs`` numbers the captions) keeps the part of the edition being built;
- **glued phrases**: a glued word or phrase ``key`` has a Chinese twin ``key__zh``; in the Chinese edition the
  ``{glue:text}`` role shows the twin.  The role also keeps the notebook's glue data reachable from a translated
  paragraph, which Sphinx parses as a separate small document;
- **language switch**: every page of both editions links to the same page in the other edition;
- **untranslated outputs**: strings the outputs catalogue could not translate are listed in
  ``_build/html/zh/untranslated.json`` (page → strings), which ``scripts/translations.py update`` adds to the
  catalogue and a test requires to be empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform

try:  # the book's src/ is on the path in the build (the package is installed in .venv)
    from leftbehind.presentation.glue import TRANSLATION_SUFFIX
    from leftbehind.presentation.i18n import choose_edition
except ImportError:  # pragma: no cover
    raise

from myst_nb.ext.glue.roles import PasteTextRole

SWITCH_LABEL = {"en": ("zh-CN", "中文版"), "zh": ("en", "English edition")}


def is_translated(config) -> bool:
    return bool(config.language) and str(config.language).startswith("zh")


def _own_executed_folder(app) -> None:
    """Keep a translated edition's executed notebooks beside its doctrees, out of the English site.

    myst-nb writes the notebooks it executes (or takes from the cache) to ``jupyter_execute`` beside the output
    folder: for ``_build/html/zh`` that is ``_build/html/jupyter_execute``, inside the English edition's site, which
    would then publish them.  Runs after myst-nb has made its configuration (``builder-inited``).
    """
    if is_translated(app.config):
        folder = Path(app.doctreedir).parent / f"jupyter_execute-{app.config.language}"
        app.env.mystnb_config = app.env.mystnb_config.copy(output_folder=str(folder.resolve()))


def _untranslated(env) -> dict[str, list[str]]:
    if not hasattr(env, "lb_untranslated"):
        env.lb_untranslated = {}
    return env.lb_untranslated


def _record(env, docname: str, strings) -> None:
    found = _untranslated(env).setdefault(docname, [])
    for text in strings:
        if text not in found:
            found.append(text)


class ChooseEditionOutputs(SphinxTransform):
    """Keep the part of each two-edition output that belongs to the edition being built."""

    # before numbered_outputs (205), which reads the caption of the chosen HTML
    default_priority = 200

    def apply(self, **kwargs) -> None:
        language = str(self.config.language or "en")
        for raw in self.document.findall(nodes.raw):
            if "html" not in raw.get("format", "").split():
                continue
            text = raw.astext()
            if "lb-edition" not in text:
                continue
            chosen, missing = choose_edition(text, language)
            raw.children = [nodes.Text(chosen)]
            if missing:
                _record(self.env, self.env.docname, missing)


class EditionPasteTextRole(PasteTextRole):
    """``{glue:text}`` that shows a glued phrase's Chinese twin in the Chinese edition, and finds the notebook's
    glue data inside a translated paragraph too."""

    def run(self):
        env = self.document.settings.env
        renderer = self.document.get("nb_renderer") if "nb_renderer" in self.document else None
        store = env.temp_data
        if renderer is not None:
            store["lb_nb_renderer"] = (env.docname, renderer)
        else:
            kept = store.get("lb_nb_renderer")
            if kept and kept[0] == env.docname:
                renderer = kept[1]
                self.document["nb_renderer"] = renderer
        if renderer is not None and is_translated(env.config) and "::" not in self.text:
            key, sep, spec = self.text.partition(":")
            glue_data = renderer.renderer.nb_client.glue_data
            twin = glue_data.get(key.strip() + TRANSLATION_SUFFIX)
            if twin is not None:
                self.text = key.strip() + TRANSLATION_SUFFIX + sep + spec
                missing = twin.get("metadata", {}).get("leftbehind", {}).get("untranslated")
                if missing:
                    _record(env, env.docname, missing)
        return super().run()


def _adopt_translated_nodes(app, doctree) -> None:
    """Point every node at the page's own document.

    A translated message of a notebook page is parsed by myst-nb's parser as a small document of its own; the
    nodes Sphinx moves from it into the page still refer to that document (and through it to the parser's
    reporter), which cannot be pickled with the page's doctree.
    """
    for node in doctree.findall(include_self=False):
        if getattr(node, "_document", None) is not None and node._document is not doctree:
            node._document = doctree


#: the header of myst-nb's execution-statistics table ({nb-exec-table}), which it writes in English
EXEC_TABLE_HEADER = ["Document", "Modified", "Method", "Run Time (s)", "Status"]


def _translate_exec_table(app, doctree, docname) -> None:
    """The Chinese edition's words for myst-nb's execution table (its header and its method column)."""
    if not is_translated(app.config):
        return
    from leftbehind.presentation.i18n import Translator

    translator = Translator(str(app.config.language))
    for table in doctree.findall(nodes.table):
        header = [entry.astext().strip() for entry in table.findall(nodes.entry)][: len(EXEC_TABLE_HEADER)]
        if header != EXEC_TABLE_HEADER:
            continue
        cells = list(table.findall(nodes.thead))[0].findall(nodes.Text) if list(table.findall(nodes.thead)) else []
        body = list(table.findall(nodes.tbody))
        methods = [row.children[2] for row in (body[0].findall(nodes.row) if body else []) if len(row.children) > 2]
        for text in [*cells, *(t for entry in methods for t in entry.findall(nodes.Text))]:
            translated = translator(str(text))
            if translated != str(text):
                text.parent.replace(text, nodes.Text(translated))
    _record(app.env, docname, translator.missing)


def _translate_toctree_captions(app, doctree) -> None:
    """Part captions from ``_toc.yml`` in the Chinese edition.

    sphinx-external-toc inserts the toctrees after Sphinx has translated the page, so their captions (the parts of
    the book in the sidebar) would stay English; they are in the root page's catalogue, read here the way Sphinx's
    own Locale transform reads it.
    """
    if not is_translated(app.config):
        return
    from sphinx import addnodes
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    toctrees = [node for node in doctree.findall(addnodes.toctree) if node.get("caption")]
    if not toctrees:
        return
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir, directory)) for directory in app.config.locale_dirs]
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    if not has_catalog:
        return
    for node in toctrees:
        translated = catalog.gettext(node["caption"])
        if translated and translated != node["caption"]:
            node["caption"] = translated
        elif translated == node["caption"]:
            _record(app.env, app.env.docname, [node["caption"]])


def _switch_html(app, pagename: str) -> str:
    depth = pagename.count("/")
    if is_translated(app.config):
        href = "../" * (depth + 1) + pagename + ".html"
        lang, text = SWITCH_LABEL["zh"]
        here = "语言"
    else:
        href = "../" * depth + "zh/" + pagename + ".html"
        lang, text = SWITCH_LABEL["en"]
        here = "Language"
    return (f'<nav class="lb-language-switch" aria-label="{here}">'
            f'<a href="{href}" hreflang="{lang}" lang="{lang}">{text}</a></nav>\n')


def _add_switch(app, pagename, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    context["body"] = _switch_html(app, pagename) + context["body"]


def _purge(app, env, docname):
    _untranslated(env).pop(docname, None)


def _merge(app, env, docnames, other):
    for docname, strings in _untranslated(other).items():
        if docname in docnames:
            _record(env, docname, strings)


def _write_untranslated(app, exception):
    if exception is not None or not is_translated(app.config) or app.builder.format != "html":
        return
    found = {doc: strings for doc, strings in sorted(_untranslated(app.env).items()) if strings}
    Path(app.outdir, "untranslated.json").write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n",
                                                    encoding="utf-8")


def setup(app):
    app.connect("builder-inited", _own_executed_folder, priority=900)  # after myst-nb's create_mystnb_config (500)
    app.add_transform(ChooseEditionOutputs)
    app.add_role_to_domain("glue", "text", EditionPasteTextRole(), override=True)
    app.connect("doctree-read", _adopt_translated_nodes)
    app.connect("doctree-read", _translate_toctree_captions)
    app.connect("doctree-resolved", _translate_exec_table)
    app.connect("html-page-context", _add_switch)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_untranslated)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}

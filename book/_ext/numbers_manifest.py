"""Write ``numbers.json`` (every number the book shows) and render the "Every number in this book" page.

The manifest is built by :mod:`leftbehind.presentation.manifest` from the notebooks myst-nb executed in this
build (``_build/jupyter_execute``): glued numbers as the prose formats them, table cells and figure alt text.
The page ``book/every_number`` holds a ``{numbers-manifest}`` directive; it is re-read whenever a chapter is or
the manifest's inputs changed (so it never shows a stale list), and the directive is replaced, once every chapter
has been read, by one table per chapter.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

PAGE = "book/every_number"
MANIFEST = "numbers.json"


class numbers_placeholder(nodes.General, nodes.Element):
    """Replaced by the manifest tables at ``doctree-resolved``."""


class NumbersManifestDirective(SphinxDirective):
    has_content = False

    def run(self):
        return [numbers_placeholder()]


def _executed_dir(app) -> Path:
    """Where myst-nb wrote this edition's executed notebooks (``book/_ext/editions.py`` moves the Chinese ones)."""
    return Path(app.env.mystnb_config.output_folder)


def _notebook_docs(app) -> list[tuple[str, str, Path]]:
    docs = []
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if docname.startswith("notebooks/") and source.suffix == ".md":
            docs.append((docname, f"{docname}.html", source))
    return docs


def _inputs_key(app, docs, cache: Path) -> str:
    """A digest of everything the manifest is computed from: each chapter's source and executed notebook, the
    execution cache's stored notebooks (names, sizes, times), the edition and the code that reads them."""
    import hashlib

    import leftbehind.presentation as presentation

    digest = hashlib.sha256(str(app.config.language).encode())
    executed = _executed_dir(app)
    for docname, page, source in docs:
        digest.update(f"{docname}|{page}".encode())
        for path in (source, executed / f"{docname}.ipynb", executed / f"{docname}.glue.json"):
            digest.update(path.read_bytes() if path.is_file() else b"-")
    stored = sorted((cache / "executed").rglob("*")) if (cache / "executed").is_dir() else []
    code = sorted(Path(presentation.__file__).parent.glob("*.py"))
    locales = Path(app.srcdir) / "data" / "locales"
    for path in [*stored, *code, *(sorted(locales.rglob("*.po")) if locales.is_dir() else [])]:
        if path.is_file():
            status = path.stat()
            digest.update(f"{path}|{status.st_size}|{status.st_mtime_ns}".encode())
    return digest.hexdigest()


def _cache_dir(app) -> Path:
    return Path(app.srcdir) / (getattr(app.env.mystnb_config, "execution_cache_path", "")
                               or str(Path(app.outdir).parent / ".jupyter_cache"))


def _stored(app) -> Path:
    return Path(app.doctreedir) / "numbers-manifest.json"


def _saved(app) -> dict:
    try:
        return json.loads(_stored(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _manifest(app) -> dict:
    """The manifest, computed once per build, and read back from the doctrees folder when no input changed
    (reading every chapter's outputs from the execution cache takes seconds; a no-op rebuild should not)."""
    from leftbehind.presentation.manifest import build

    if not hasattr(app, "_leftbehind_numbers"):
        docs, cache = _notebook_docs(app), _cache_dir(app)
        key = _inputs_key(app, docs, cache)
        saved = _saved(app)
        if saved.get("key") == key:
            app._leftbehind_numbers = saved["manifest"]
        else:
            app._leftbehind_numbers = build(docs, _executed_dir(app), cache, language=app.config.language)
            _stored(app).parent.mkdir(parents=True, exist_ok=True)
            _stored(app).write_text(json.dumps({"key": key, "manifest": app._leftbehind_numbers},
                                               ensure_ascii=False), encoding="utf-8")
    return app._leftbehind_numbers


def reread_when_numbers_change(app, env, added, changed, removed):
    """Re-read the page whenever a chapter is read again, or the outputs it lists changed otherwise (the
    execution cache, the code that reads it); a build with nothing to do re-reads nothing.

    A chapter whose executed notebook is missing from myst-nb's output folder (deleted, or the folder moved) is
    re-read too: myst-nb writes it only when it reads the chapter, and the manifest is read from it.
    """
    if PAGE not in env.found_docs:
        return []
    docs, executed = _notebook_docs(app), _executed_dir(app)
    unwritten = [doc for doc, _, _ in docs if doc not in added and not (executed / f"{doc}.ipynb").is_file()]
    if unwritten or any(docname.startswith("notebooks/") for docname in (*added, *changed, *removed)):
        return [PAGE, *unwritten]
    return [PAGE] if _saved(app).get("key") != _inputs_key(app, docs, _cache_dir(app)) else []


def _title(app, docname: str) -> str:
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname


def _row(key: str, shown: str, tier: str, source: str) -> str:
    return ('<tr><td><code style="overflow-wrap:anywhere">{}</code></td><td>{}</td><td>{}</td>'
            '<td style="overflow-wrap:anywhere">{}</td></tr>').format(
        html.escape(key), html.escape(shown), html.escape(tier), html.escape(source))


def _translator(app, docname: str):
    """The edition's words for this page's own text (English: unchanged); untranslated strings are reported
    with the page's other untranslated outputs (book/_ext/editions.py)."""
    language = str(app.config.language or "en")
    if language.startswith("en"):
        return lambda text: text, None
    from leftbehind.presentation.i18n import Translator

    translator = Translator(language)

    def report():
        from editions import _record

        _record(app.env, docname, translator.missing)

    return translator, report


def render(app, docname: str) -> str:
    manifest = _manifest(app)
    tr, report = _translator(app, docname)
    by_page: dict[str, list[dict]] = {}
    for entry in manifest["numbers"]:
        by_page.setdefault(entry["page"], []).append(entry)
    count = (f"{len(manifest['numbers']):,} numbers on {len(by_page):,} pages. Open a page below, or type in the "
             "filter to search them all. Table cells are counted here per table and listed one by one in")
    parts = [
        f'<p><label for="lb-number-filter">{html.escape(tr("Filter the numbers (page, key, value, tier or source):"))} </label>'
        '<input id="lb-number-filter" type="search" autocomplete="off" '
        'oninput="lbFilterNumbers(this.value)"/></p>',
        f'<p class="lb-number-count">{html.escape(tr(count))} <a href="../numbers.json">numbers.json</a>.</p>',
    ]
    for page, entries in by_page.items():
        target = page[: -len(".html")]
        uri = app.builder.get_relative_uri(docname, target)
        title = html.escape(_title(app, target))
        rows = []
        tables: dict[str, list[dict]] = {}
        for e in entries:
            if e.get("kind") == "table":  # one row per table; every cell is in numbers.json
                tables.setdefault(e["key"].split("[", 1)[0], []).append(e)
                continue
            rows.append(_row(e["key"], str(e.get("shown")), tr(str(e.get("tier"))), e.get("source", "")))
        for table_id, cells in tables.items():
            rows.append(_row(table_id, tr(f"{len(cells):,} numbers in this table (each listed in numbers.json)"),
                             tr(str(cells[0].get("tier"))), ""))
        parts.append(
            f'<details class="lb-numbers-page"><summary><strong>{title}</strong> '
            f'<span class="lb-number-count">{html.escape(tr(f"({len(entries):,} numbers)"))}</span></summary>'
            f'<p><a href="{uri}">{html.escape(tr("Go to the page"))}</a></p>'
            '<div class="lb-table-scroll" tabindex="0" role="region" '
            f'aria-label="{html.escape(tr("numbers on this page (scrolls sideways)"), quote=True)}" '
            'style="overflow-x:auto;max-width:100%"><table class="table lb-numbers">'
            f"<thead><tr><th>{html.escape(tr('Key'))}</th><th>{html.escape(tr('Shown as'))}</th>"
            f"<th>{html.escape(tr('Tier'))}</th><th>{html.escape(tr('Source (published numbers)'))}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></details>"
        )
    parts.append(
        "<script>function lbFilterNumbers(q){q=q.toLowerCase();"
        "document.querySelectorAll('details.lb-numbers-page').forEach(function(d){d.open=q.length>0;});"
        "document.querySelectorAll('table.lb-numbers tbody tr').forEach(function(r){"
        "r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});}</script>"
    )
    if report is not None:
        report()
    return "".join(parts)


def resolve(app, doctree, docname):
    for node in doctree.findall(numbers_placeholder):
        node.replace_self(nodes.raw("", render(app, docname), format="html"))


def write_manifest(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    manifest = _manifest(app)
    (Path(app.outdir) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def setup(app):
    app.add_node(numbers_placeholder)
    app.add_directive("numbers-manifest", NumbersManifestDirective)
    app.connect("env-get-outdated", reread_when_numbers_change)
    app.connect("doctree-resolved", resolve)
    app.connect("build-finished", write_manifest)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""Load MathJax only on pages that contain mathematics.

Sphinx's MathJax extension treats a page as having equations when the page *or any page in its toctree*
has them (``MathDomain.has_equations``). The book's root page lists every chapter, so the front page and
every page with a toctree loaded the 1.2 MB MathJax bundle although none of them shows a formula. This
``html-page-context`` handler runs after Sphinx's (priority 500) and removes the MathJax script and its
configuration from a page whose own doctree has no math node.
"""

from __future__ import annotations

import posixpath


def page_has_math(app, pagename: str) -> bool:
    return bool(app.env.get_domain("math").data["has_equations"].get(pagename, False))


def _drop_unused_mathjax(app, pagename, templatename, context, doctree):
    if page_has_math(app, pagename):
        return
    scripts = context.get("script_files")
    if not scripts:
        return
    path = str(app.config.mathjax_path or "")
    # Sphinx stores a local script as "_static/<path>"
    targets = {path, posixpath.join("_static", path)} - {""}

    def is_mathjax(script) -> bool:
        filename = str(getattr(script, "filename", script) or "")
        body = str(getattr(script, "attributes", {}).get("body", ""))
        return filename in targets or "MathJax" in body

    scripts[:] = [s for s in scripts if not is_mathjax(s)]


def setup(app):
    app.connect("html-page-context", _drop_unused_mathjax, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

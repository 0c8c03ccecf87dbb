"""Small accessibility fixes to the HTML that Sphinx and its extensions emit.

docutils marks a bibliography as ``role="list"`` whose entries carry
``role="doc-biblioentry"``; axe-core (rule ``aria-required-children``) reports
that as a critical violation because a list must contain list items.  We give
each entry the ``listitem`` role, which screen readers announce correctly.
"""

from __future__ import annotations


def _fix_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Glue numbers into prose at the precision the prose shows them, with their data tier.

A chapter writes ``{glue:text}`icc:.3f``` in its prose and ``page.glue("icc", icc)`` in a code cell.  The format
spec in the prose is the one place that says how a number is shown; :class:`Page` reads the chapter's own
MyST source, finds every spec used for a key, and rounds the value to the finest of them *before* it is stored.
So the executed notebook (and the nbval twin compared against it) holds ``0.012``, never
``0.011999999999997`` — digits that differ between machines, BLAS libraries and thread counts never reach a
stored output, while a change in a digit a reader sees still changes the stored value.

Every glued value also carries its data tier (``published``, ``synthetic`` or ``derived``) and, for published
numbers, where it was read.  The build collects these into the numbers manifest (:mod:`.manifest`).

The stored output is exactly what :func:`myst_nb.glue` would store for the rounded value (a ``text/plain``
repr under the ``application/papermill.record/`` prefix, so it is not displayed), plus our own metadata; the
chapter needs no ``myst_nb`` import.
"""

from __future__ import annotations

import json
import math
import re
from numbers import Integral, Real
from pathlib import Path

import numpy as np

from leftbehind.core.paths import repo_root
from leftbehind.presentation.i18n import bilingual, needs_translation

TIERS = ("published", "synthetic", "derived")
#: a glued phrase's Chinese twin is stored under ``<key>__zh``
TRANSLATION_SUFFIX = "__zh"
GLUE_PREFIX = "application/papermill.record/"  # myst_nb.ext.glue.GLUE_PREFIX
METADATA_KEY = "leftbehind"

#: ``{glue:text}`key:spec``` and the other glue roles (``{glue}``, ``{glue:}``, ``{glue:any}``, ``{glue:md}``).
ROLE = re.compile(r"\{glue(?::text|:md|:any|:)?\}`([^`]+)`")
#: the parts of a format spec (Python's format mini-language) that decide the shown precision.
SPEC = re.compile(
    r"^(?:.?[<>=^])?[+\- ]?z?#?0?\d*[,_]?(?:\.(?P<precision>\d+))?(?P<type>[bcdeEfFgGnosxX%])?$"
)


class GlueError(ValueError):
    """A number cannot be glued at a definite precision (names the page and the key)."""


def shown_formats(markdown: str) -> dict[str, set[str]]:
    """Map each glue key in ``markdown`` to the set of format specs its roles use (``""`` for none)."""
    formats: dict[str, set[str]] = {}
    for match in ROLE.finditer(markdown):
        content = match.group(1).split("::")[-1]  # ``docpath::key:spec`` → ``key:spec``
        key, _, spec = content.partition(":")
        formats.setdefault(key.strip(), set()).add(spec.strip())
    return formats


def decimal_places(value: float, spec: str) -> int | None:
    """Decimal places at which ``spec`` shows ``value``; ``None`` when it shows the full float."""
    match = SPEC.match(spec)
    if match is None:
        raise GlueError(f"unreadable format spec {spec!r}")
    precision, kind = match.group("precision"), match.group("type")
    if kind in ("b", "c", "d", "o", "x", "X"):
        return 0
    if precision is None:
        return None  # "", ",", "s": the float's full repr would be shown
    digits = int(precision)
    if kind in ("f", "F"):
        return digits
    if kind == "%":
        return digits + 2
    if value == 0:
        return 0
    exponent = math.floor(math.log10(abs(value)))
    if kind in ("e", "E"):
        return digits - exponent
    # "g", "G", "n" or no type with a precision: significant digits
    return max(digits, 1) - 1 - exponent


def as_plain(value):
    """numpy scalars as plain Python values (so their repr is the plain number)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def round_to_shown(value, specs: set[str] | None, key: str = "?"):
    """Round a float to the finest precision among ``specs`` (a non-empty set); other values pass unchanged.

    ``specs is None`` means the page's prose could not be read (a notebook run away from the book): floats are
    then kept to 6 significant digits.  A float shown at its full precision (no precision in its spec) is an
    error, because its last digits would depend on the machine.
    """
    value = as_plain(value)
    if isinstance(value, bool) or isinstance(value, Integral) or not isinstance(value, Real):
        return value
    value = float(value)
    if not math.isfinite(value):
        return value
    if specs is None:
        return float(f"{value:.6g}")
    places = []
    for spec in specs:
        found = decimal_places(value, spec)
        if found is None:
            raise GlueError(
                f"glue key {key!r} is a float shown with format {spec!r}, which prints every digit; "
                "give the role a precision such as :.2f (or glue an int)"
            )
        places.append(found)
    return round(value, max(places))


def _emit(key: str, value, metadata: dict) -> None:
    """Store the value the way ``myst_nb.glue(key, value, display=False)`` does, plus our metadata."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    mimebundle, extra = format_display_data(value)
    extra = dict(extra)
    extra["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    extra[METADATA_KEY] = metadata
    display({GLUE_PREFIX + mime: data for mime, data in mimebundle.items()}, raw=True, metadata=extra)


def read_page_source(name: str, directory: Path | None = None) -> str | None:
    """The MyST source of chapter ``name`` (``notebooks/<name>.md``), or the markdown of ``<name>.ipynb``."""
    candidates = [d for d in (directory, repo_root() / "notebooks", Path.cwd()) if d is not None]
    for folder in candidates:
        md = folder / f"{name}.md"
        if md.is_file():
            return md.read_text(encoding="utf-8")
    for folder in candidates:
        ipynb = folder / f"{name}.ipynb"
        if ipynb.is_file():
            cells = json.loads(ipynb.read_text(encoding="utf-8")).get("cells", [])
            return "\n".join(
                "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown"
            )
    return None


def source_of(row) -> str:
    """Where a published number was read, from whichever location columns its provenance row has."""
    parts = [str(row[c]) for c in ("document", "section", "paragraph", "where_read", "location")
             if c in row.index and str(row[c]).strip() not in ("", "nan")]
    return ", ".join(parts)


class Page:
    """One chapter's glue: ``page = Page("robustness", tier="synthetic")`` then ``page.glue(key, value)``.

    ``tier`` is the page's default data tier (the tier of most numbers on it, and of its tables and figures in
    the manifest); a call may override it, and a ``published`` number must say where it was read.
    """

    def __init__(self, name: str, tier: str, *, markdown: str | None = None, emit=_emit):
        if tier not in TIERS:
            raise GlueError(f"page {name!r}: tier must be one of {', '.join(TIERS)}, got {tier!r}")
        self.name = name
        self.tier = tier
        source = markdown if markdown is not None else read_page_source(name)
        self.formats = shown_formats(source) if source is not None else None
        self.glued: dict[str, object] = {}
        self._emit = emit
        from leftbehind.presentation.i18n import set_page
        from leftbehind.presentation.tables import install

        set_page(name)  # the Chinese edition reads this page's own outputs catalogue first
        install()  # the chapter's tables go through the book's one table renderer

    def glue(self, key: str, value, *, tier: str | None = None, source: str | None = None):
        """Glue ``value`` under ``key`` at its shown precision; return the stored (rounded) value."""
        tier = tier or self.tier
        if tier not in TIERS:
            raise GlueError(f"page {self.name!r}, key {key!r}: unknown tier {tier!r}")
        if tier == "published" and not source:
            raise GlueError(f"page {self.name!r}, key {key!r}: a published number needs its source")
        if key in self.glued:
            raise GlueError(f"page {self.name!r}: glue key {key!r} glued twice")
        specs = None if self.formats is None else self.formats.get(key)
        if self.formats is not None and specs is None:
            # not shown anywhere on the page: nothing to store (a stored value nobody reads is only noise)
            self.glued[key] = as_plain(value)
            return self.glued[key]
        try:
            stored = round_to_shown(value, specs, key)
        except GlueError as error:
            raise GlueError(f"page {self.name!r}: {error}") from None
        metadata = {"tier": tier, "page_tier": self.tier}
        if source:
            metadata["source"] = source
        self._emit(key, stored, metadata)
        if isinstance(stored, str) and needs_translation(stored) and bilingual():
            self._emit_translation(key, stored, metadata)
        self.glued[key] = stored
        return stored

    def _emit_translation(self, key: str, text: str, metadata: dict) -> None:
        """A glued phrase in the Chinese edition, as ``<key>__zh`` (the book's ``editions`` extension shows it
        in place of ``<key>``); a phrase the outputs catalogue cannot translate is stored in English and named."""
        from leftbehind.presentation.i18n import TRANSLATED, Translator

        translator = Translator(TRANSLATED)
        translated = translator(text)
        extra = dict(metadata)
        if translator.missing:
            extra["untranslated"] = translator.missing
        self._emit(key + TRANSLATION_SUFFIX, translated, extra)

    def printed(self, key: str, table, *, glue_key: str | None = None, as_text: bool = False):
        """Glue a number from a provenance table (``data/published``, indexed by key) as published.

        ``as_text`` glues the number exactly as the source printed it (the ``printed`` column); otherwise whole
        numbers printed without decimals are glued as ``int`` and others as ``float``.
        """
        row = table.loc[key]
        if as_text:
            value = str(row["printed"])
        else:
            value = float(row["value"])
            decimals = row["decimals"] if "decimals" in row.index else None
            if value.is_integer() and (decimals is None or str(decimals).strip() in ("", "0", "0.0")):
                value = int(value)
        return self.glue(glue_key or key, value, tier="published", source=source_of(row))

    def unshown(self) -> list[str]:
        """Keys glued in code that no role on the page shows (they are not stored)."""
        if self.formats is None:
            return []
        return sorted(k for k in self.glued if k not in self.formats)

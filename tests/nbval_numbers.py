"""pytest plugin: nbval compares decimal numbers at 10 significant digits, never at full float precision.

Installed by ``tests/conftest.py`` for the test suite; a run of nbval on notebooks alone loads it with
``-p nbval_numbers`` and ``tests/`` on ``PYTHONPATH``.  nbval compares the text of every
stored output with a fresh run after applying the regex rules in ``tests/nbval_sanitize.cfg``.  This plugin adds
one rule that a regex file cannot express: every decimal literal (``0.5687672362054464``, ``1.50``, ``2.5e-07``)
is rewritten as the shortest repr of the float rounded to 10 significant digits, on both sides.

Why 10: the numbers the book shows have at most 4 significant digits, and machine noise (BLAS kernels, thread
counts, summation order) sits near the 13th-16th.  Rounding both sides at the 10th removes the noise and keeps
every shown digit: a stored ``0.57`` that becomes ``0.58`` still fails.  (The stored outputs hold numbers already
rounded to their shown precision — see ``leftbehind.presentation.glue`` — so this rule is a second line of defence
for table reprs and anything else printed at full precision.)  Integers are left alone.
"""

from __future__ import annotations

import re

DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])|(?<![\w.])-?\d+[eE][-+]?\d+(?![\w.])")
SIGNIFICANT = 10


def canonical_number(match: re.Match) -> str:
    text = match.group(0)
    try:
        value = float(text)
    except ValueError:  # pragma: no cover - the regex only matches float literals
        return text
    return repr(float(f"{value:.{SIGNIFICANT}g}"))


def canonical_numbers(text: str) -> str:
    """Every decimal literal in ``text`` rounded to 10 significant digits, in its shortest repr."""
    return DECIMAL.sub(canonical_number, text)


def install() -> None:
    """Add the number rule to nbval's sanitizer (idempotent)."""
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # pragma: no cover - nbval is a test dependency
        return
    if getattr(IPyNbFile, "_leftbehind_numbers", False):
        return
    original = IPyNbFile.setup_sanitize_files

    def setup_sanitize_files(self):
        original(self)
        # nbval applies each (regex, replacement) with re.sub, which accepts a function as the replacement.
        self.sanitize_patterns[DECIMAL.pattern] = canonical_number

    IPyNbFile.setup_sanitize_files = setup_sanitize_files
    IPyNbFile._leftbehind_numbers = True


def pytest_configure(config):
    install()

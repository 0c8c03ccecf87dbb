"""Small-cell suppression with complementary suppression, for counts linked by sums.

The published counts of a run are one system: each count has a key, and each
*sum* (``total = part + part + …``) says that a reader who sees some of the
numbers can subtract to find others (a row total minus the other cells of the
row, a group size minus the other levels, the rows read minus the rows kept).
:func:`protect` decides which counts to hide:

1. **Primary suppression.** Every count below the threshold (zero included) is
   hidden and shown as ``<t``.  Zero is hidden too: a zero beside a small count
   tells a reader that *everyone* in a small group gave the same answer.
2. **Complementary suppression.** A hidden count must not be recoverable.  A
   reader knows every shown count, every sum, that counts are whole and not
   negative, that a ``<t`` count lies in ``0 … t-1`` and that a count hidden for
   another reason is at least ``t``.  For each hidden count we ask a linear
   program (scipy's HiGHS) for its smallest and largest value under exactly that
   knowledge; if the two agree, the count is recoverable, and the cheapest shown
   count in a sum that contains it is hidden as well.  This repeats until no
   hidden count can be pinned down.  (The sums are row/column-type equations, so
   the linear program's extremes are whole numbers: what it cannot pin down,
   integer arithmetic cannot either.)

The cost of hiding a count is its value (small counts first, so little is lost);
callers give totals a high cost so that cells are hidden before margins.  Every
sum that gives a count away in one subtraction is closed in the same round.  The
loop ends because each round hides one more count, and with every count hidden
nothing can be pinned (all sums have at least two unknown terms).

Pure: no files, no pandas (the default and minimum thresholds are the study spec's).  Keys are any hashable values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from leftbehind.spec.study import DEFAULT_DISCLOSURE_THRESHOLD as DEFAULT_THRESHOLD  # one definition, in the spec
from leftbehind.spec.study import MIN_DISCLOSURE_THRESHOLD as MIN_THRESHOLD

Sum = tuple[Hashable, Sequence[Hashable]]  # (total, parts): total = sum of parts


def marker(threshold: int) -> str:
    """How a count below the threshold is shown: ``<5``."""
    return f"<{threshold}"


#: How a count hidden only to protect another is shown (it is at least the threshold).
COMPLEMENTARY = "x"


@dataclass(frozen=True)
class Protection:
    """Which counts are hidden, and why."""

    threshold: int
    values: Mapping[Hashable, int]
    primary: frozenset = field(default_factory=frozenset)
    complementary: frozenset = field(default_factory=frozenset)

    @property
    def hidden(self) -> frozenset:
        return self.primary | self.complementary

    def is_hidden(self, key: Hashable) -> bool:
        return key in self.primary or key in self.complementary

    def show(self, key: Hashable):
        """The count as published: the number, ``<t`` (too small) or ``x`` (hidden to protect another)."""
        if key in self.primary:
            return marker(self.threshold)
        if key in self.complementary:
            return COMPLEMENTARY
        return int(self.values[key])


def _normalise(values: Mapping[Hashable, int], sums: Iterable[Sum]) -> list[tuple[Hashable, tuple]]:
    out, seen = [], set()
    for total, parts in sums:
        parts = tuple(parts)
        if len(parts) < 2 and (len(parts) == 0 or parts[0] == total):
            continue  # a "sum" of one term only repeats a count
        for key in (total, *parts):
            if key not in values:
                raise KeyError(f"sum names {key!r}, which has no count")
        signature = (total, tuple(sorted(map(repr, parts))))
        if signature not in seen:
            seen.add(signature)
            out.append((total, parts))
    return out


def ranges(values: Mapping[Hashable, int], sums: Iterable[Sum], hidden: set, threshold: int,
           primary: set | None = None, stop_at_pinned: bool = False) -> dict[Hashable, tuple[float, float]]:
    """For every hidden count, the smallest and largest value a reader can infer (see the module docstring).

    With ``stop_at_pinned``, return as soon as one count is pinned down (its range is then the last entry).
    """
    from scipy.optimize import linprog

    sums = _normalise(values, sums)
    primary = {k for k in hidden if values[k] < threshold} if primary is None else primary
    unknown = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in sums:
        row = np.zeros(len(unknown))
        constant = 0.0
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    bounds = [(0, threshold - 1) if k in primary else (threshold, None) for k in unknown]
    out = {}
    for k in unknown:
        c = np.zeros(len(unknown))
        c[index[k]] = 1.0
        extremes = []
        for sign in (1.0, -1.0):
            if not rows:
                lo, hi = bounds[index[k]]
                extremes.append(lo if sign > 0 else (np.inf if hi is None else hi))
                continue
            res = linprog(sign * c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=bounds, method="highs")
            if res.status == 3:  # unbounded above
                extremes.append(np.inf)
            elif res.status != 0:
                raise RuntimeError(f"disclosure check: linear program failed ({res.message})")
            else:
                extremes.append(sign * res.fun)
        out[k] = (extremes[0], extremes[1])
        if stop_at_pinned and extremes[1] - extremes[0] < 0.5:
            break
    return out


def pinned(values: Mapping[Hashable, int], sums: Iterable[Sum], hidden: set, threshold: int,
           primary: set | None = None) -> list[Hashable]:
    """Hidden counts whose value a reader can work out exactly.

    First by the sums alone (a hidden count outside every direction the sums leave free; cheap), then, if
    none is, by the linear programs that also use the bounds (see :func:`ranges`).
    """
    sums = _normalise(values, sums)
    unknown = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in sums:
        row = np.zeros(len(unknown))
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in index:
                row[index[key]] += sign
        if row.any():
            rows.append(row)
    if rows:
        # a hidden count is fixed by the sums when its unit vector lies in their row space
        _, singular, vh = np.linalg.svd(np.array(rows), full_matrices=False)
        basis = vh[singular > 1e-9 * max(singular.max(), 1.0)]
        reach = np.sqrt((basis ** 2).sum(axis=0))
        by_sums = [k for k in unknown if reach[index[k]] > 1 - 1e-9]
        if by_sums:
            return by_sums
    found = ranges(values, sums, hidden, threshold, primary, stop_at_pinned=True)
    return [k for k, (lo, hi) in found.items() if hi - lo < 0.5]


def protect(values: Mapping[Hashable, int], sums: Iterable[Sum], threshold: int = DEFAULT_THRESHOLD,
            cost: Mapping[Hashable, float] | None = None, force: Iterable[Hashable] = ()) -> Protection:
    """Hide every count below ``threshold`` and, complementarily, enough others that none can be recovered.

    ``values``: key -> count (whole, not negative).  ``sums``: ``(total, parts)`` pairs a reader can use.
    ``cost``: how costly hiding a count is (default: the count); ``force``: counts to hide regardless.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    values = {k: int(v) for k, v in values.items()}
    if any(v < 0 for v in values.values()):
        raise ValueError("counts cannot be negative")
    sums = _normalise(values, sums)
    cost = dict(cost or {})
    order = {k: i for i, k in enumerate(values)}
    primary = {k for k, v in values.items() if v < threshold}
    hidden = primary | {k for k in force if k in values}
    while True:
        recoverable = pinned(values, sums, hidden, threshold, primary)
        if not recoverable:
            break
        recoverable = set(recoverable)
        containing = [(total, *parts) for total, parts in sums if recoverable & {total, *parts}]
        direct = [terms for terms in containing if sum(t in hidden for t in terms) == 1]  # a sum gives it away
        if direct:  # close every sum that gives a count away at once: its cheapest shown term
            for terms in direct:
                if sum(t in hidden for t in terms) == 1:
                    hidden.add(min((t for t in terms if t not in hidden), key=lambda k: (cost.get(k, values[k]), order[k])))
            continue
        candidates = {p for terms in containing for p in terms if p not in hidden}
        if not candidates:  # recoverable only through a longer chain of sums: widen to every sum with a hidden count
            candidates = {p for total, parts in sums if hidden & {total, *parts}
                          for p in (total, *parts) if p not in hidden}
        if not candidates:
            candidates = set(values) - hidden
        if not candidates:
            break
        hidden.add(min(candidates, key=lambda k: (cost.get(k, values[k]), order[k])))
    return Protection(threshold, values, frozenset(primary), frozenset(hidden - primary))

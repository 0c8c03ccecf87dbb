"""When a model cannot be estimated from a valid file: say why, name the variable, say what to do.

A file that passes the contract always gets every table that can be computed.  A
logistic model may still be impossible to estimate from it -- too few events, a
variable that never varies, a category nobody is in, a category that perfectly
predicts the outcome (separation), collinear columns (rank deficiency), or a fit
that does not converge.  :func:`check_logistic` finds these *before* fitting,
from counts, and returns :class:`Problem` records; :class:`NotEstimable` carries
them to the caller, which reports the model as *not estimable* in the terminal,
the run log, the JSON and the output files instead of failing the run.

Warnings from numpy, scipy and statsmodels are collected with
:func:`collect_warnings` and summarised in plain words by :func:`warning_summary`
rather than printed one by one.

How a remedy is offered depends on the caller (command-line flags for
``analyse``, options in a study spec): pass ``drop_hint`` and ``merge_hint``.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import numpy as np
import pandas as pd

#: A logistic regression needs at least this many rows with, and without, the outcome.
MIN_EVENTS = 10
#: Events per candidate parameter below which estimates are called unstable (a caution, not a block).
LOW_EPV = 10


def cli_drop_hint(variable: str) -> str:
    return f"--drop {variable}"


def cli_merge_hint(variable: str, levels: list[str]) -> str:
    return f"--merge {variable}={','.join(levels)}"


@dataclass
class Problem:
    """Why a model cannot be estimated: ``reason`` (a short code), the variable, a sentence, a remedy."""

    reason: str
    variable: str | None
    detail: str
    remedy: str

    def as_dict(self) -> dict:
        return asdict(self)

    def sentence(self) -> str:
        return f"{self.detail} What you can do: {self.remedy}"


class NotEstimable(Exception):
    """Raised by a model function when the model cannot be estimated; carries the problems."""

    def __init__(self, problems: list[Problem], n: int | None = None, events: int | None = None):
        self.problems = problems
        self.n = n
        self.events = events
        super().__init__("; ".join(p.detail for p in problems))


def _neighbour(levels: list[str], level: str) -> list[str]:
    """The level and its neighbour in the coded order (the one before it, else the one after)."""
    i = levels.index(level)
    other = levels[i - 1] if i > 0 else levels[i + 1]
    return [other, level] if i > 0 else [level, other]


def check_logistic(
    y: np.ndarray,
    categorical: dict[str, pd.Series],
    continuous: dict[str, pd.Series],
    levels: dict[str, list[str]],
    outcome: str,
    drop_hint: Callable[[str], str] = cli_drop_hint,
    merge_hint: Callable[[str, list[str]], str] = cli_merge_hint,
    min_events: int = MIN_EVENTS,
    group: str = "",
) -> list[Problem]:
    """Everything that makes a logistic model of ``y`` impossible to estimate, found from counts.

    ``categorical`` maps each categorical candidate to its values (one per row) and
    ``levels`` to its coded levels (reference first); ``continuous`` maps each
    numeric candidate to its values; ``group`` names the rows the model is fitted among (for messages).
    Returns an empty list when the model can be fitted.
    """
    y = np.asarray(y, dtype=float)
    n, events = len(y), int(np.nansum(y))
    among = f" ({group})" if group else ""
    if n == 0:
        return [Problem("no_rows", None, f"The file has no rows in the group this model is fitted among{among}.",
                        "nothing to estimate; the descriptive tables and the participant flow (flow.csv) show the counts.")]
    if events in (0, n):
        if n == 1:
            which = "The only row has" if events == 1 else "The only row does not have"
        else:
            which = f"All {n:,} rows have" if events == n else f"None of the {n:,} rows has"
        return [Problem("constant_outcome", outcome,
                        f"{which} the outcome '{outcome}'{among}, so there is nothing to compare.",
                        "no regression can be estimated; the counts in the descriptive tables still hold.")]
    problems: list[Problem] = []
    if min(events, n - events) < min_events:
        problems.append(Problem(
            "too_few_events", outcome,
            f"Only {events:,} of {n:,} rows{among} {'has' if events == 1 else 'have'} the outcome '{outcome}'; "
            f"{n - events:,} {'does' if n - events == 1 else 'do'} not. A logistic model needs at least {min_events} "
            f"of each.",
            "report the counts and percentages of the descriptive tables instead, or pool more questionnaires.",
        ))
        return problems
    for name, values in categorical.items():
        counts = values.value_counts().reindex(levels[name], fill_value=0)
        present = [lv for lv in levels[name] if counts[lv] > 0]
        if len(present) < 2:
            problems.append(Problem(
                "constant_variable", name,
                f"'{name}' takes only one value ({present[0] if present else 'none'}) among the {n:,} rows, so its "
                f"effect cannot be estimated.",
                f"leave it out of the model ({drop_hint(name)}).",
            ))
            continue
        for level in levels[name]:
            if counts[level] == 0:
                problems.append(Problem(
                    "empty_category", name,
                    f"No row has {name} = {level}, so that category's effect cannot be estimated.",
                    f"merge it with a neighbouring category ({merge_hint(name, _neighbour(levels[name], level))}) or "
                    f"leave the variable out ({drop_hint(name)}).",
                ))
        table = pd.crosstab(values, y)
        for level in present:
            with_outcome = int(table.loc[level].get(1.0, 0))
            size = int(counts[level])
            if with_outcome in (0, size):
                which = "none" if with_outcome == 0 else "all"
                problems.append(Problem(
                    "separation", name,
                    f"Among the {size:,} rows with {name} = {level}, {which} have the outcome '{outcome}' "
                    f"(separation): its odds ratio would be 0 or infinite.",
                    f"merge it with a neighbouring category ({merge_hint(name, _neighbour(levels[name], level))}) or "
                    f"leave the variable out ({drop_hint(name)}).",
                ))
    for name, values in continuous.items():
        values = pd.to_numeric(values, errors="coerce")
        if values.isna().any():
            problems.append(Problem("missing_values", name, f"'{name}' is blank in {int(values.isna().sum()):,} rows.",
                                    f"leave it out of the model ({drop_hint(name)})."))
        elif values.nunique() < 2:
            problems.append(Problem(
                "constant_variable", name,
                f"'{name}' has the same value ({values.iloc[0]:g}) in all {n:,} rows, so its effect cannot be estimated.",
                f"leave it out of the model ({drop_hint(name)}).",
            ))
    return problems


def collinear_columns(design: pd.DataFrame) -> list[str]:
    """Design columns that are linear combinations of the constant and the columns before them."""
    x = np.ones((len(design), 1))
    rank, redundant = 1, []
    for column in design.columns:
        trial = np.column_stack([x, design[column].to_numpy(dtype=float)])
        new_rank = np.linalg.matrix_rank(trial)
        if new_rank > rank:
            x, rank = trial, new_rank
        else:
            redundant.append(column)
    return redundant


def rank_problems(design: pd.DataFrame, blocks: dict[str, list[str]], drop_hint: Callable[[str], str] = cli_drop_hint,
                  ) -> list[Problem]:
    """A :class:`Problem` per variable whose design columns repeat information already in the model."""
    redundant = collinear_columns(design)
    if len(design) <= design.shape[1] + 1:
        return [Problem("too_few_rows", None,
                        f"The model has {design.shape[1] + 1} parameters but only {len(design):,} rows.",
                        "leave variables out of the model (for example " + drop_hint(next(iter(blocks))) + ").")]
    owner = {c: v for v, cols in blocks.items() for c in cols}
    variables = list(dict.fromkeys(owner[c] for c in redundant))
    return [Problem("rank_deficient", v,
                    f"'{v}' is fully determined by the other variables in the model (rank deficiency).",
                    f"leave it out of the model ({drop_hint(v)}).") for v in variables]


@contextlib.contextmanager
def collect_warnings() -> Iterator[list]:
    """Record every warning raised inside the block (none is printed); yields the list of records."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


#: (substring of the warning's class or text, plain-words summary)
_PLAIN = (
    ("ConvergenceWarning", "the fitting algorithm stopped before it converged"),
    ("HessianInversionWarning", "the standard errors could not be computed reliably (the information matrix is singular)"),
    ("SmallSampleWarning", "a group was too small for a test, so that result is left blank"),
    ("PerfectSeparation", "some variable perfectly predicts the outcome (separation)"),
    ("overflow", "numbers overflowed, usually because an estimate runs off to infinity (separation)"),
    ("divide by zero", "a division by zero occurred (an empty group or a zero variance)"),
    ("invalid value", "an undefined value (0/0) occurred (an empty group or a zero variance)"),
    ("Degrees of freedom", "a group had too few rows to compute a variance"),
    ("Mean of empty slice", "a mean was taken over an empty group"),
    ("Precision loss", "two groups are nearly identical, so a test lost precision"),
)


def warning_summary(caught: list, where: str = "") -> list[str]:
    """One plain sentence per kind of warning, with how many times it occurred."""
    counts: dict[str, int] = {}
    for record in caught:
        text = f"{record.category.__name__}: {record.message}"
        plain = next((words for key, words in _PLAIN if key.lower() in text.lower()), None)
        plain = plain or f"{record.category.__name__}: {str(record.message).splitlines()[0][:120]}"
        counts[plain] = counts.get(plain, 0) + 1
    prefix = f"{where}: " if where else ""
    return [f"{prefix}{text} ({k} time{'s' if k > 1 else ''})" for text, k in counts.items()]


def not_estimable_record(outcome: str, problems: list[Problem], n: int | None, events: int | None,
                         warnings_seen: list[str] | None = None) -> dict:
    """The JSON record of a model that could not be estimated."""
    return {
        "outcome": outcome,
        "estimable": False,
        "n": n,
        "events": events,
        "problems": [p.as_dict() for p in problems],
        "warnings": list(warnings_seen or []),
    }

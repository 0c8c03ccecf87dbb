"""What Yong et al. (2023) say about each comparison, and whether our numbers agree.

The paper's tables lost their cells; only the text survives.  The text states,
for many comparisons, a direction ("higher among LBC") and a significance
("P < 0.05", "no significant difference", "risk factor").  Those statements are
recorded, in our own words and with their location, in
``data/published/yong2023_claims.csv`` -- one row per claim:

====================  ======================================================
column                meaning
====================  ======================================================
claim_id              stable identifier
table                 the paper's table (1-8)
comparison            the comparison id in our tables; ``*`` is a wildcard
                      (``t4:*:within_lbc`` covers every subgroup of Table 4)
direction             expected sign of our ``difference``: ``+``, ``-``;
                      ``?`` not stated; ``0`` no difference
expects               ``significant``, ``not_significant`` or ``retained``
                      (a term kept in the final backward model)
alpha                 the threshold the printed statement implies
significance_printed  the significance as the paper prints it
statement             what the paper says, paraphrased
document/section/paragraph/note  provenance, as in :mod:`leftbehind.core.provenance`
====================  ======================================================

:func:`attach_claims` adds the claim and an ``agrees`` verdict to a table of
comparisons (``comparison``, ``difference``, ``p``; for models also
``retained``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.core.errors import UserError, require_columns
from leftbehind.core.paths import published_dir

CLAIM_COLUMNS = (
    "claim_id",
    "table",
    "comparison",
    "direction",
    "expects",
    "alpha",
    "significance_printed",
    "statement",
    "document",
    "section",
    "paragraph",
    "note",
)
DIRECTIONS = {"+", "-", "?", "0"}
EXPECTS = {"significant", "not_significant", "retained"}
#: The paper's significance level (Methods > Statistical analysis).
PAPER_ALPHA = 0.05


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """Read and check ``yong2023_claims.csv``; bad rows raise :class:`UserError`."""
    path = path or published_dir() / "yong2023_claims.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(table, CLAIM_COLUMNS, path)

    def fail(column: str, rule: str, mask: pd.Series) -> None:
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(mask.to_numpy())[:10])
        raise UserError(f"{path}: column '{column}' {rule} in data row(s) {rows}")

    for column in CLAIM_COLUMNS[:-1]:
        blank = table[column].str.strip() == ""
        if blank.any():
            fail(column, "is blank", blank)
    if table["claim_id"].duplicated().any():
        fail("claim_id", "repeats", table["claim_id"].duplicated(keep=False))
    if (~table["direction"].isin(DIRECTIONS)).any():
        fail("direction", f"must be one of {sorted(DIRECTIONS)}", ~table["direction"].isin(DIRECTIONS))
    if (~table["expects"].isin(EXPECTS)).any():
        fail("expects", f"must be one of {sorted(EXPECTS)}", ~table["expects"].isin(EXPECTS))
    alpha = pd.to_numeric(table["alpha"], errors="coerce")
    if (alpha.isna() | (alpha <= 0) | (alpha >= 1)).any():
        fail("alpha", "must be a probability", alpha.isna() | (alpha <= 0) | (alpha >= 1))
    return table.assign(alpha=alpha, table=table["table"].astype(int))


def matches(comparison: str, pattern: str) -> bool:
    """Does ``comparison`` match ``pattern``?  Only ``*`` is special (brackets are literal)."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, comparison) is not None


def match_claim(comparison: str, claims: pd.DataFrame) -> pd.Series | None:
    """The claim about ``comparison``: an exact id first, else the first matching pattern."""
    exact = claims[claims["comparison"] == comparison]
    if len(exact):
        return exact.iloc[0]
    for _, claim in claims.iterrows():
        if matches(comparison, claim["comparison"]):
            return claim
    return None


def verdict(claim: pd.Series, difference: float, p: float, retained: bool = True) -> str:
    """``yes``/``no``: does a result (signed difference, p) agree with the claim?

    * ``significant``: p below the claim's alpha and the sign as stated (any
      sign when the direction is ``?``);
    * ``not_significant``: p at or above the paper's 0.05;
    * ``retained``: the term is in the final model, its Wald p is below alpha and
      its coefficient has the stated sign.
    """
    sign_ok = claim["direction"] == "?" or (
        np.isfinite(difference) and {"+": difference > 0, "-": difference < 0}.get(claim["direction"], False)
    )
    if claim["expects"] == "not_significant":
        return "yes" if np.isfinite(p) and p >= PAPER_ALPHA else "no"
    if claim["expects"] == "retained" and not retained:
        return "no"
    return "yes" if np.isfinite(p) and p < claim["alpha"] and sign_ok else "no"


def attach_claims(tests: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``paper_says``, ``paper_significance``, ``where`` and ``agrees`` to a comparisons table."""
    claims = load_claims() if claims is None else claims
    says, printed, where, agrees, ids = [], [], [], [], []
    for row in tests.itertuples(index=False):
        claim = match_claim(row.comparison, claims)
        if claim is None:
            says.append("(not discussed in the text)")
            printed.append("")
            where.append("")
            agrees.append("no claim")
            ids.append("")
            continue
        retained = bool(getattr(row, "retained", True))
        says.append(claim["statement"])
        printed.append(claim["significance_printed"])
        where.append(f"{claim['section']}, {claim['paragraph']}")
        agrees.append(verdict(claim, float(row.difference), float(row.p), retained))
        ids.append(claim["claim_id"])
    return tests.assign(paper_says=says, paper_significance=printed, where=where, agrees=agrees, claim_id=ids)


def unmatched_claims(tests: pd.DataFrame, claims: pd.DataFrame | None = None) -> list[str]:
    """Claim ids that match no comparison in ``tests`` (a sign of a renamed id)."""
    claims = load_claims() if claims is None else claims
    ids = list(tests["comparison"])
    return [c.claim_id for c in claims.itertuples() if not any(matches(i, c.comparison) for i in ids)]

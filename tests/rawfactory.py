"""Small valid raw exports for tests (not the synthetic cohort)."""

from __future__ import annotations

import pandas as pd

from leftbehind.codebook import load_codebook


def valid_row(i: int, **changes) -> dict:
    row = {"response_id": f"R{i}", "school_id": "S1", "gender": "1", "age": "12", "grade": "6", "only_child": "2",
           "boarder": "2", "residence": "1", "father_away": "1", "mother_away": "2", "months_apart": "8",
           "father_edu": "2", "mother_edu": "1", "family": "1", "nssi": "2", "treatment": ""}
    row.update({f"cs{k:02d}": str(1 + (k + i) % 4) for k in range(1, 37)})
    row.update({k: str(v) for k, v in changes.items()})
    return row


def write_rows(path, rows, columns=None, sep=",", bom=False):
    frame = pd.DataFrame(rows)
    columns = columns or [c for c in load_codebook().names] + [c for c in frame.columns if c not in load_codebook().names]
    frame = frame.reindex(columns=columns)
    text = frame.to_csv(index=False, sep=sep, lineterminator="\n")
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path

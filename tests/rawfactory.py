"""Small valid raw exports for tests (not the synthetic cohort)."""

from __future__ import annotations

import pandas as pd

from leftbehind.spec.codebook import load_codebook


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


def survey_rows(n: int, seed: int = 0, nssi_rate: float = 0.08, college_rate: float = 0.03) -> list[dict]:
    """``n`` varied, valid questionnaires like a small school survey (text cells, as a CSV holds them).

    Everything is random but reproducible; rare categories (college-educated parents) are rare, so a
    few hundred rows give models with empty categories or too few events -- the cases a student meets.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        grade = int(rng.integers(4, 13))
        father_away, mother_away = int(rng.choice([1, 2], p=[0.5, 0.5])), int(rng.choice([1, 2], p=[0.3, 0.7]))
        away = father_away == 1 or mother_away == 1
        nssi = 1 if rng.random() < nssi_rate else 2
        edu = [1, 2, 3, 4]
        edu_p = [0.45 - college_rate / 2, 0.4 - college_rate / 2, 0.15, college_rate]
        row = {
            "response_id": f"Q{seed}-{i:04d}", "school_id": f"S{i % 4 + 1}", "gender": str(rng.integers(1, 3)),
            "age": str(grade + 6), "grade": str(grade), "only_child": str(rng.choice([1, 2], p=[0.25, 0.75])),
            "boarder": str(rng.choice([1, 2], p=[0.4, 0.6])), "residence": str(rng.choice([1, 2], p=[0.6, 0.4])),
            "father_away": str(father_away), "mother_away": str(mother_away),
            "months_apart": str(int(rng.integers(6, 13))) if away and rng.random() < 0.8 else ("0" if not away else "3"),
            "father_edu": str(rng.choice(edu, p=edu_p)), "mother_edu": str(rng.choice(edu, p=edu_p)),
            "family": str(rng.choice([1, 2, 3], p=[0.8, 0.12, 0.08])), "nssi": str(nssi),
            "treatment": str(rng.integers(1, 9)) if nssi == 1 else "",
        }
        row.update({f"cs{k:02d}": str(int(rng.integers(1, 5))) for k in range(1, 37)})
        rows.append(row)
    return rows

"""write_csv writes exactly the bytes of DataFrame.to_csv(index=False, lineterminator="\\n"), and falls back to
pandas where it must."""

import numpy as np
import pandas as pd
import pytest

from leftbehind.core import fast_csv
from leftbehind.core.fast_csv import write_csv


def same_bytes(frame, tmp_path):
    ours, theirs = tmp_path / "ours.csv", tmp_path / "theirs.csv"
    write_csv(frame, ours)
    frame.to_csv(theirs, index=False, lineterminator="\n")
    assert ours.read_bytes() == theirs.read_bytes()


def varied(n=1000, seed=0):
    rng = np.random.default_rng(seed)
    floats = rng.choice([1.0, 2.5, 1 / 3, 2 / 3, 1e-7, 123456789.123, np.nan, -0.0, 1e22], n)
    return pd.DataFrame({
        "id": pd.array([f"R{i}" for i in range(n)], dtype="str"),
        "school": np.where(rng.random(n) < 0.1, None, "S好").astype(object),
        "level": pd.Categorical(rng.choice(["a", "b", None], n), categories=["a", "b", "c"]),
        "flag": rng.random(n) < 0.5,
        "count": rng.integers(-5, 10**12, n),
        "maybe": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(0, 3, n)), dtype="Int64"),
        "score": floats,
        "smooth": rng.normal(size=n),
    })


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_bytes_as_pandas(tmp_path, seed, monkeypatch):
    monkeypatch.setattr(fast_csv, "CHUNK_ROWS", 333)  # several chunks
    same_bytes(varied(seed=seed), tmp_path)


def test_the_fast_path_is_taken_for_the_analysis_kinds(tmp_path, monkeypatch):
    monkeypatch.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("fell back to pandas"))
    write_csv(varied(), tmp_path / "x.csv")


@pytest.mark.parametrize("change", ["comma", "quote", "newline", "category_comma", "int_category", "one_column",
                                    "float32", "empty", "datetime", "mixed_object"])
def test_cases_pandas_writes(tmp_path, change):
    frame = varied(50)
    if change == "comma":
        frame.loc[3, "school"] = "a,b"
    elif change == "quote":
        frame["id"] = frame["id"].astype(object)
        frame.loc[4, "id"] = 'say "hi"'
    elif change == "newline":
        frame.loc[5, "school"] = "two\nlines"
    elif change == "category_comma":
        frame["level"] = frame["level"].cat.rename_categories({"a": "a,x"})
    elif change == "int_category":
        frame["level"] = pd.Categorical(np.arange(50) % 3)
    elif change == "one_column":
        frame = frame[["school"]]
    elif change == "float32":
        frame["smooth"] = frame["smooth"].astype("float32")
    elif change == "empty":
        frame = frame.iloc[:0]
    elif change == "datetime":
        frame["when"] = pd.Timestamp("2024-01-01")
    elif change == "mixed_object":
        frame["school"] = frame["school"].astype(object)
        frame.loc[6, "school"] = 1.5
    same_bytes(frame, tmp_path)

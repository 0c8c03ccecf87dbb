"""The raw-data contract, read from ``data/codebook.yaml``.

One machine-readable file describes every column of a questionnaire export:
its valid values, what a blank means, the labels readers see, the inclusion
criteria, and the coping-scale item key.  The validator, the cleaner, the
scorer, the tests and the book's data dictionary all read it, so they cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from leftbehind.core.paths import data_dir


@dataclass(frozen=True)
class Column:
    """One column of the raw export."""

    name: str
    label: str
    type: str
    blank: str
    minimum: int | None = None
    maximum: int | None = None
    codes: dict = field(default_factory=dict)
    unique: bool = False
    required_when: str | None = None

    def valid_values(self) -> set[int] | None:
        """The allowed whole numbers (None for text columns)."""
        if self.type == "text":
            return None
        if self.type == "code":
            return set(self.codes)
        return set(range(self.minimum, self.maximum + 1))

    def level(self, code: int) -> str:
        """The analysis-dataset level name of a raw code."""
        return str(self.codes[code]["level"])

    def describe_values(self) -> str:
        """The valid values in words, e.g. ``1 boy, 2 girl`` or ``1–4``."""
        if self.type == "text":
            return "text"
        if self.type == "code":
            return ", ".join(f"{code} {entry['label']}" for code, entry in self.codes.items())
        return f"{self.minimum}–{self.maximum}"


@dataclass(frozen=True)
class Codebook:
    """The whole contract: columns, cross-column rules, inclusion, derived variables, coping key."""

    columns: tuple[Column, ...]
    cross_rules: tuple[dict, ...]
    inclusion: dict
    derived: dict
    factors: dict
    orientations: dict
    path: Path

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def items(self) -> list[str]:
        """The coping items in factor order."""
        return [item for factor in self.factors.values() for item in factor["items"]]

    def factor_items(self) -> dict[str, list[str]]:
        return {name: list(f["items"]) for name, f in self.factors.items()}

    def dictionary(self) -> pd.DataFrame:
        """The data dictionary, one row per raw column (coping items collapsed to one row per factor)."""
        rows = []
        item_factor = {item: name for name, items in self.factor_items().items() for item in items}
        seen = set()
        for col in self.columns:
            if col.name in item_factor:
                factor = item_factor[col.name]
                if factor in seen:
                    continue
                seen.add(factor)
                items = self.factors[factor]["items"]
                rows.append({
                    "column": f"{items[0]}–{items[-1]}",
                    "meaning": f"CSSMSS items, factor {self.factors[factor]['label']}",
                    "valid values": col.describe_values(),
                    "if blank": col.blank,
                })
                continue
            blank = col.blank if col.blank != "conditional" else f"incomplete when {col.required_when}"
            if col.blank == "error":
                blank = "file rejected"
            rows.append({"column": col.name, "meaning": col.label, "valid values": col.describe_values(), "if blank": blank})
        return pd.DataFrame(rows)


def _column(entry: dict) -> Column:
    return Column(
        name=entry["name"],
        label=entry.get("label", entry["name"]),
        type=entry["type"],
        blank=entry["blank"],
        minimum=entry.get("min"),
        maximum=entry.get("max"),
        codes={int(k): v for k, v in (entry.get("codes") or {}).items()},
        unique=bool(entry.get("unique", False)),
        required_when=entry.get("required_when"),
    )


@lru_cache(maxsize=4)
def load_codebook(path: Path | None = None) -> Codebook:
    """Read and check ``data/codebook.yaml`` (or ``path``)."""
    path = Path(path) if path else data_dir() / "codebook.yaml"
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    columns = tuple(_column(e) for e in raw["columns"])
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: column names repeat")
    coping = raw["coping"]
    unknown = [i for f in coping["factors"].values() for i in f["items"] if i not in names]
    if unknown:
        raise ValueError(f"{path}: coping items not among the columns: {unknown}")
    return Codebook(
        columns=columns,
        cross_rules=tuple(raw.get("cross_rules", [])),
        inclusion=raw["inclusion"],
        derived=raw["derived"],
        factors=coping["factors"],
        orientations=coping["orientations"],
        path=path,
    )

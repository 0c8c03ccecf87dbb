"""What a chapter glues: computed values (with their tier), published numbers by provenance key, and tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Facts:
    """Everything a chapter shows, computed in one tested function; :meth:`glue_onto` puts it on the page.

    ``values`` are computed numbers and generated phrases (the page's tier unless ``tiers`` says otherwise);
    ``printed`` maps a glue key to a row of the page's published table (``(provenance key, as_text)``);
    ``sources`` says where a published value was read; ``tables`` are the frames the chapter displays and
    ``results`` any other objects its figures need (a fitted model, say).
    """

    values: dict[str, object] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    printed: dict[str, tuple[str, bool]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    results: dict[str, object] = field(default_factory=dict)

    def add(self, key: str, value, tier: str | None = None, source: str | None = None) -> None:
        """A computed fact (or, with ``tier="published"`` and its ``source``, a number read in a source)."""
        if key in self.values or key in self.printed:
            raise KeyError(f"fact {key!r} defined twice")
        self.values[key] = value
        if tier:
            self.tiers[key] = tier
        if source:
            self.sources[key] = source

    def add_printed(self, key: str, *, glue_key: str | None = None, as_text: bool = False) -> None:
        glue_key = glue_key or key
        if glue_key in self.values or glue_key in self.printed:
            raise KeyError(f"fact {glue_key!r} defined twice")
        self.printed[glue_key] = (key, as_text)

    def keys(self) -> set[str]:
        return set(self.values) | set(self.printed)

    def glue_onto(self, page, published: pd.DataFrame | None = None) -> None:
        """Glue every fact on ``page`` (a :class:`leftbehind.presentation.glue.Page`)."""
        for glue_key, (key, as_text) in self.printed.items():
            page.printed(key, published, glue_key=glue_key, as_text=as_text)
        for key, value in self.values.items():
            page.glue(key, value, tier=self.tiers.get(key), source=self.sources.get(key))

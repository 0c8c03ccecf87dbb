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
    ``results`` any other objects its figures need (a fitted model, say). ``printed_from`` names the provenance
    table of a printed fact when the page quotes more than one paper.

    Facts are glued in the order the chapter added them, so a page's stored outputs keep the order of its prose
    and a chapter moved into this class re-executes to the same twin.
    """

    values: dict[str, object] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    printed: dict[str, tuple[str, bool]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    results: dict[str, object] = field(default_factory=dict)
    printed_from: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    order: list[str] = field(default_factory=list, repr=False)

    def add(self, key: str, value, tier: str | None = None, source: str | None = None) -> None:
        """A computed fact (or, with ``tier="published"`` and its ``source``, a number read in a source)."""
        if key in self.values or key in self.printed:
            raise KeyError(f"fact {key!r} defined twice")
        self.values[key] = value
        if tier:
            self.tiers[key] = tier
        if source:
            self.sources[key] = source
        self.order.append(key)

    def add_printed(self, key: str, *, glue_key: str | None = None, as_text: bool = False,
                    table: pd.DataFrame | None = None) -> None:
        """A number quoted from a provenance table (row ``key``), glued under ``glue_key``.

        ``table`` is that provenance table; without it, :meth:`glue_onto` reads the row from its ``published``.
        """
        glue_key = glue_key or key
        if glue_key in self.values or glue_key in self.printed:
            raise KeyError(f"fact {glue_key!r} defined twice")
        self.printed[glue_key] = (key, as_text)
        if table is not None:
            self.printed_from[glue_key] = table
        self.order.append(glue_key)

    def keys(self) -> set[str]:
        return set(self.values) | set(self.printed)

    def glue_order(self) -> list[str]:
        """Every key in gluing order: facts given to the constructor (printed, then values), then those added."""
        added = [key for key in self.order if key in self.printed or key in self.values]
        seen = set(added)
        given = [key for key in (*self.printed, *self.values) if key not in seen]
        return given + added

    def glue_onto(self, page, published: pd.DataFrame | None = None) -> None:
        """Glue every fact on ``page`` (a :class:`leftbehind.presentation.glue.Page`), in :meth:`glue_order`."""
        for glue_key in self.glue_order():
            if glue_key in self.printed:
                key, as_text = self.printed[glue_key]
                page.printed(key, self.printed_from.get(glue_key, published), glue_key=glue_key, as_text=as_text)
            else:
                page.glue(glue_key, self.values[glue_key], tier=self.tiers.get(glue_key),
                          source=self.sources.get(glue_key))

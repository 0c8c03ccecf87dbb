"""From a survey file to the analysed rows, as a study spec says.

Order of work (every exclusion counted, nothing dropped silently):

1. **Raw columns** (only if the spec lists ``columns``): each must exist; values
   must have the declared type, range, allowed values or codes, or the file is
   rejected (:class:`~leftbehind.core.errors.UserError` naming file, column, rule and
   rows).  Codes are recoded to their level names.  A blank in a column with
   ``blank: error`` rejects the file; with ``blank: exclude`` (the default) the
   row is excluded and counted.
2. **Derived variables** (``expression`` conditions, ``bins`` of a column) and
   **scales** (mean of the items, reverse items flipped on the scale's range;
   Cronbach's alpha reported).  A comparison with a blank value is false.
3. **Exclusion rules** (``exclude``: keep rows where a condition holds).
4. **Complete cases**: rows missing any column the analysis uses (outcome, group,
   candidates) are excluded, counted per column.

Levels are compared as canonical text (:func:`leftbehind.spec.canonical`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.core.errors import UserError, fail_where, row_numbers
from leftbehind.spec.study import SpecError, StudySpec, canonical_series


@dataclass
class Prepared:
    """The analysed rows and how they were reached."""

    data: pd.DataFrame  # used columns; outcome as 0/1, group membership in column "_in_group"
    flow: list[dict]  # step, excluded, remaining, detail
    log: list[str]
    alpha: pd.DataFrame = field(default_factory=pd.DataFrame)
    outcome_values: dict = field(default_factory=dict)  # canonical level -> count among read rows

    @property
    def n_read(self) -> int:
        return self.flow[0]["remaining"]

    @property
    def n_analysed(self) -> int:
        return len(self.data)


def read_table(path) -> pd.DataFrame:
    """Read a CSV (UTF-8, a byte-order mark tolerated) as text, every cell a string."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path}: file not found")
    if path.suffix.lower() in (".xlsx", ".xls"):
        raise UserError(f"{path}: a spreadsheet; save it as 'CSV UTF-8 (comma delimited)' and run on the .csv")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise UserError(f"{path}: not UTF-8 text (first bad byte at offset {err.start}); save it as CSV UTF-8") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise UserError(f"{path}: not a readable CSV table ({str(err).strip()})") from None


def _hint(name: str, columns) -> str:
    near = [c for c in columns if c.lower() == name.lower()] or difflib.get_close_matches(name, list(columns), n=1)
    return f" (found '{near[0]}': rename it or fix the spec)" if near else ""


def require(table: pd.DataFrame, names, source: str, why: str) -> None:
    """Raise naming every column in ``names`` the table lacks, with the nearest column found."""
    missing = [n for n in names if n not in table.columns]
    if missing:
        listed = "; ".join(f"'{n}'{_hint(n, table.columns)}" for n in missing)
        raise UserError(f"{source}: missing column(s) {listed}, needed by the spec's {why}")


def typed(values: pd.Series, canonical_already: bool = False) -> pd.Series:
    """Numbers where every non-missing value is a number, else canonical text; missing stays missing."""
    text = values if canonical_already else canonical_series(values)
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers[text.notna()].notna().all():
        return numbers.astype(float)
    return text.astype(object)


def _blank(values: pd.Series, missing: tuple[str, ...]) -> pd.Series:
    stripped = values.fillna("").astype(str).str.strip()
    return stripped.isin(missing) | (stripped == "")


def _check_raw_columns(raw: pd.DataFrame, spec: StudySpec, source: str) -> tuple[pd.DataFrame, dict]:
    """Rule-check and recode the declared raw columns; returns the recoded table and blank masks to exclude."""
    require(raw, [c.name for c in spec.columns], source, "columns list")
    out = raw.copy()
    exclude: dict[str, pd.Series] = {}
    for col in spec.columns:
        blank = _blank(raw[col.name], spec.missing_values)
        if col.blank == "error":
            fail_where(source, col.name, "is blank (the spec says a blank here makes the file invalid)", blank)
        values = canonical_series(raw[col.name].where(~blank))
        if col.type in ("integer", "number"):
            numbers = pd.to_numeric(values, errors="coerce")
            fail_where(source, col.name, f"is not a number (type {col.type})", values.notna() & numbers.isna())
            if col.type == "integer":
                fail_where(source, col.name, "is not a whole number", numbers.notna() & (numbers % 1 != 0))
            if col.minimum is not None:
                fail_where(source, col.name, f"is below the minimum {col.minimum:g}", numbers < col.minimum)
            if col.maximum is not None:
                fail_where(source, col.name, f"is above the maximum {col.maximum:g}", numbers > col.maximum)
        if col.enum is not None:
            fail_where(source, col.name, f"is not one of {', '.join(col.enum)}", values.notna() & ~values.isin(col.enum))
        if col.codes:
            fail_where(source, col.name, f"is not a valid code ({', '.join(col.codes)})",
                       values.notna() & ~values.isin(list(col.codes)))
            values = values.map(col.codes, na_action="ignore")
        out[col.name] = values
        if col.blank == "exclude":
            exclude[col.name] = blank
    return out, exclude


def _derive(frame: pd.DataFrame, spec: StudySpec, source: str) -> pd.DataFrame:
    for d in spec.derived:
        if d.expression is not None:
            try:
                with np.errstate(invalid="ignore"):
                    result = frame.eval(d.expression, engine="python")
            except Exception as err:  # pandas raises many kinds; the message is what matters
                raise SpecError(f"{spec.path}: key 'derived.{d.name}.expression' cannot be evaluated on {source}: "
                                f"{type(err).__name__}: {err}") from None
            result = pd.Series(result, index=frame.index)
            if result.dtype != bool:
                raise SpecError(f"{spec.path}: key 'derived.{d.name}.expression' must give true/false for each row "
                                f"(a condition such as \"x == 1 or y >= 6\")")
            frame[d.name] = np.where(result, d.values[0], d.values[1]).astype(object)
        else:
            require(frame, [d.column], source, f"derived.{d.name}")
            values = pd.to_numeric(frame[d.column], errors="coerce")
            level = pd.Series(None, index=frame.index, dtype=object)
            for name, (low, high) in d.bins.items():
                level = level.mask(values.between(low, high), name)
            frame[d.name] = level
    return frame


def _score(frame: pd.DataFrame, spec: StudySpec, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from leftbehind.survey.scoring import cronbach_alpha

    rows = []
    for scale in spec.scales:
        require(frame, scale.items, source, f"scales.{scale.name}")
        items = frame[list(scale.items)].apply(pd.to_numeric, errors="coerce")
        for item in scale.items:
            given = frame[item].notna()
            fail_where(source, item, f"is not a number (an item of scale {scale.name})", given & items[item].isna())
            fail_where(source, item, f"is outside the scale range {scale.low:g}-{scale.high:g} (scale {scale.name})",
                       items[item].notna() & ~items[item].between(scale.low, scale.high))
        for item in scale.reverse:
            items[item] = scale.low + scale.high - items[item]
        frame[scale.name] = items.mean(axis=1, skipna=False)
        complete = items.dropna()
        alpha = cronbach_alpha(complete) if len(scale.items) >= 2 and len(complete) >= 2 else float("nan")
        rows.append({"scale": scale.name, "label": scale.label, "items": len(scale.items),
                     "n": len(complete), "alpha": alpha})
    return frame, pd.DataFrame(rows)


def _step(flow: list[dict], step: str, keep: pd.Series, detail: dict | None = None) -> None:
    remaining = int(keep.sum())
    flow.append({"step": step, "excluded": flow[-1]["remaining"] - remaining, "remaining": remaining,
                 "detail": detail or {}})


def prepare(raw: pd.DataFrame, spec: StudySpec, source: str) -> Prepared:
    """Check, derive, score and exclude as ``spec`` says; see the module docstring."""
    raw = raw.reset_index(drop=True)
    flow = [{"step": "read", "excluded": 0, "remaining": len(raw), "detail": {}}]
    log = [f"read {len(raw):,} rows and {raw.shape[1]} columns from {source}",
           f"study spec: {spec.path}",
           f"data tier: {spec.tier} ({spec.tier_text})" + ("" if spec.tier_declared else
                                                          " -- the spec sets no 'tier', so data are treated as real")]
    if len(raw) == 0:
        raise UserError(f"{source}: the file has a header but no data rows")
    keep = pd.Series(True, index=raw.index)
    recoded, blank_exclude = _check_raw_columns(raw, spec, source) if spec.columns else (raw, {})
    if blank_exclude:
        any_blank = pd.concat(blank_exclude, axis=1).any(axis=1)
        keep &= ~any_blank
        counts = {c: int(m.sum()) for c, m in blank_exclude.items() if m.any()}
        _step(flow, "blank in a column the spec requires", keep, counts)

    declared = {c.name for c in spec.columns}
    frame = pd.DataFrame({name: (typed(recoded[name].where(~_blank(recoded[name], spec.missing_values)))
                                 if name not in declared else typed(recoded[name], canonical_already=True))
                          for name in recoded.columns}, index=raw.index)
    frame = _derive(frame, spec, source)
    frame, alpha = _score(frame, spec, source)

    for rule in spec.exclude:
        try:
            with np.errstate(invalid="ignore"):
                passes = pd.Series(frame.eval(rule.keep, engine="python"), index=frame.index)
        except Exception as err:
            raise SpecError(f"{spec.path}: key 'exclude.{rule.id}.keep' cannot be evaluated on {source}: "
                            f"{type(err).__name__}: {err}") from None
        if passes.dtype != bool:
            raise SpecError(f"{spec.path}: key 'exclude.{rule.id}.keep' must give true/false for each row")
        keep &= passes
        _step(flow, f"exclusion rule {rule.id}" + (f" ({rule.description})" if rule.description else ""), keep)

    require(frame, spec.used_columns, source, "outcome, group and candidate predictors")
    outcome = canonical_series(frame[spec.outcome])
    outcome_values = outcome[keep].value_counts().to_dict()
    if spec.event not in set(outcome.dropna()):
        found = ", ".join(sorted(map(str, outcome.dropna().unique()))[:12])
        raise UserError(f"{source}: outcome.event '{spec.event}' never occurs in column '{spec.outcome}' "
                        f"(values found: {found}); fix outcome.event in {spec.path}")
    group = canonical_series(frame[spec.group])
    for key, value in (("group.value", spec.group_value), ("group.rest_value", spec.rest_value)):
        if value is not None and value not in set(group.dropna()):
            found = ", ".join(sorted(map(str, group.dropna().unique()))[:12])
            raise UserError(f"{source}: {key} '{value}' never occurs in column '{spec.group}' "
                            f"(values found: {found}); fix {key} in {spec.path}")
    for name in spec.continuous:
        values = frame[name]
        if values.dtype == object:
            numbers = pd.to_numeric(values, errors="coerce")
            bad = values.notna() & numbers.isna()
            raise UserError(f"{source}: column '{name}' is listed under continuous but holds text "
                            f"(e.g. {values[bad].iloc[0]!r}) in row(s) {row_numbers(bad)}")

    missing = {name: frame[name].isna() & keep for name in spec.used_columns}
    complete = keep & ~pd.concat(missing, axis=1).any(axis=1)
    _step(flow, "missing a value the analysis uses (complete cases)", complete,
          {name: int(m.sum()) for name, m in missing.items() if m.any()})
    keep = complete
    if spec.rest_value is not None:
        keep = keep & group.isin([spec.group_value, spec.rest_value])
        _step(flow, f"{spec.group} neither {spec.group_value} nor {spec.rest_value}", keep)

    data = pd.DataFrame(index=frame.index[keep])
    data[spec.outcome] = (outcome[keep] == spec.event).astype(int)
    data["_in_group"] = group[keep] == spec.group_value
    for c in spec.categorical:
        data[c.name] = canonical_series(frame.loc[keep, c.name])
    for name in spec.continuous:
        data[name] = frame.loc[keep, name].astype(float) / spec.per.get(name, 1.0)
    if spec.group not in data.columns:
        data[spec.group] = group[keep]
    for entry in flow[1:]:
        if entry["excluded"]:
            detail = "; ".join(f"{k}: {v:,}" for k, v in entry["detail"].items())
            log.append(f"dropped {entry['excluded']:,} rows: {entry['step']}" + (f" ({detail})" if detail else ""))
    log.append(f"analysed {len(data):,} of {len(raw):,} rows")
    if len(data) == 0:
        raise UserError(f"{source}: no row is left to analyse after the exclusions ("
                        + "; ".join(f"{e['step']}: {e['excluded']:,}" for e in flow[1:] if e["excluded"]) + ")")
    return Prepared(data=data.reset_index(drop=True), flow=flow, log=log, alpha=alpha, outcome_values=outcome_values)

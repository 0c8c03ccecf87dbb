"""A study specification: everything study-specific about an analysis, in one YAML file.

The smallest useful spec names a binary outcome, a group and the candidate
predictors (see ``docs`` in :data:`MINIMAL_EXAMPLE`); richer specs add the raw
columns (types, codes, blank rules), derived variables, scales, exclusion rules,
labels and the data tier.  :func:`load_spec` reads and checks a file and raises
:class:`SpecError` (a :class:`~leftbehind.core.errors.UserError`) naming the file and
the key for anything wrong, so a student never meets a traceback.

Raw columns: an open standard, our own checker
-----------------------------------------------
The ``columns`` list uses the field descriptors of the Frictionless **Table
Schema** (``name``, ``type``, ``title``, ``description``, ``constraints`` with
``required``/``minimum``/``maximum``/``enum``; the spec's ``missing_values`` is
Table Schema's ``missingValues``), which allows extra properties; we add two:
``codes`` (raw code -> level name) and ``blank`` (``exclude`` the row and count
it, ``error`` reject the file, or ``allow``).  A student who knows Table Schema
can read the file, and a descriptor exported from another tool needs little
editing.  We check it with our own ~80 lines (:mod:`leftbehind.survey.prepare`)
rather than the ``frictionless`` or ``pandera`` packages, though both are
maintained: ``frictionless`` brings a large dependency tree into every
student's set-up and reports problems in its own format that we would still
translate into messages naming the file, column, rule and rows; pandera's
schemas are Python objects (its YAML form is its own, not a standard); and
neither has the rule that matters most here, that a blank answer excludes a
questionnaire *and is counted* rather than invalidating the file.

Values that name a level (the outcome's event, the group's value, a reference
level) are compared with the data as *canonical text*: whole numbers are written
without decimals (``7`` and ``7.0`` are the same level), everything else as
written.  :func:`canonical` does this for both sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from leftbehind.core.errors import UserError

#: Data tiers a spec may declare.  Real data a user brings are never called synthetic.
TIERS = {
    "real": "real survey data",
    "synthetic": "synthetic data (generated, not real people)",
    "published": "published data",
}
#: Tier when a spec does not say: data a user brings are real.
DEFAULT_TIER = "real"
#: Counts below this are not published from real data unless the spec sets ``disclosure: {threshold: N}``.
DEFAULT_DISCLOSURE_THRESHOLD = 5
#: The smallest threshold a spec may set: with 2, a published cell of two lets each member infer the other's answer.
MIN_DISCLOSURE_THRESHOLD = 3
#: Backward elimination's removal probability (SPSS default), as in the book.
DEFAULT_P_REMOVE = 0.10

TOP_KEYS = {
    "study", "tier", "outcome", "group", "categorical", "continuous", "model_within", "p_remove",
    "columns", "missing_values", "derived", "scales", "exclude", "labels", "disclosure",
}

MINIMAL_EXAMPLE = """\
outcome: {column: self_harm_12m, event: "yes"}
group: {column: parent_migrated, value: 1, label: left-behind, rest_label: not left-behind}
categorical: {sex: boy, grade: 7}
continuous: [age, sleep_hours]
model_within: all
"""


class SpecError(UserError):
    """A study specification that cannot be used; the message names the file and the key."""


def canonical(value) -> str | None:
    """A level as canonical text: ``7``, ``7.0`` and ``"7"`` give ``"7"``; missing gives None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int,)):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    if math.isfinite(number) and number.is_integer() and text.lstrip("+-").replace(".", "", 1).isdigit():
        return str(int(number))
    return text


def canonical_series(values):
    """:func:`canonical` for a whole pandas Series at once (missing and blank give None)."""
    import pandas as pd

    values = pd.Series(values)
    if len(values) == 0:
        return pd.Series([], index=values.index, dtype=object)
    is_text = values.map(lambda v: isinstance(v, str))
    if not is_text.all():  # numbers, booleans, missing: one by one (text files never get here)
        out = values.astype(object).map(canonical)
        if is_text.any():
            out[is_text] = canonical_series(values[is_text])
        return out
    text = values.str.strip().astype("string")
    text = text.mask(text == "")
    numbers = pd.to_numeric(text, errors="coerce")
    out = text.astype(object).where(text.notna(), None)
    candidates = numbers.notna() & (numbers % 1 == 0)
    if candidates.any():
        as_int = numbers[candidates].astype("int64").astype(str)
        differs = as_int != text[candidates]  # e.g. "7.0", "007", "+7", "1e3": only the plain forms become "7"
        plain = text[candidates][differs].str.fullmatch(r"[+-]?\d*\.?\d*").fillna(False).astype(bool)
        keep = differs[differs].index[~plain.to_numpy()]
        as_int = as_int.drop(index=keep)
        out[as_int.index] = as_int
    return out


@dataclass(frozen=True)
class Categorical:
    """A categorical candidate predictor and its reference level (canonical text)."""

    name: str
    reference: str
    label: str


@dataclass(frozen=True)
class RawColumn:
    """One raw column (a Frictionless Table Schema field descriptor plus ``codes`` and ``blank``)."""

    name: str
    type: str = "string"  # string | integer | number
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] | None = None
    codes: dict = field(default_factory=dict)  # canonical raw code -> level
    blank: str = "exclude"  # exclude | error | allow


@dataclass(frozen=True)
class Scale:
    """A scale score: the mean of its items after reversing ``reverse`` items on ``range``."""

    name: str
    items: tuple[str, ...]
    low: float
    high: float
    reverse: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Derived:
    """A derived variable: ``expression`` (a pandas query giving true/false) or ``bins`` of a column."""

    name: str
    expression: str | None = None
    values: tuple[str, str] = ("1", "0")  # (when true, when false)
    column: str | None = None
    bins: dict = field(default_factory=dict)  # level -> (low, high), inclusive
    description: str = ""


@dataclass(frozen=True)
class Exclusion:
    """Keep only rows where ``keep`` (a pandas query) is true; the others are excluded and counted."""

    id: str
    keep: str
    description: str = ""


@dataclass(frozen=True)
class StudySpec:
    """A checked study specification (see the module docstring)."""

    path: Path
    outcome: str
    event: str
    group: str
    group_value: str
    label: str
    rest_label: str
    categorical: tuple[Categorical, ...]
    continuous: tuple[str, ...]
    per: dict = field(default_factory=dict)  # continuous name -> unit its odds ratio is per (values divided by it)
    model_within: str = "all"
    p_remove: float = DEFAULT_P_REMOVE
    tier: str = DEFAULT_TIER
    tier_declared: bool = False
    rest_value: str | None = None
    columns: tuple[RawColumn, ...] = ()
    missing_values: tuple[str, ...] = ("", "NA")
    derived: tuple[Derived, ...] = ()
    scales: tuple[Scale, ...] = ()
    exclude: tuple[Exclusion, ...] = ()
    labels: dict = field(default_factory=dict)
    study: dict = field(default_factory=dict)
    outcome_label: str = ""
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD  # counts below this are suppressed in release outputs of real data

    @property
    def candidates(self) -> list[str]:
        """Candidate predictors in the order they enter the full model."""
        return [c.name for c in self.categorical] + list(self.continuous)

    @property
    def used_columns(self) -> list[str]:
        """Every analysis column the spec uses (outcome, group, candidates), without repeats."""
        seen: list[str] = []
        for name in [self.outcome, self.group, *self.candidates]:
            if name not in seen:
                seen.append(name)
        return seen

    @property
    def tier_text(self) -> str:
        return TIERS[self.tier]

    def label_of(self, name: str) -> str:
        """Readable name of a variable or term from ``labels`` (falls back to the name)."""
        if name in self.labels:
            return self.labels[name]
        if "[" in name:
            variable, level = name[:-1].split("[", 1)
            reference = next((c.reference for c in self.categorical if c.name == variable), None)
            base = self.labels.get(variable, variable)
            return f"{base}: {level} (vs {reference})" if reference is not None else f"{base}: {level}"
        return name


class _Reader:
    """Reads keys of a YAML mapping and raises SpecError naming the file and key path."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str) -> None:
        raise SpecError(f"{self.path}: key '{key}' {problem}")

    def mapping(self, value, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"must be a mapping (key: value pairs), got {_kind(value)}")
        return value

    def text(self, value, key: str) -> str:
        if isinstance(value, bool):
            self.fail(key, "was read as true/false: YAML reads unquoted yes/no/on/off/true/false that way; "
                           "write the value in quotes, e.g. \"yes\"")
        if value is None or isinstance(value, (dict, list)):
            self.fail(key, f"must be a single value, got {_kind(value)}")
        text = canonical(value)
        if text is None:
            self.fail(key, "is empty")
        return text

    def name(self, value, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"must be a column name (text), got {_kind(value)}")
        return value.strip()

    def number(self, value, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"must be a number, got {_kind(value)}")
        return float(value)

    def names(self, value, key: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(key, f"must be a list of column names, got {_kind(value)}")
        return [self.name(v, f"{key}[{i}]") for i, v in enumerate(value)]

    def known(self, mapping: dict, allowed: set[str], key: str) -> None:
        unknown = sorted(set(map(str, mapping)) - allowed)
        if unknown:
            where = f"key '{key}'" if key else "the top level"
            raise SpecError(f"{self.path}: unknown key(s) {', '.join(unknown)} in {where} "
                            f"(allowed: {', '.join(sorted(allowed))})")


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _required(r: _Reader, raw: dict, key: str, parent: str = ""):
    if key not in raw or raw[key] is None:
        r.fail(f"{parent}.{key}" if parent else key, "is required but missing")
    return raw[key]


def _categorical(r: _Reader, raw) -> tuple[Categorical, ...]:
    out = []
    for name, entry in r.mapping(raw, "categorical").items():
        key = f"categorical.{name}"
        if isinstance(entry, dict):
            r.known(entry, {"reference", "label"}, key)
            reference = r.text(_required(r, entry, "reference", key), f"{key}.reference")
            label = str(entry.get("label", name))
        else:
            reference, label = r.text(entry, key), str(name)
        out.append(Categorical(r.name(name, key), reference, label))
    return tuple(out)


def _continuous(r: _Reader, raw) -> tuple[tuple[str, ...], dict, dict]:
    if isinstance(raw, dict):  # richer form: {income: {label: "Income", per: 10000}}
        labels, per = {}, {}
        for name, entry in raw.items():
            if entry is not None:
                r.known(r.mapping(entry, f"continuous.{name}"), {"label", "per"}, f"continuous.{name}")
                if "per" in entry:
                    per[str(name)] = r.number(entry["per"], f"continuous.{name}.per")
                    if per[str(name)] <= 0:
                        r.fail(f"continuous.{name}.per", "must be a positive number (the unit an odds ratio is per)")
                if "label" in entry:
                    labels[str(name)] = str(entry["label"])
                elif str(name) in per:
                    labels[str(name)] = f"{name} (per {per[str(name)]:g})"
        return tuple(r.name(n, f"continuous.{n}") for n in raw), labels, per
    return tuple(r.names(raw, "continuous")), {}, {}


def _columns(r: _Reader, raw, base: Path) -> tuple[RawColumn, ...]:
    if isinstance(raw, dict):
        r.known(raw, {"codebook"}, "columns")
        return _codebook_columns(r, base / r.name(raw["codebook"], "columns.codebook"))
    if not isinstance(raw, list):
        r.fail("columns", "must be a list of column descriptors (Table Schema fields) or {codebook: FILE}")
    out = []
    for i, entry in enumerate(raw):
        key = f"columns[{i}]"
        entry = r.mapping(entry, key)
        r.known(entry, {"name", "type", "title", "description", "constraints", "codes", "blank"}, key)
        name = r.name(_required(r, entry, "name", key), f"{key}.name")
        key = f"columns.{name}"
        kind = entry.get("type", "string")
        if kind not in ("string", "integer", "number"):
            r.fail(f"{key}.type", f"must be string, integer or number, got {kind!r}")
        constraints = r.mapping(entry.get("constraints", {}) or {}, f"{key}.constraints")
        r.known(constraints, {"minimum", "maximum", "enum", "required"}, f"{key}.constraints")
        blank = entry.get("blank", "error" if constraints.get("required") else "exclude")
        if blank not in ("exclude", "error", "allow"):
            r.fail(f"{key}.blank", f"must be exclude, error or allow, got {blank!r}")
        codes = {r.text(k, f"{key}.codes"): r.text(v, f"{key}.codes.{k}")
                 for k, v in r.mapping(entry.get("codes", {}) or {}, f"{key}.codes").items()}
        enum = constraints.get("enum")
        out.append(RawColumn(
            name=name, type=kind,
            minimum=None if constraints.get("minimum") is None else r.number(constraints["minimum"], f"{key}.constraints.minimum"),
            maximum=None if constraints.get("maximum") is None else r.number(constraints["maximum"], f"{key}.constraints.maximum"),
            enum=None if enum is None else tuple(r.text(v, f"{key}.constraints.enum") for v in enum),
            codes=codes, blank=blank,
        ))
    names = [c.name for c in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        r.fail("columns", f"names a column more than once: {', '.join(repeated)}")
    return tuple(out)


def _codebook_columns(r: _Reader, path: Path) -> tuple[RawColumn, ...]:
    """The raw columns of a codebook in the ``data/codebook.yaml`` format, as spec columns."""
    from leftbehind.spec.codebook import load_codebook

    if not path.exists():
        r.fail("columns.codebook", f"names {path}, which does not exist")
    book = load_codebook(path)
    blank = {"error": "error", "incomplete": "exclude", "conditional": "allow"}
    out = []
    for col in book.columns:
        kind = "string" if col.type == "text" else "integer"
        out.append(RawColumn(
            name=col.name, type=kind, minimum=col.minimum, maximum=col.maximum,
            codes={str(code): str(entry["level"]) for code, entry in col.codes.items()},
            blank=blank[col.blank],
        ))
    return tuple(out)


def _derived(r: _Reader, raw) -> tuple[Derived, ...]:
    out = []
    for name, entry in r.mapping(raw, "derived").items():
        key = f"derived.{name}"
        entry = r.mapping(entry, key)
        r.known(entry, {"expression", "values", "column", "bins", "description"}, key)
        if ("expression" in entry) == ("bins" in entry):
            r.fail(key, "needs exactly one of 'expression' (a condition) or 'bins' (levels from a column's ranges)")
        if "expression" in entry:
            values = entry.get("values", [1, 0])
            if not isinstance(values, list) or len(values) != 2:
                r.fail(f"{key}.values", "must be a list of two levels: [when true, when false]")
            out.append(Derived(str(name), expression=str(entry["expression"]),
                               values=(r.text(values[0], f"{key}.values"), r.text(values[1], f"{key}.values")),
                               description=str(entry.get("description", ""))))
        else:
            bins = {}
            for level, bounds in r.mapping(entry["bins"], f"{key}.bins").items():
                if not isinstance(bounds, list) or len(bounds) != 2:
                    r.fail(f"{key}.bins.{level}", "must be [low, high] (both included)")
                bins[r.text(level, f"{key}.bins")] = (r.number(bounds[0], f"{key}.bins.{level}"),
                                                     r.number(bounds[1], f"{key}.bins.{level}"))
            out.append(Derived(str(name), column=r.name(_required(r, entry, "column", key), f"{key}.column"),
                               bins=bins, description=str(entry.get("description", ""))))
    return tuple(out)


def _scales(r: _Reader, raw) -> tuple[Scale, ...]:
    out = []
    for name, entry in r.mapping(raw, "scales").items():
        key = f"scales.{name}"
        entry = r.mapping(entry, key)
        r.known(entry, {"items", "range", "reverse", "label"}, key)
        items = r.names(_required(r, entry, "items", key), f"{key}.items")
        if len(items) < 1:
            r.fail(f"{key}.items", "must list at least one item")
        bounds = _required(r, entry, "range", key)
        if not isinstance(bounds, list) or len(bounds) != 2:
            r.fail(f"{key}.range", "must be [lowest answer, highest answer]")
        low, high = r.number(bounds[0], f"{key}.range"), r.number(bounds[1], f"{key}.range")
        if low >= high:
            r.fail(f"{key}.range", f"must go from low to high, got [{bounds[0]}, {bounds[1]}]")
        reverse = r.names(entry.get("reverse", []) or [], f"{key}.reverse")
        stray = [i for i in reverse if i not in items]
        if stray:
            r.fail(f"{key}.reverse", f"lists {', '.join(stray)}, which are not among its items")
        out.append(Scale(str(name), tuple(items), low, high, tuple(reverse), str(entry.get("label", name))))
    return tuple(out)


def _exclusions(r: _Reader, raw) -> tuple[Exclusion, ...]:
    if not isinstance(raw, list):
        r.fail("exclude", "must be a list of rules, each {id, keep, description}")
    out = []
    for i, entry in enumerate(raw):
        key = f"exclude[{i}]"
        entry = r.mapping(entry, key)
        r.known(entry, {"id", "keep", "description"}, key)
        out.append(Exclusion(r.name(_required(r, entry, "id", key), f"{key}.id"),
                             str(_required(r, entry, "keep", key)), str(entry.get("description", ""))))
    return tuple(out)


def _disclosure(r: _Reader, raw) -> int:
    """``disclosure: {threshold: N}``: the smallest count published from real data (default 5, at least 3)."""
    entry = r.mapping(raw, "disclosure")
    r.known(entry, {"threshold"}, "disclosure")
    value = entry.get("threshold", DEFAULT_DISCLOSURE_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int):
        r.fail("disclosure.threshold", f"must be a whole number of respondents, got {_kind(value)}")
    if value < MIN_DISCLOSURE_THRESHOLD:
        r.fail("disclosure.threshold",
               f"is {value}, below the minimum of {MIN_DISCLOSURE_THRESHOLD}: a published cell of one or two respondents lets "
               f"each of them (and anyone who knows one of them) infer the other's answer; use "
               f"{MIN_DISCLOSURE_THRESHOLD} or more (the default is {DEFAULT_DISCLOSURE_THRESHOLD})")
    return value


def parse_spec(raw, path: Path) -> StudySpec:
    """Check a spec already read from YAML (``path`` is used in messages and for relative files)."""
    r = _Reader(path)
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: a study spec must be a YAML mapping of keys (outcome, group, …), got {_kind(raw)}")
    r.known(raw, TOP_KEYS, "")

    outcome = r.mapping(_required(r, raw, "outcome"), "outcome")
    r.known(outcome, {"column", "event", "label"}, "outcome")
    group = r.mapping(_required(r, raw, "group"), "group")
    r.known(group, {"column", "value", "label", "rest_label", "rest_value"}, "group")

    categorical = _categorical(r, raw.get("categorical") or {})
    continuous, continuous_labels, per = _continuous(r, raw.get("continuous") or [])
    names = [c.name for c in categorical] + list(continuous)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        r.fail("categorical/continuous", f"list(s) {', '.join(twice)} more than once")
    if not names:
        r.fail("categorical/continuous", "name no candidate predictor: list at least one")

    within = raw.get("model_within", "all")
    if within not in ("all", "group"):
        r.fail("model_within", f"must be 'all' (fit among everyone) or 'group' (fit among the group only), got {within!r}")
    p_remove = r.number(raw.get("p_remove", DEFAULT_P_REMOVE), "p_remove")
    if not 0 < p_remove < 1:
        r.fail("p_remove", f"must be between 0 and 1, got {p_remove}")
    tier = raw.get("tier", DEFAULT_TIER)
    if tier not in TIERS:
        r.fail("tier", f"must be one of {', '.join(TIERS)}, got {tier!r}")

    labels = {str(k): str(v) for k, v in r.mapping(raw.get("labels", {}) or {}, "labels").items()}
    labels = {**continuous_labels, **{c.name: c.label for c in categorical if c.label != c.name}, **labels}
    missing = raw.get("missing_values", ["", "NA"])
    if not isinstance(missing, list):
        r.fail("missing_values", "must be a list of the texts that mean a blank answer, e.g. [\"\", NA, \"-99\"]")

    outcome_column = r.name(_required(r, outcome, "column", "outcome"), "outcome.column")
    group_column = r.name(_required(r, group, "column", "group"), "group.column")
    if outcome_column == group_column:
        r.fail("group.column", "is the outcome column; the group must be another column")
    if outcome_column in names:
        r.fail("categorical/continuous", f"list the outcome column {outcome_column} as a predictor")
    spec = StudySpec(
        path=path,
        outcome=outcome_column,
        event=r.text(_required(r, outcome, "event", "outcome"), "outcome.event"),
        outcome_label=str(outcome.get("label", outcome_column)),
        group=group_column,
        group_value=r.text(_required(r, group, "value", "group"), "group.value"),
        label=str(group.get("label", f"{group_column} = {group['value']}")),
        rest_label=str(group.get("rest_label", f"{group_column} other")),
        rest_value=None if group.get("rest_value") is None else r.text(group["rest_value"], "group.rest_value"),
        categorical=categorical,
        continuous=continuous,
        per=per,
        model_within=within,
        p_remove=p_remove,
        tier=tier,
        tier_declared="tier" in raw,
        columns=_columns(r, raw["columns"], path.parent) if raw.get("columns") is not None else (),
        missing_values=tuple(str(m) for m in missing),
        derived=_derived(r, raw.get("derived") or {}),
        scales=_scales(r, raw.get("scales") or {}),
        exclude=_exclusions(r, raw.get("exclude") or []),
        labels=labels,
        study=r.mapping(raw.get("study", {}) or {}, "study"),
        disclosure_threshold=_disclosure(r, raw["disclosure"]) if raw.get("disclosure") is not None
        else DEFAULT_DISCLOSURE_THRESHOLD,
    )
    if spec.label == spec.rest_label:
        r.fail("group.rest_label", f"must differ from group.label ({spec.label!r}): both name keys of the results")
    if spec.model_within == "group" and spec.group in names:
        r.fail("model_within", f"is 'group' but the group column {spec.group} is also a candidate (it never varies there)")
    return spec


def load_spec(path) -> StudySpec:
    """Read and check a study specification (YAML); :class:`SpecError` names the file and key of any problem."""
    path = Path(path)
    if not path.exists():
        raise SpecError(f"{path}: spec file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as err:
        raise SpecError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); save the spec as UTF-8") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(f"{path}: not valid YAML{where}: {getattr(err, 'problem', err)}") from None
    return parse_spec(raw, path)

"""Tables 7 and 8: backward logistic regressions among left-behind children.

* **Table 7** (``nssi_lbc``): which characteristics and coping factors go with
  NSSI among left-behind children (outcome ``nssi``, all LBC).
* **Table 8** (``help_lbc_nssi``): which go with professional help among LBC
  who reported NSSI (outcome ``professional``).

Both start from the same candidates as the paper (demographics, family
structure, parents' education, the seven coping factors) and select variables
with :func:`leftbehind.stats.stepwise.backward_lr` (SPSS "Backward: LR" equivalent).
Categorical variables are dummy coded against the reference categories of the
analysis contract and leave the model as blocks.  Coefficients are reported as
SPSS prints them: B, S.E., Wald (= (B/SE)^2, 1 df), p, Exp(B) and its 95 % Wald
confidence interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from leftbehind.core.errors import UserError
from leftbehind.stats.estimable import LOW_EPV, NotEstimable, Problem, check_logistic, collect_warnings, rank_problems, warning_summary
from leftbehind.stats.fast_logit import single_threaded_blas
from leftbehind.stats.stepwise import EliminationResult, backward_lr
from leftbehind.stats.stepwise_fast import backward_lr_fast
from leftbehind.presentation.vocabulary import labels

#: Categorical candidates with their levels; the first level is the reference.
CATEGORICAL = {
    "gender": ["boy", "girl"],
    "stage": ["primary", "junior", "senior"],
    "only_child": ["no", "yes"],
    "residence": ["rural", "county_town"],
    "boarder": ["no", "yes"],
    "father_edu": ["below_junior", "junior_middle", "senior_middle", "college"],
    "mother_edu": ["below_junior", "junior_middle", "senior_middle", "college"],
    "family": ["nuclear", "single_parent", "remarried"],
}
#: The seven CSSMSS coping factors (item means, 1-4).
COPING_FACTORS = [
    "problem_solving",
    "social_support",
    "positive_reappraisal",
    "patience",
    "escape",
    "venting",
    "fantasy_denial",
]
#: A log-odds standard error above this flags a (quasi-)separated term.
SEPARATION_SE = 10.0
#: Candidate variables in the order they enter the full model.
CANDIDATES = list(CATEGORICAL) + COPING_FACTORS
#: From this many rows on, the elimination uses the fast fits (:mod:`leftbehind.stats.stepwise_fast`, equal to
#: statsmodels' to 1e-8 by its tests); below it statsmodels' own fits take seconds.  Both run on one BLAS thread.
FAST_FROM_ROWS = 20_000

#: Readable names of the seven coping factors and of the model terms, from the one vocabulary
#: (``data/vocabulary.csv``), shared by every table and figure.
FACTOR_NAMES = labels(COPING_FACTORS)
#: Readable names of the candidate variables (blocks) for tables and figures, from the one vocabulary.
VARIABLE_NAMES = {**labels(CATEGORICAL), **FACTOR_NAMES}
TERM_NAMES = {
    **labels(f"{name}[{level}]" for name, levels in CATEGORICAL.items() for level in levels[1:]),
    **FACTOR_NAMES,
}


@dataclass(frozen=True)
class ModelOptions:
    """What a user can change so a model becomes estimable: leave variables out, merge categories.

    ``drop`` lists candidate variables to leave out of both models; ``merge`` maps a
    categorical variable to groups of its levels that become one category (named
    ``a+b``).  The command line spells them ``--drop VAR`` and ``--merge VAR=a,b``.
    """

    drop: tuple[str, ...] = ()
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_cli(cls, drop: list[str] | None = None, merge: list[str] | None = None) -> "ModelOptions":
        """Parse ``--drop`` values and ``--merge VAR=a,b`` strings; raise :class:`UserError` when invalid."""
        groups = []
        for text in merge or []:
            if "=" not in text:
                raise UserError(f"--merge expects VARIABLE=level,level (e.g. father_edu=senior_middle,college), got {text!r}")
            name, levels = text.split("=", 1)
            groups.append((name.strip(), tuple(lv.strip() for lv in levels.split(",") if lv.strip())))
        options = cls(tuple(d.strip() for d in drop or []), tuple(groups))
        options.validate()
        return options

    def validate(self) -> None:
        for name in self.drop:
            if name not in CANDIDATES:
                raise UserError(f"--drop {name}: not a model variable; the candidates are {', '.join(CANDIDATES)}")
        if len(set(self.drop)) == len(CANDIDATES):
            raise UserError("--drop: at least one candidate variable must stay in the models")
        for name, levels in self.merge:
            if name not in CATEGORICAL:
                raise UserError(f"--merge {name}=...: not a categorical model variable; "
                                f"the categorical ones are {', '.join(CATEGORICAL)}")
            unknown = [lv for lv in levels if lv not in CATEGORICAL[name]]
            if unknown or len(set(levels)) < 2:
                raise UserError(f"--merge {name}={','.join(levels)}: give two or more of its levels "
                                f"({', '.join(CATEGORICAL[name])})" + (f"; unknown: {', '.join(unknown)}" if unknown else ""))

    def candidates(self) -> list[str]:
        return [c for c in CANDIDATES if c not in self.drop]

    def levels(self) -> dict[str, list[str]]:
        """Each kept categorical variable's levels after merging (reference first)."""
        out = {}
        for name, levels in CATEGORICAL.items():
            if name in self.drop:
                continue
            levels = list(levels)
            for merged_name, group in self.merge:
                if merged_name == name:
                    label = "+".join(lv for lv in levels if lv in group)
                    first = min(levels.index(lv) for lv in group)
                    levels = [lv for lv in levels if lv not in group]
                    levels.insert(first, label)
            out[name] = levels
        return out

    def apply(self, data: pd.DataFrame) -> pd.DataFrame:
        """``data`` with merged categories relabelled (a copy; unchanged when nothing is merged)."""
        if not self.merge:
            return data
        data = data.copy()
        levels = self.levels()
        for name, _group in self.merge:
            if name in levels:
                mapping = {part: label for label in levels[name] for part in label.split("+")}
                data[name] = data[name].astype("object").map(lambda v, m=mapping: m.get(v, v))
        return data

    def describe(self) -> str:
        parts = [f"--drop {d}" for d in self.drop] + [f"--merge {n}={','.join(g)}" for n, g in self.merge]
        return " ".join(parts) or "(none)"


def _first_rows(mask: pd.Series, limit: int = 5) -> str:
    positions = np.flatnonzero(mask.to_numpy())[:limit] + 1
    return ", ".join(str(p) for p in positions)


def design_matrix(data: pd.DataFrame, source: str = "analysis dataset", options: ModelOptions | None = None,
                  ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Dummy-code the candidates; return the design (no constant) and the blocks.

    With ``options``, dropped variables are left out and merged categories are
    expected already relabelled (:meth:`ModelOptions.apply`).  Raises
    :class:`UserError` for a missing column, a blank value or an unknown
    level, naming the column, the rule and the first 1-based data rows.
    """
    options = options or ModelOptions()
    candidates = options.candidates()
    missing = [c for c in candidates if c not in data.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)} needed for the regression models")
    columns: dict[str, np.ndarray] = {}
    blocks: dict[str, list[str]] = {}
    for name, levels in options.levels().items():
        values = data[name].astype("object")
        blank = values.isna()
        if blank.any():
            raise UserError(f"{source}: column '{name}' is blank in data row(s) {_first_rows(blank)}")
        unknown = ~values.isin(levels)
        if unknown.any():
            raise UserError(
                f"{source}: column '{name}' must be one of {', '.join(levels)}; "
                f"other values in data row(s) {_first_rows(unknown)}"
            )
        blocks[name] = []
        for level in levels[1:]:
            label = f"{name}[{level}]"
            columns[label] = (values == level).to_numpy(dtype=float)
            blocks[name].append(label)
    for name in [f for f in COPING_FACTORS if f in candidates]:
        values = pd.to_numeric(data[name], errors="coerce")
        bad = values.isna() | (values < 1) | (values > 4)
        if bad.any():
            raise UserError(
                f"{source}: column '{name}' must be a score between 1 and 4; "
                f"blank or out of range in data row(s) {_first_rows(bad)}"
            )
        columns[name] = values.to_numpy(dtype=float)
        blocks[name] = [name]
    return pd.DataFrame(columns, index=data.index), blocks


def coefficient_table(result: EliminationResult) -> pd.DataFrame:
    """B, SE, Wald, p, OR and 95 % CI of the final model (SPSS "Variables in the Equation")."""
    fit = result.fit
    b = np.asarray(fit.params)
    se = np.asarray(fit.bse)
    wald = (b / se) ** 2
    z = stats.norm.ppf(0.975)
    with np.errstate(over="ignore"):  # a separated term gives an infinite bound, shown as inf
        table = _coefficients(b, se, wald, z)
    table.index = pd.Index(result.columns, name="term")
    return table


def _coefficients(b: np.ndarray, se: np.ndarray, wald: np.ndarray, z: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "b": b,
            "se": se,
            "wald": wald,
            "p": stats.chi2.sf(wald, 1),
            "or": np.exp(b),
            "ci_low": np.exp(b - z * se),
            "ci_high": np.exp(b + z * se),
        }
    )


def _prepare(data: pd.DataFrame, outcome: str, source: str, options: "ModelOptions"):
    """Check the outcome, build the design and find what makes the model impossible to estimate."""
    if outcome not in data.columns:
        raise UserError(f"{source}: missing column '{outcome}' (model outcome)")
    y = pd.to_numeric(data[outcome], errors="coerce")
    bad = ~y.isin([0, 1])
    if bad.any():
        raise UserError(f"{source}: column '{outcome}' must be 0 or 1 for the model; other values in data row(s) {_first_rows(bad)}")
    data = options.apply(data)
    design, blocks = design_matrix(data, source, options)
    levels = options.levels()
    n, events = int(len(y)), int(y.sum())
    problems = check_logistic(
        y.to_numpy(dtype=float),
        {v: data[v].astype("object").reset_index(drop=True) for v in levels},
        {v: data[v].reset_index(drop=True) for v in blocks if v not in levels},
        levels, outcome, group=source,
    )
    if not problems and np.linalg.matrix_rank(np.column_stack([np.ones(n), design.to_numpy(float)])) < design.shape[1] + 1:
        problems = rank_problems(design, blocks)
    return data, y, design, blocks, levels, problems


def estimability_problems(data: pd.DataFrame, outcome: str, source: str = "analysis dataset",
                          options: "ModelOptions | None" = None) -> list[Problem]:
    """Why the model of ``outcome`` cannot be estimated from ``data`` (empty when it can), without fitting it."""
    return _prepare(data, outcome, source, options or ModelOptions())[-1]


def fit_backward(data: pd.DataFrame, outcome: str, source: str = "analysis dataset",
                 options: ModelOptions | None = None) -> dict:
    """Run the backward elimination for ``outcome`` on ``data``; return the model record.

    The record is JSON-able: ``retained`` (variables), ``steps`` (every step's LR
    tests), ``terms`` (final coefficients by term label), ``constant``, ``n``,
    ``events``, ``candidate_parameters`` and ``events_per_variable`` (events per
    candidate parameter, the usual EPV), plus the same for the final model, and
    ``warnings`` (numerical warnings in plain words).

    Raises :class:`leftbehind.stats.estimable.NotEstimable` (with the reasons, the
    variables and what to do) when the model cannot be estimated from these rows,
    and :class:`UserError` when the data break the analysis contract.
    """
    options = options or ModelOptions()
    data, y, design, blocks, levels, problems = _prepare(data, outcome, source, options)
    n, events = int(len(y)), int(y.sum())
    if problems:
        raise NotEstimable(problems, n, events)
    with collect_warnings() as caught:
        try:
            with single_threaded_blas():  # small matrix products: OpenBLAS's threads only contend for the cores
                eliminate = backward_lr_fast if n >= FAST_FROM_ROWS else backward_lr
                result = eliminate(design, y.to_numpy(dtype=float), blocks)
            coefficients = coefficient_table(result)
        except (RuntimeError, ValueError, np.linalg.LinAlgError) as err:
            raise NotEstimable([Problem(
                "not_converged", None, f"The logistic fit failed ({type(err).__name__}: {err}).",
                "leave out the variables with the fewest rows per category (--drop VAR) or merge sparse categories "
                "(--merge VAR=a,b).")], n, events) from None
    warnings_seen = warning_summary(caught)
    n_candidates = sum(len(v) for v in blocks.values())
    n_final = len(result.columns) - 1
    terms = {
        label: {key: float(value) for key, value in row.items()}
        for label, row in coefficients.drop(index="const").iterrows()
    }
    # a standard error this large on the log-odds scale means the term is (quasi-)separated
    separated = [t for t, v in terms.items() if v["se"] > SEPARATION_SE]
    if separated:
        owner = {c: v for v, cols in blocks.items() for c in cols}
        raise NotEstimable([Problem(
            "separation", owner[t], f"The estimate of {t} runs off to infinity (standard error "
            f"{terms[t]['se']:.0f} on the log-odds scale): the variable almost perfectly predicts the outcome.",
            f"leave it out (--drop {owner[t]})" + (f" or merge its categories (--merge {owner[t]}=a,b)."
                                                   if owner[t] in levels else "."),
        ) for t in separated], n, events)
    return {
        "outcome": outcome,
        "estimable": True,
        "retained": list(result.retained),
        "steps": [step.as_dict() for step in result.steps],
        "terms": terms,
        "constant": {key: float(v) for key, v in coefficients.loc["const"].items()},
        "n": n,
        "events": events,
        "candidate_parameters": int(n_candidates),
        "events_per_variable": events / n_candidates,
        "final_parameters": int(n_final),
        "events_per_variable_final": events / n_final if n_final else float("nan"),
        "minus_2ll": float(-2 * result.fit.llf),
        "reentry": result.reentry,
        "steps_not_converged": list(result.not_converged),
        "separation_suspected": separated,
        "options": options.describe(),
        "warnings": warnings_seen,
        "cautions": epv_cautions(events, n - events, n_candidates),
        "_result": result,
        "_candidates": list(blocks),
        "_levels": levels,
    }


def epv_cautions(events: int, non_events: int, parameters: int) -> list[str]:
    """A plain caution when there are fewer than 10 events (of the rarer outcome) per candidate parameter."""
    rarer = min(events, non_events)
    epv = rarer / parameters if parameters else float("nan")
    if epv < LOW_EPV:
        return [f"only {epv:.1f} events per candidate parameter ({rarer:,} events, {parameters} parameters; "
                f"about 10 are usually wanted): the selected variables and odds ratios are unstable -- "
                f"treat them as exploratory, or leave variables out (--drop VAR)."]
    return []


def table7_nssi_lbc(analysis: pd.DataFrame, options: ModelOptions | None = None) -> dict:
    """Table 7: backward LR logistic regression of NSSI among left-behind children."""
    lbc = analysis[analysis["lbc"].astype(bool)]
    return fit_backward(lbc, "nssi", "analysis dataset (LBC)", options)


def table8_help_lbc_nssi(analysis: pd.DataFrame, options: ModelOptions | None = None) -> dict:
    """Table 8: backward LR logistic regression of professional help among LBC with NSSI."""
    subset = analysis[analysis["lbc"].astype(bool) & (pd.to_numeric(analysis["nssi"]) == 1)]
    return fit_backward(subset, "professional", "analysis dataset (LBC with NSSI)", options)


def json_record(model: dict) -> dict:
    """The model record without the in-memory statsmodels result."""
    return {k: v for k, v in model.items() if not k.startswith("_")}


def steps_table(model: dict) -> pd.DataFrame:
    """Every elimination step as a table (one row per variable tested)."""
    return model["_result"].steps_table()


def terms_table(model: dict) -> pd.DataFrame:
    """Final coefficients as a table, with readable names."""
    table = pd.DataFrame(model["terms"]).T
    table.index.name = "term"
    table.insert(0, "name", [TERM_NAMES.get(t, t) for t in table.index])
    return table


def forest_figure(model: dict, title: str, data: str = "synthetic cohort"):
    """A forest plot of the final model's odds ratios (the book's one forest plot); returns ``(fig, alt)``.

    The alt text is built from the plotted numbers: it names the terms whose interval lies above 1 and below 1.
    """
    from leftbehind.plots.forest import odds_ratio_forest_figure

    table = terms_table(model)
    return odds_ratio_forest_figure(list(table["name"]), table["or"], table["ci_low"], table["ci_high"], title=title,
                             tier=data, about=f"{title}; {data}, n = {model['n']:,}, {model['events']:,} events")



def model_comparisons(model: dict, prefix: str) -> pd.DataFrame:
    """One row per candidate term for :func:`leftbehind.paper.claims.attach_claims`.

    Retained terms carry their coefficient (``difference`` = B) and Wald p;
    removed terms carry the step and LR p at which their variable left.
    """
    removed_at = {s["removed"]: s for s in model["steps"] if s["removed"]}
    levels = model.get("_levels", CATEGORICAL)
    rows = []
    for variable in model.get("_candidates", CANDIDATES):
        labels = [variable] if variable in COPING_FACTORS else [f"{variable}[{lv}]" for lv in levels[variable][1:]]
        for label in labels:
            term = model["terms"].get(label)
            if term is not None:
                rows.append({"comparison": f"{prefix}:{label}", "term": TERM_NAMES.get(label, label), "retained": True,
                             "difference": term["b"], "p": term["p"], "or": term["or"],
                             "ci_low": term["ci_low"], "ci_high": term["ci_high"], "note": ""})
            else:
                step = removed_at[variable]
                test = step["tests"][variable]
                rows.append({"comparison": f"{prefix}:{label}", "term": TERM_NAMES.get(label, label), "retained": False,
                             "difference": float("nan"), "p": float("nan"), "or": float("nan"),
                             "ci_low": float("nan"), "ci_high": float("nan"),
                             "note": f"removed at step {step['step']} (LR p = {test['p']:.3f})"})
    return pd.DataFrame(rows)

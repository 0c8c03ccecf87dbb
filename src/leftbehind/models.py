"""Tables 7 and 8: backward logistic regressions among left-behind children.

* **Table 7** (``nssi_lbc``): which characteristics and coping factors go with
  NSSI among left-behind children (outcome ``nssi``, all LBC).
* **Table 8** (``help_lbc_nssi``): which go with professional help among LBC
  who reported NSSI (outcome ``professional``).

Both start from the same candidates as the paper (demographics, family
structure, parents' education, the seven coping factors) and select variables
with :func:`leftbehind.stepwise.backward_lr` (SPSS "Backward: LR" equivalent).
Categorical variables are dummy coded against the reference categories of the
analysis contract and leave the model as blocks.  Coefficients are reported as
SPSS prints them: B, S.E., Wald (= (B/SE)^2, 1 df), p, Exp(B) and its 95 % Wald
confidence interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from leftbehind.errors import UserError
from leftbehind.figures import OKABE_ITO, show_figure
from leftbehind.stepwise import EliminationResult, backward_lr

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

#: Readable names of the seven coping factors (shared by every table and figure).
FACTOR_NAMES = {
    "problem_solving": "Problem-solving",
    "social_support": "Social-support seeking",
    "positive_reappraisal": "Positive reappraisal",
    "patience": "Patience",
    "escape": "Escape",
    "venting": "Venting",
    "fantasy_denial": "Fantasy/denial",
}

#: Readable names for the book's tables and figures.
TERM_NAMES = {
    "gender[girl]": "Girl (vs boy)",
    "stage[junior]": "Junior middle (vs primary)",
    "stage[senior]": "Senior middle (vs primary)",
    "only_child[yes]": "Only child",
    "residence[county_town]": "County town (vs rural)",
    "boarder[yes]": "Boarder",
    "family[single_parent]": "Single-parent family (vs nuclear)",
    "family[remarried]": "Remarried family (vs nuclear)",
    **FACTOR_NAMES,
}
for _parent in ("father", "mother"):
    for _level, _text in (("junior_middle", "junior middle"), ("senior_middle", "senior middle"), ("college", "college")):
        TERM_NAMES[f"{_parent}_edu[{_level}]"] = f"{_parent.title()}'s education: {_text}"


def _first_rows(mask: pd.Series, limit: int = 5) -> str:
    positions = np.flatnonzero(mask.to_numpy())[:limit] + 1
    return ", ".join(str(p) for p in positions)


def design_matrix(data: pd.DataFrame, source: str = "analysis dataset") -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Dummy-code the candidates; return the design (no constant) and the blocks.

    Raises :class:`UserError` for a missing column, a blank value or an unknown
    level, naming the column, the rule and the first 1-based data rows.
    """
    missing = [c for c in CANDIDATES if c not in data.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)} needed for the regression models")
    columns: dict[str, np.ndarray] = {}
    blocks: dict[str, list[str]] = {}
    for name, levels in CATEGORICAL.items():
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
    for name in COPING_FACTORS:
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


def fit_backward(data: pd.DataFrame, outcome: str, source: str = "analysis dataset") -> dict:
    """Run the backward elimination for ``outcome`` on ``data``; return the model record.

    The record is JSON-able: ``retained`` (variables), ``steps`` (every step's LR
    tests), ``terms`` (final coefficients by term label), ``constant``, ``n``,
    ``events``, ``candidate_parameters`` and ``events_per_variable`` (events per
    candidate parameter, the usual EPV), plus the same for the final model.
    """
    if outcome not in data.columns:
        raise UserError(f"{source}: missing column '{outcome}' (model outcome)")
    y = pd.to_numeric(data[outcome], errors="coerce")
    bad = ~y.isin([0, 1])
    if bad.any():
        raise UserError(f"{source}: column '{outcome}' must be 0 or 1 for the model; other values in data row(s) {_first_rows(bad)}")
    design, blocks = design_matrix(data, source)
    empty = [c for c in design.columns if design[c].nunique() < 2]
    if empty:
        raise UserError(
            f"{source}: cannot fit the '{outcome}' model: {', '.join(empty)} never varies "
            f"among the {len(design):,} rows (a category never occurs); merge or drop it first"
        )
    result = backward_lr(design, y.to_numpy(dtype=float), blocks)
    coefficients = coefficient_table(result)
    events = int(y.sum())
    n_candidates = sum(len(v) for v in blocks.values())
    n_final = len(result.columns) - 1
    terms = {
        label: {key: float(value) for key, value in row.items()}
        for label, row in coefficients.drop(index="const").iterrows()
    }
    return {
        "outcome": outcome,
        "retained": list(result.retained),
        "steps": [step.as_dict() for step in result.steps],
        "terms": terms,
        "constant": {key: float(v) for key, v in coefficients.loc["const"].items()},
        "n": int(len(y)),
        "events": events,
        "candidate_parameters": int(n_candidates),
        "events_per_variable": events / n_candidates,
        "final_parameters": int(n_final),
        "events_per_variable_final": events / n_final if n_final else float("nan"),
        "minus_2ll": float(-2 * result.fit.llf),
        "reentry": result.reentry,
        "steps_not_converged": list(result.not_converged),
        # a standard error this large on the log-odds scale means the term is (quasi-)separated
        "separation_suspected": [t for t, v in terms.items() if v["se"] > SEPARATION_SE],
        "_result": result,
    }


def table7_nssi_lbc(analysis: pd.DataFrame) -> dict:
    """Table 7: backward LR logistic regression of NSSI among left-behind children."""
    lbc = analysis[analysis["lbc"].astype(bool)]
    return fit_backward(lbc, "nssi", "analysis dataset (LBC)")


def table8_help_lbc_nssi(analysis: pd.DataFrame) -> dict:
    """Table 8: backward LR logistic regression of professional help among LBC with NSSI."""
    subset = analysis[analysis["lbc"].astype(bool) & (pd.to_numeric(analysis["nssi"]) == 1)]
    return fit_backward(subset, "professional", "analysis dataset (LBC with NSSI)")


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


def forest_plot(model: dict, title: str):
    """A forest plot of the final model's odds ratios; returns ``(fig, alt)``.

    The alt text is built from the plotted numbers: it names the terms whose
    interval lies above 1 and below 1.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    table = terms_table(model)
    order = table.sort_values("or")
    from leftbehind.figures import MAX_WIDTH_IN, wrap

    fig, ax = plt.subplots(figsize=(MAX_WIDTH_IN, 0.45 * len(order) + 1.4))
    ypos = np.arange(len(order))
    up = order["ci_low"] > 1
    down = order["ci_high"] < 1
    colours = np.where(up, OKABE_ITO["vermillion"], np.where(down, OKABE_ITO["blue"], OKABE_ITO["grey"]))
    ax.hlines(ypos, order["ci_low"], order["ci_high"], color=colours, linewidth=2)
    ax.scatter(order["or"], ypos, color=colours, zorder=3, marker="s")
    ax.axvline(1, color=OKABE_ITO["black"], linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8, 16) if order["ci_low"].min() / 1.5 <= t <= order["ci_high"].max() * 1.5]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks(ypos, order["name"])
    ax.set_xlabel("Odds ratio (log scale) with 95 % CI")
    ax.set_title(wrap(title, 46), loc="left")
    fig.tight_layout()

    def listing(rows: pd.DataFrame) -> str:
        items = [f"{r.name_} (OR {r.or_:.2f}, 95% CI {r.lo:.2f} to {r.hi:.2f})" for r in rows.itertuples()]
        return "; ".join(items) if items else "none"

    renamed = order.rename(columns={"name": "name_", "or": "or_", "ci_low": "lo", "ci_high": "hi"})
    alt = (
        f"Forest plot of odds ratios from the final backward-selected logistic model ({title}; synthetic cohort, "
        f"n = {model['n']:,}, {model['events']:,} events). Higher odds: {listing(renamed[up.to_numpy()])}. "
        f"Lower odds: {listing(renamed[down.to_numpy()])}. "
        f"Interval crossing 1: {listing(renamed[~(up | down).to_numpy()])}."
    )
    return fig, alt


def show_forest(model: dict, title: str, caption: str = "", tier: str | None = None):
    """Display :func:`forest_plot` through :func:`leftbehind.figures.show_figure` (``tier`` written inside it)."""
    fig, alt = forest_plot(model, title)
    return show_figure(fig, alt, caption, tier=tier)


def model_comparisons(model: dict, prefix: str) -> pd.DataFrame:
    """One row per candidate term for :func:`leftbehind.paper_claims.attach_claims`.

    Retained terms carry their coefficient (``difference`` = B) and Wald p;
    removed terms carry the step and LR p at which their variable left.
    """
    removed_at = {s["removed"]: s for s in model["steps"] if s["removed"]}
    rows = []
    for variable in CANDIDATES:
        labels = [variable] if variable in COPING_FACTORS else [f"{variable}[{lv}]" for lv in CATEGORICAL[variable][1:]]
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

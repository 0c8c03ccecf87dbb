"""Backward elimination for binary logistic regression, like SPSS "Backward: LR".

Yong et al. (2023) chose the predictors of Tables 7 and 8 with SPSS's backward
stepwise logistic regression.  This module rebuilds that procedure so the
choice can be inspected step by step:

1. Fit the model with every candidate variable (and a constant).
2. For each variable still in the model, refit the model *without* it and
   compute the likelihood-ratio statistic ``LR = 2 (llf_current - llf_without)``
   on ``df`` = number of design columns of that variable.  A categorical
   variable enters and leaves as one block (all its dummy columns at once).
3. If the largest p-value exceeds ``p_remove`` (0.10, SPSS's default "Removal"
   probability), drop that variable and go back to 2; otherwise stop.

Every step is recorded (the variables in the model, ``-2 log-likelihood``, the
LR test of every variable, and which one was removed).  Fits use
:class:`statsmodels.discrete.discrete_model.Logit` with Newton-Raphson, warm
started from the current estimates so a step costs a few iterations.

Where SPSS could differ
-----------------------
* **Removal statistic.**  SPSS offers three backward methods.  "Backward: LR"
  (``BSTEP(LR)``) refits each reduced model by maximum likelihood and uses the
  change in ``-2LL`` -- what this module does.  "Backward: Conditional"
  (``BSTEP(COND)``) approximates the reduced model's likelihood from the
  *conditional* parameter estimates of the current model without refitting, and
  "Backward: Wald" uses the Wald statistic; both can remove a different variable
  when predictors are correlated.  The paper only says "backward"; we assume LR.
* **Re-entry.**  SPSS's backward methods also test, after each removal, whether a
  previously removed variable should re-enter (score test, entry probability
  0.05).  Re-entry of a variable removed at p > 0.10 requires its p to fall
  below 0.05 after other removals, which is rare; this module does not re-enter
  variables but reports, for the final model, the LR p of adding each removed
  variable back (:attr:`EliminationResult.reentry`), so a reader can see whether
  SPSS would have re-entered one.
* **Ties.**  When two variables have exactly the same largest p, we remove the
  one that comes first in the candidate order; SPSS's tie rule is undocumented.
* **Convergence.**  SPSS stops iterating when parameter estimates change by less
  than 0.001 (at most 20 iterations); statsmodels uses a tighter criterion, so
  ``-2LL`` may differ in the third decimal on hard problems.
* **Separation.**  When a category has no events, its estimate diverges; SPSS
  stops after 20 iterations with a warning, we keep the best fit found (the
  log-likelihood still converges) and list the affected steps in
  :attr:`EliminationResult.not_converged`.
* **Missing values.**  SPSS drops cases with any missing candidate (listwise);
  callers here must pass complete data (:mod:`leftbehind.paper.models` checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit

#: SPSS's default removal probability for backward stepwise methods.
P_REMOVE = 0.10
#: SPSS's default entry probability (used only to flag would-be re-entries).
P_ENTER = 0.05


@dataclass
class Step:
    """One step of the elimination: the model fitted and every variable's LR test."""

    number: int
    variables: list[str]
    minus_2ll: float
    tests: dict[str, dict[str, float]]
    removed: str | None

    def as_dict(self) -> dict:
        """A JSON-able record of the step."""
        return {
            "step": self.number,
            "variables": list(self.variables),
            "minus_2ll": float(self.minus_2ll),
            "tests": {k: {kk: float(vv) for kk, vv in v.items()} for k, v in self.tests.items()},
            "removed": self.removed,
        }


@dataclass
class EliminationResult:
    """The elimination path and the final fit."""

    retained: list[str]
    steps: list[Step]
    fit: object  # statsmodels LogitResults of the final model
    columns: list[str]  # design columns of the final model (constant first)
    reentry: dict[str, dict[str, float]] = field(default_factory=dict)
    #: steps whose fits did not converge (separation); empty when all converged
    not_converged: list[int] = field(default_factory=list)

    def steps_table(self) -> pd.DataFrame:
        """Every LR test of every step, one row per (step, variable)."""
        rows = []
        for step in self.steps:
            for name, test in step.tests.items():
                rows.append(
                    {
                        "step": step.number,
                        "variable": name,
                        "minus_2ll_step": step.minus_2ll,
                        "lr_chi2": test["lr"],
                        "df": int(test["df"]),
                        "p": test["p"],
                        "removed": name == step.removed,
                    }
                )
        return pd.DataFrame(rows)


def _fit(y: np.ndarray, x: np.ndarray, start: np.ndarray | None = None):
    """Maximum-likelihood logistic fit (Newton-Raphson).

    A warm start (the current model's estimates) saves iterations; if Newton
    steps from it fail, the fit restarts from statsmodels' default.  Under
    (quasi-)complete separation -- a category with no events, say -- the
    estimates drift off to infinity but the log-likelihood still converges to a
    finite limit; like SPSS, which stops after 20 iterations and warns, we keep
    that fit (``mle_retvals["converged"]`` is False and the caller records it).
    Only a non-finite log-likelihood is an error.
    """
    model = Logit(y, x, check_rank=False)  # rank is checked once, in backward_lr
    attempts = []
    if start is not None:
        attempts.append({"start_params": start, "method": "newton", "maxiter": 50})
    attempts += [{"method": "newton", "maxiter": 100}, {"method": "bfgs", "maxiter": 2000}]
    best = None
    for options in attempts:
        try:
            with np.errstate(all="ignore"):
                fit = model.fit(disp=0, warn_convergence=False, **options)
        except np.linalg.LinAlgError:
            continue
        if not np.isfinite(fit.llf):
            continue
        if fit.mle_retvals["converged"]:
            return fit
        if best is None or fit.llf > best.llf:
            best = fit
    if best is None:
        raise RuntimeError("logistic fit failed: the log-likelihood is not finite")
    return best


def _start_without(params: dict[int, float], keep: list[int], drop: list[int], means: np.ndarray) -> np.ndarray:
    """Starting values after dropping columns: absorb their mean contribution into the constant."""
    start = np.array([params[c] for c in keep])
    start[0] += sum(params[c] * means[c] for c in drop)
    return start


def lr_test(llf_full: float, llf_reduced: float, df: int) -> dict[str, float]:
    """Likelihood-ratio test of dropping ``df`` parameters: statistic, df and p."""
    lr = max(2.0 * (llf_full - llf_reduced), 0.0)
    return {"lr": float(lr), "df": float(df), "p": float(stats.chi2.sf(lr, df))}


def backward_lr(
    design: pd.DataFrame,
    outcome: pd.Series | np.ndarray,
    blocks: dict[str, list[str]],
    p_remove: float = P_REMOVE,
) -> EliminationResult:
    """Backward elimination by likelihood-ratio test (see the module docstring).

    ``design`` holds the predictor columns (no constant; one is added),
    ``outcome`` the 0/1 response, and ``blocks`` maps each candidate variable, in
    candidate order, to its design columns.  Returns the retained variables, every
    step and the final statsmodels fit.
    """
    y = np.asarray(outcome, dtype=float)
    x_all = np.column_stack([np.ones(len(design)), design.to_numpy(dtype=float)])
    if np.isnan(y).any() or np.isnan(x_all).any():  # else the rank check below fails with "SVD did not converge"
        blank = [c for c in design.columns if design[c].isna().any()] + (["(outcome)"] if np.isnan(y).any() else [])
        raise ValueError(f"missing values in {', '.join(blank)}: drop incomplete rows first (SPSS uses listwise deletion)")
    if np.linalg.matrix_rank(x_all) < x_all.shape[1]:
        raise ValueError("the design matrix is rank deficient (a level never occurs or columns are collinear)")
    means = x_all.mean(axis=0)
    position = {name: i + 1 for i, name in enumerate(design.columns)}
    current = list(blocks)
    steps: list[Step] = []
    not_converged: list[int] = []

    def columns_of(variables: list[str]) -> list[int]:
        return [0] + [position[c] for v in variables for c in blocks[v]]

    fit = _fit(y, x_all[:, columns_of(current)])
    while True:
        cols = columns_of(current)
        params = dict(zip(cols, fit.params))
        tests = {}
        converged: list[bool] = []
        for name in current:
            others = [v for v in current if v != name]
            reduced_cols = columns_of(others)
            start = _start_without(params, reduced_cols, [c for c in cols if c not in reduced_cols], means)
            reduced = _fit(y, x_all[:, reduced_cols], start)
            converged.append(reduced.mle_retvals["converged"])
            tests[name] = lr_test(fit.llf, reduced.llf, len(blocks[name]))
        worst = max(current, key=lambda v: (tests[v]["p"], -current.index(v))) if current else None
        remove = worst if worst is not None and tests[worst]["p"] > p_remove else None
        steps.append(Step(len(steps) + 1, list(current), -2.0 * fit.llf, tests, remove))
        if not (fit.mle_retvals["converged"] and all(converged)):
            not_converged.append(len(steps))
        if remove is None:
            break
        current.remove(remove)
        keep = columns_of(current)
        fit = _fit(y, x_all[:, keep], _start_without(params, keep, [c for c in cols if c not in keep], means))

    names = ["const"] + [c for v in current for c in blocks[v]]
    reentry = {}
    for name in [v for v in blocks if v not in current]:
        bigger = columns_of(current + [name])
        start = np.concatenate([fit.params, np.zeros(len(blocks[name]))])
        wider = _fit(y, x_all[:, bigger], start)
        test = lr_test(wider.llf, fit.llf, len(blocks[name]))
        test["would_reenter"] = float(test["p"] < P_ENTER)
        reentry[name] = test
    return EliminationResult(current, steps, fit, names, reentry, not_converged)

"""What holds by construction of the synthetic cohort, and what a real survey would face without it.

The generator calibrates the cohort to the paper.  Two calibrations decide how
robust the rebuilt models *look*:

* :func:`leftbehind.yingshan.synthetic.balance_null_effects` (register id
  ``null_balance_max_z``) swaps outcomes between pupils of similar risk until
  every candidate the paper did not retain is almost unrelated to NSSI (and,
  among cases, to professional help).  So "the elimination keeps the paper's
  variables and no others", high bootstrap agreement, the lasso's agreement and
  large Firth p-values for the other candidates partly hold *because we made
  them hold*.
* Non-left-behind pupils with NSSI get exactly the LBC help-seeking shares
  (register id ``nlbc_help_shares``), so Table 3's "no difference" is built in.

This module reruns the checks on a cohort with the first calibration switched
off (:data:`NULLS_LEFT_TO_CHANCE`: same seed, same pupils and draws; only the
swaps are skipped, because the swaps use no random numbers), so the book can
show what a real survey, where chance associations are left alone, would face.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from leftbehind.presentation.wording import by_construction_odds

#: Register override that switches the null-effect balancing off (no score statistic is ever above infinity).
NULLS_LEFT_TO_CHANCE = {"null_balance_max_z": "inf"}


def block_lr_pvalues(design: pd.DataFrame, outcome, blocks: dict[str, list[str]]) -> pd.Series:
    """Likelihood-ratio p-value of each variable (all its columns at once) in the full candidate model.

    statsmodels ``Logit`` fits of the full model and of the model without each
    block; the statistic is twice the log-likelihood drop, against chi-squared with
    as many degrees of freedom as the block has columns.
    """
    from statsmodels.discrete.discrete_model import Logit

    y = np.asarray(outcome, dtype=float)
    x = design.astype(float).copy()
    x.insert(0, "const", 1.0)
    full = Logit(y, x).fit(method="newton", disp=0, maxiter=100)
    out = {}
    for name, columns in blocks.items():
        reduced = Logit(y, x.drop(columns=columns)).fit(method="newton", disp=0, maxiter=100)
        out[name] = float(stats.chi2.sf(max(2 * (full.llf - reduced.llf), 0.0), len(columns)))
    return pd.Series(out, name="p_lr")


def firth_block_pvalues(fit, blocks: dict[str, list[str]]) -> pd.Series:
    """Penalised-likelihood-ratio p of each variable in a Firth fit (all of a variable's columns tested jointly)."""
    return pd.Series({name: fit.plr_pvalue(columns) for name, columns in blocks.items()}, name="p_plr")


def null_pvalue_summary(pvalues: pd.Series, null_variables: list[str]) -> dict:
    """How large the p-values of the candidates meant to be null are, and how unusual that is by chance.

    Returns the number of null candidates ``k``, the smallest p among them (and
    whose it is), how many are below 0.05, and ``chance_all_above`` =
    ``(1 - min p)^k`` (:func:`leftbehind.presentation.wording.by_construction_odds`).
    """
    nulls = pvalues.loc[null_variables]
    smallest = float(nulls.min())
    return {"k": int(len(nulls)), "min_p": smallest, "min_p_variable": str(nulls.idxmin()),
            "below_05": int((nulls < 0.05).sum()), "chance_all_above": by_construction_odds(smallest, len(nulls))}


def selection_checks(lbc: pd.DataFrame, paper7: set[str], paper8: set[str], n_boot: int, lasso_alphas: int = 15,
                     boot7=None, boot8=None, entry7: pd.DataFrame | None = None, workers: int = 1) -> dict:
    """The robustness chapter's selection checks on one cohort, as one flat dict.

    ``lbc`` are the left-behind children (with ``nssi`` and ``professional``).
    For Table 7 (NSSI) and Table 8 (professional help among cases): the variables
    backward elimination keeps beyond the paper's and which of the paper's it
    misses; LR (Table 7) or Firth penalised-LR (Table 8) p-values of the paper's
    non-retained candidates in the full model (:func:`null_pvalue_summary`); the
    highest bootstrap inclusion frequency among them (``n_boot`` resamples,
    cached; pass ready ``boot7``/``boot8`` to reuse); and, for Table 7, how many
    of the first lasso entries are the paper's variables (pass a ready
    :func:`leftbehind.stats.penalised.l1_entry_order` table as ``entry7`` to reuse it).
    """
    from leftbehind.stats import bootstrap_selection as bs
    from leftbehind.paper.models import design_matrix
    from leftbehind.stats.penalised import firth_logit, l1_entry_order, l1_path
    from leftbehind.paper.sensitivity import retained_fast

    lbc = lbc.reset_index(drop=True)
    cases = lbc[pd.to_numeric(lbc["nssi"]) == 1].reset_index(drop=True)
    out: dict = {}
    for number, data, outcome, paper, boot in (("7", lbc, "nssi", paper7, boot7), ("8", cases, "professional", paper8, boot8)):
        design, blocks = design_matrix(data)
        y = pd.to_numeric(data[outcome]).to_numpy(dtype=float)
        nulls = [v for v in blocks if v not in paper]
        retained = retained_fast(data, outcome, 0.10) or []
        if number == "7":
            pvalues = block_lr_pvalues(design, y, blocks)
        else:
            pvalues = firth_block_pvalues(firth_logit(design, y), blocks)
        if boot is None:
            boot = bs.cached_bootstrap(bs.selection_problem(design, y, blocks), n_boot=n_boot, workers=workers)
        retention = boot.retention()
        summary = null_pvalue_summary(pvalues, nulls)
        out.update({
            f"t{number}_extra": [v for v in retained if v not in paper],
            f"t{number}_missing": [v for v in sorted(paper) if v not in retained],
            **{f"t{number}_null_{k}": v for k, v in summary.items()},
            f"t{number}_null_max_inclusion": float(retention.loc[nulls].max()),
            f"t{number}_null_max_inclusion_variable": str(retention.loc[nulls].idxmax()),
            f"t{number}_paper_min_inclusion": float(retention.loc[sorted(paper)].min()),
            f"t{number}_n_boot": int(boot.n_boot),
            f"t{number}_failed_share": float(boot.failed.mean()),
        })
        if number == "7":
            entry = entry7 if entry7 is not None else l1_entry_order(l1_path(design, y, n_alphas=lasso_alphas), blocks)
            first = entry.index[entry["entry_rank"] <= len(paper)]
            out["t7_lasso_first"] = int(len(first))
            out["t7_lasso_agree"] = int(len(set(first) & paper))
    return out


def comparison_table(results: dict[str, dict], names: dict[str, str] | None = None) -> pd.DataFrame:
    """Readable side-by-side view of :func:`selection_checks` for several cohorts (columns = cohort labels)."""
    names = names or {}

    def listed(values):
        return ", ".join(names.get(v, v) for v in values) or "none"

    rows = {}
    for label, r in results.items():
        rows[label] = {
            "Table 7: retained beyond the paper's variables": listed(r["t7_extra"]),
            "Table 7: paper's variables not retained": listed(r["t7_missing"]),
            "Table 7: smallest LR p among the other candidates": f"{r['t7_null_min_p']:.3f} ({names.get(r['t7_null_min_p_variable'], r['t7_null_min_p_variable'])})",
            "Table 7: other candidates with p < 0.05": f"{r['t7_null_below_05']} of {r['t7_null_k']}",
            "Table 7: highest bootstrap inclusion of another candidate": f"{100 * r['t7_null_max_inclusion']:.0f} % ({names.get(r['t7_null_max_inclusion_variable'], r['t7_null_max_inclusion_variable'])})",
            "Table 7: lowest bootstrap inclusion of a paper variable": f"{100 * r['t7_paper_min_inclusion']:.0f} %",
            "Table 7: first lasso entries that are the paper's": f"{r['t7_lasso_agree']} of {r['t7_lasso_first']}",
            "Table 8: retained beyond the paper's variables": listed(r["t8_extra"]),
            "Table 8: paper's variables not retained": listed(r["t8_missing"]),
            "Table 8: smallest Firth penalised-LR p among the other candidates": f"{r['t8_null_min_p']:.3f} ({names.get(r['t8_null_min_p_variable'], r['t8_null_min_p_variable'])})",
            "Table 8: other candidates with p < 0.05": f"{r['t8_null_below_05']} of {r['t8_null_k']}",
            "Table 8: highest bootstrap inclusion of another candidate": f"{100 * r['t8_null_max_inclusion']:.0f} % ({names.get(r['t8_null_max_inclusion_variable'], r['t8_null_max_inclusion_variable'])})",
            "bootstrap resamples (Table 7; Table 8)": f"{r['t7_n_boot']:,}; {r['t8_n_boot']:,}",
        }
    table = pd.DataFrame(rows)
    table.index.name = "check"
    return table


def help_share_gap(analysis: pd.DataFrame) -> dict:
    """Largest gap (percentage points) between LBC and NLBC help-seeking shares among pupils with NSSI.

    The generator gives NLBC the LBC shares (register ``nlbc_help_shares``), so
    on the synthetic cohort the gap is only the rounding of whole pupils.
    """
    cases = analysis[pd.to_numeric(analysis["nssi"]) == 1]
    shares = pd.crosstab(cases["lbc"].astype(bool), cases["help_seeking"], normalize="index") * 100
    if not {True, False} <= set(shares.index):
        raise ValueError("help-seeking shares need cases among both LBC and NLBC")
    gaps = (shares.loc[True] - shares.loc[False]).abs()
    return {"max_gap_points": float(gaps.max()), "category": str(gaps.idxmax()),
            "nlbc_cases": int((~cases["lbc"].astype(bool)).sum())}

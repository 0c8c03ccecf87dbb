"""Holm and BH adjustments against hand-worked examples."""

import numpy as np
import pandas as pd
import pytest

from leftbehind.stats.multiplicity import add_adjusted_pvalues, adjust_pvalues, significance_counts

P = [0.01, 0.04, 0.03, 0.005]


def test_holm_worked_example():
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone max: 0.02, 0.03, 0.06, 0.06
    np.testing.assert_allclose(adjust_pvalues(P, "holm"), [0.03, 0.06, 0.06, 0.02])


def test_bh_worked_example():
    # sorted: 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04 (already monotone)
    np.testing.assert_allclose(adjust_pvalues(P, "fdr_bh"), [0.02, 0.04, 0.04, 0.02])


def test_table_columns_and_families():
    table = pd.DataFrame({"factor": list("abcdabcd"), "comparison": ["x"] * 4 + ["y"] * 4, "p": P + P})
    out = add_adjusted_pvalues(table, family="comparison")
    assert list(out.columns[:5]) == ["factor", "comparison", "p", "p_holm", "p_bh"]
    np.testing.assert_allclose(out["p_holm"], [0.03, 0.06, 0.06, 0.02] * 2)
    whole = add_adjusted_pvalues(table)
    assert (whole["p_holm"] >= out["p_holm"]).all()
    assert significance_counts(out) == {"tests": 8, "raw": 8, "holm": 4, "bh": 8}


def test_missing_p_rejected():
    with pytest.raises(ValueError):
        adjust_pvalues([0.1, np.nan], "holm")


# --- Tests that would notice (issue 14, item 8): p not the last column, alpha, strict '<', errors ------------------


def test_columns_after_p_are_kept_in_order():
    table = pd.DataFrame({"factor": list("abcd"), "p": P, "note": list("wxyz"), "n": [10, 20, 30, 40]})
    out = add_adjusted_pvalues(table)
    assert list(out.columns) == ["factor", "p", "p_holm", "p_bh", "note", "n",
                                 "significant_raw", "significant_holm", "significant_bh"]
    assert out["note"].tolist() == list("wxyz") and out["n"].tolist() == [10, 20, 30, 40]
    # the input is not changed
    assert list(table.columns) == ["factor", "p", "note", "n"]


def test_significance_uses_alpha_strictly():
    table = pd.DataFrame({"p": P, "label": list("abcd")})
    out = add_adjusted_pvalues(table, alpha=0.03)
    # raw: 0.01 and 0.005 < 0.03 (0.03 itself is not); Holm [0.03, 0.06, 0.06, 0.02]: only 0.02; BH: the two 0.02s
    assert out["significant_raw"].tolist() == [True, False, False, True]
    assert out["significant_holm"].tolist() == [False, False, False, True]
    assert out["significant_bh"].tolist() == [True, False, False, True]
    assert significance_counts(out) == {"tests": 4, "raw": 2, "holm": 1, "bh": 2}
    default = add_adjusted_pvalues(table)
    assert significance_counts(default) == {"tests": 4, "raw": 4, "holm": 2, "bh": 4}
    assert default["significant_holm"].tolist() == [True, False, False, True]


def test_families_by_several_columns_and_any_index():
    table = pd.DataFrame({"g1": ["x", "x", "y", "y"], "g2": ["u", "u", "u", "u"], "pval": [0.01, 0.04, 0.04, 0.01]},
                         index=[17, 3, 99, 5])
    out = add_adjusted_pvalues(table, p_column="pval", family=["g1", "g2"])
    np.testing.assert_allclose(out["p_holm"], [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(out["p_bh"], [0.02, 0.04, 0.04, 0.02])
    assert out.index.tolist() == [17, 3, 99, 5]


def test_missing_p_column_is_named():
    with pytest.raises(KeyError, match="'pvalue'"):
        add_adjusted_pvalues(pd.DataFrame({"p": P}), p_column="pvalue")


def test_adjusted_p_equal_to_alpha_is_not_significant():
    table = pd.DataFrame({"p": P})
    bh = adjust_pvalues(P, "fdr_bh")
    out = add_adjusted_pvalues(table, alpha=float(bh[1]))  # 0.04: rows 1 and 2 sit exactly on alpha
    assert out["significant_bh"].tolist() == [True, False, False, True]
    holm = adjust_pvalues(P, "holm")
    out = add_adjusted_pvalues(table, alpha=float(holm[0]))  # 0.03: row 0 sits exactly on alpha
    assert out["significant_holm"].tolist() == [False, False, False, True]
    assert out["significant_raw"].tolist() == [True, False, False, True]  # raw 0.03 itself is not below 0.03

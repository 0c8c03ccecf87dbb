"""Holm and BH adjustments against hand-worked examples."""

import numpy as np
import pandas as pd
import pytest

from leftbehind.multiplicity import add_adjusted_pvalues, adjust_pvalues, significance_counts

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

"""Cronbach's alpha against a hand-worked example and an independent formula; factor means."""

import numpy as np
import pandas as pd
import pytest

from leftbehind.spec.codebook import load_codebook
from leftbehind.survey.scoring import alpha_by_factor, cronbach_alpha, factor_scores


def test_alpha_hand_worked_example():
    # item 1: 1,2,3,4 (var 5/3); item 2: 2,3,3,4 (var 2/3); totals 3,5,6,8 (var 13/3)
    # alpha = 2 * (1 - (7/3)/(13/3)) = 12/13
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 4]})
    assert cronbach_alpha(items) == pytest.approx(12 / 13)


def test_alpha_matches_covariance_formula():
    rng = np.random.default_rng(1)
    latent = rng.normal(size=300)
    items = pd.DataFrame({f"i{k}": latent + rng.normal(size=300) for k in range(5)})
    cov = items.cov().to_numpy()
    k = cov.shape[0]
    mean_var = np.trace(cov) / k
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    expected = k * mean_cov / (mean_var + (k - 1) * mean_cov)
    assert cronbach_alpha(items) == pytest.approx(expected)


def test_identical_items_give_one_and_needs_two_items():
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 4], "b": [1, 2, 4]})) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))


def test_factor_scores_are_item_means():
    cb = load_codebook()
    raw = pd.DataFrame({item: [1, 4] for item in cb.items})
    raw.loc[0, cb.factor_items()["venting"]] = [2, 2, 3, 3]
    scores = factor_scores(raw, cb)
    assert scores.loc[0, "venting"] == 2.5
    assert scores.loc[0, "problem_solving"] == 1.0
    assert scores.loc[0, "emotion_oriented"] == pytest.approx((1 + 1 + 2.5 + 1) / 4)
    assert scores.loc[1, "problem_oriented"] == 4.0
    table = alpha_by_factor(pd.DataFrame({i: np.arange(10) % 4 + 1 for i in cb.items}), cb)
    assert list(table["n_items"]) == [6, 6, 5, 5, 5, 4, 5]
    assert np.allclose(table["alpha"], 1.0)


# --- Tests that would notice (issue 14, item 8): the smallest valid input, the default codebook --------------------


def test_alpha_needs_two_respondents_and_accepts_exactly_two():
    with pytest.raises(ValueError, match="two items and two respondents"):
        cronbach_alpha(pd.DataFrame({"a": [1.0], "b": [2.0]}))
    with pytest.raises(ValueError, match="two items and two respondents"):
        cronbach_alpha(pd.DataFrame({"a": [1.0, np.nan], "b": [2.0, 3.0]}))  # one complete row
    # two respondents, two items: variances 0.5 and 2, totals (3, 6) variance 4.5 -> 2 * (1 - 2.5/4.5)
    assert cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 4.0]})) == pytest.approx(2 * (1 - 2.5 / 4.5))


def test_default_codebook_is_used_when_none_is_given():
    cb = load_codebook()
    raw = pd.DataFrame({item: [1, 2, 3, 4] for item in cb.items})
    pd.testing.assert_frame_equal(factor_scores(raw), factor_scores(raw, cb))
    pd.testing.assert_frame_equal(alpha_by_factor(raw + (np.arange(4) % 2)[:, None]),
                                  alpha_by_factor(raw + (np.arange(4) % 2)[:, None], cb))
    assert alpha_by_factor(raw, cb)["mean"].tolist() == [2.5] * 7

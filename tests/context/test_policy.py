"""The help-seeking gap and Hung's obstacles (src/leftbehind/context/policy.py)."""

import math

import pytest

from leftbehind.context import policy
from leftbehind.core.errors import UserError
from leftbehind.core.provenance import load_published


@pytest.fixture()
def yong():
    return load_published("yong2023").copy()


def wilson(k, n, z=1.959963984540054):
    """Wilson score interval written out from its textbook formula (independent of statsmodels)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_implied_counts_are_the_only_integers_that_print_as_the_shares(yong):
    table = policy.help_seeking_breakdown(yong)
    assert list(table["implied count"]) == [152, 26, 42, 62]
    assert (table["of"] == 282).all()
    for printed, count in zip(table["printed %"], table["implied count"], strict=True):
        assert f"{100 * count / 282:.1f}" == printed
        assert f"{100 * (count + 1) / 282:.1f}" != printed and f"{100 * (count - 1) / 282:.1f}" != printed


def test_wilson_intervals_match_the_textbook_formula(yong):
    table = policy.help_seeking_breakdown(yong)
    for _, row in table.iterrows():
        low, high = wilson(int(row["implied count"]), 282)
        assert row["Wilson 95% CI low %"] == pytest.approx(100 * low, abs=1e-9)
        assert row["Wilson 95% CI high %"] == pytest.approx(100 * high, abs=1e-9)
    assert round(table.loc["Professional psychological help", "Wilson 95% CI low %"], 1) == 17.5


def test_breakdown_adds_up_and_detects_a_changed_share(yong):
    assert policy.check_breakdown_adds_up(policy.help_seeking_breakdown(yong)) == {
        "share_sum": pytest.approx(100.0), "count_sum": 282, "total": 282, "adds_up": True,
    }
    yong.loc["help_professional_pct", ["value", "printed"]] = [21.6, "21.6"]
    changed = policy.check_breakdown_adds_up(policy.help_seeking_breakdown(yong))
    assert changed["count_sum"] == 281 and not changed["adds_up"]


def test_an_ambiguous_share_is_refused(yong):
    yong.loc["nssi_lbc_n", "value"] = 2000.0
    with pytest.raises(UserError, match="help_no_treatment_pct.*consistent with 3 counts"):
        policy.help_seeking_breakdown(yong)


def test_professional_help_per_thousand_lbc(yong):
    reach = policy.professional_help_per_lbc(yong, policy.help_seeking_breakdown(yong))
    assert reach == {"reached": 62, "lbc": 6096, "per_1000": pytest.approx(62000 / 6096)}


def test_alt_text_states_each_share_and_count(yong):
    alt = policy.help_seeking_alt(policy.help_seeking_breakdown(yong))
    for piece in ("53.9 % (about 152)", "9.2 % (about 26)", "14.9 % (about 42)", "22.0 % (about 62)",
                  "282 left-behind children", "one in 5"):
        assert piece in alt


def test_hung_obstacles_in_order_with_their_paragraphs():
    hung = load_published("hung2023")
    table = policy.hung_obstacles(hung)
    assert list(table.index) == [1, 2, 3]
    assert list(table["obstacle"]) == [
        "Information reaching caregivers", "Training teachers and caregivers", "Smartphones and apps",
    ]
    assert list(table["where argued"].str[-11:]) == ["paragraph 3", "paragraph 4", "paragraph 5"]
    assert not table["in brief (our paraphrase)"].str.contains("our paraphrase").any()
    assert hung.loc["lbc_millions", "printed"] == "69.7"


def test_hung_obstacle_count_must_match_the_text():
    hung = load_published("hung2023").copy()
    hung.loc["obstacles_n", "value"] = 4.0
    with pytest.raises(UserError, match="3 'ordinal' obstacle rows; the text names 4"):
        policy.hung_obstacles(hung)

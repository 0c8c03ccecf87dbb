"""Granularity checks against worked examples done by hand."""

import pytest

from leftbehind.stats.granularity import (
    consistent_denominators,
    consistent_numerators,
    grim_mean_consistent,
    printed_window,
    rounds_to,
)


def test_help_seeking_shares_resolve_to_single_counts():
    # 152/282 = 53.90 %, 26/282 = 9.22 %, 42/282 = 14.89 %, 62/282 = 21.99 %
    assert consistent_numerators(53.9, 1, 282) == [152]
    assert consistent_numerators(9.2, 1, 282) == [26]
    assert consistent_numerators(14.9, 1, 282) == [42]
    assert consistent_numerators(22.0, 1, 282) == [62]


def test_rural_share_admits_six_counts():
    # 58.65 % × 6096 = 3575.3 and 58.75 % × 6096 = 3581.4
    assert consistent_numerators(58.7, 1, 6096) == list(range(3576, 3582))


def test_whole_percent_is_coarser():
    # 61/282 = 21.63, 62/282 = 21.99, 63/282 = 22.34 all print as 22; 60/282 = 21.28 and 64/282 = 22.70 do not
    assert consistent_numerators(22, 0, 282) == [61, 62, 63]


def test_impossible_share_has_no_numerator():
    # with 7 in the denominator the shares are 0, 14.29, 28.57, …: 50.0 % is impossible
    assert consistent_numerators(50.0, 1, 7) == []


def test_half_way_values_accepted_both_ways():
    # 1/8 = 12.5 % prints as 12 (half to even) or 13 (half up): both accepted
    assert consistent_numerators(12, 0, 8) == [1]
    assert consistent_numerators(13, 0, 8) == [1]
    low, high = printed_window(4.6, 1)
    assert low < 4.55 and high > 4.65
    assert not rounds_to(4.66, 4.6, 1)


def test_reverse_search_lists_denominators():
    table = consistent_denominators(50.0, 1, range(5, 10))
    # odd denominators cannot give exactly 50.0 % at one decimal (2/5 = 40, 3/7 = 42.9, 4/9 = 44.4)
    assert table["denominator"].tolist() == [6, 8]
    assert table.loc[0, "numerator_min"] == 3 and table.loc[1, "numerator_max"] == 4


def test_reverse_search_agrees_with_forward_search():
    table = consistent_denominators(5.6, 1, range(100, 400))
    for row in table.itertuples():
        fits = consistent_numerators(5.6, 1, row.denominator)
        assert fits[0] == row.numerator_min and fits[-1] == row.numerator_max and len(fits) == row.count
    absent = set(range(100, 400)) - set(table["denominator"])
    assert all(consistent_numerators(5.6, 1, n) == [] for n in absent)


def test_grim_classic_example():
    # Brown & Heathers' logic: 18 people, integer answers: 5.19 → 93.4/18 is impossible, 5.22 = 94/18 possible
    assert not grim_mean_consistent(5.19, 2, 18)
    assert grim_mean_consistent(5.22, 2, 18)
    assert grim_mean_consistent(13.51, 2, 6096)


def test_bad_denominator_raises():
    with pytest.raises(ValueError):
        consistent_numerators(5.0, 1, 0)


# --- Tests that would notice (issue 14, item 8): 100 % and 0 % shares, n = 1, items, the window's width -------------


def test_all_and_none_shares_reach_the_ends():
    # 100.0 % of 7 can only be 7/7; 0.0 % only 0/7: the end points of 0..n must both be searched
    assert consistent_numerators(100.0, 1, 7) == [7]
    assert consistent_numerators(0.0, 1, 7) == [0]
    assert consistent_numerators(100, 0, 1) == [1] and consistent_numerators(0, 0, 1) == [0]
    # with 1,000 children 0.0 % admits 0 only (0.1 % is 1/1000); 100.0 % admits 1000 only
    table = consistent_denominators(0.0, 1, [7, 1000]).set_index("denominator")
    assert table.loc[7].tolist() == [0, 0, 1] and table.loc[1000].tolist() == [0, 0, 1]
    table = consistent_denominators(100.0, 1, [7, 1000]).set_index("denominator")
    assert table.loc[7].tolist() == [7, 7, 1] and table.loc[1000].tolist() == [1000, 1000, 1]
    # 0 % at whole percents allows up to 0.5 % of 200 = 1 child
    assert consistent_numerators(0, 0, 200) == [0, 1]
    assert consistent_denominators(0, 0, [200]).iloc[0].tolist() == [200, 0, 1, 2]


def test_window_is_half_a_printed_unit_wide():
    low, high = printed_window(4.6, 1)
    assert low == pytest.approx(4.55, abs=1e-8) and high == pytest.approx(4.65, abs=1e-8)
    low, high = printed_window(22, 0)
    assert low == pytest.approx(21.5, abs=1e-8) and high == pytest.approx(22.5, abs=1e-8)
    assert rounds_to(4.55, 4.6, 1) and rounds_to(4.65, 4.6, 1) and not rounds_to(4.5499, 4.6, 1)
    assert rounds_to([4.5, 4.6, 4.7], 4.6, 1).tolist() == [False, True, False]


def test_reverse_search_counts_every_numerator():
    # 22 % of 282 at whole percents: 61, 62, 63 (see test_whole_percent_is_coarser)
    assert consistent_denominators(22, 0, [282]).iloc[0].tolist() == [282, 61, 63, 3]


def test_grim_with_several_items():
    # a 2-item scale answered by 3 people: sums are integers, the mean of item means moves in steps of 1/6
    assert grim_mean_consistent(2.17, 2, 3, items=2)  # 13/6 = 2.1667
    assert not grim_mean_consistent(2.17, 2, 3, items=1)  # thirds: 2.00, 2.33
    assert grim_mean_consistent(2.33, 2, 3, items=1)
    assert not grim_mean_consistent(2.25, 2, 3, items=2)  # 2.1667 and 2.3333 only


def test_no_numerator_beyond_the_denominator():
    # 299/300 = 99.7 % and 300/300 print as 100 % at whole percents; 301/300 would too, but cannot exist
    assert consistent_numerators(100, 0, 300) == [299, 300]
    assert consistent_denominators(100, 0, [300]).iloc[0].tolist() == [300, 299, 300, 2]

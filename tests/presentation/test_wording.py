"""Claims follow their numbers: each wording branch of leftbehind.presentation.wording."""

import pytest

from leftbehind.presentation.wording import (
    by_construction_odds,
    count_noun,
    effect_size_band,
    lasso_agreement,
    multiplicity_claim,
    names_list,
    number_word,
    ratio_noise_claim,
    share_of,
    significance_change_claim,
)


def test_number_words_and_counts():
    assert number_word(0) == "no" and number_word(7) == "seven" and number_word(11) == "11"
    assert number_word(1234) == "1,234"
    assert count_noun(0, "difference") == "no differences"
    assert count_noun(1, "difference") == "one difference"
    assert count_noun(12, "child", "children") == "12 children"
    with pytest.raises(ValueError):
        number_word(-1)


def test_names_list():
    assert names_list([]) == "none"
    assert names_list([], empty="no term") == "no term"
    assert names_list(["a"]) == "a"
    assert names_list(["a", "b"]) == "a and b"
    assert names_list(["a", "b", "c"]) == "a, b and c"


def test_share_of():
    assert share_of(0, 5) == "none of the 5"
    assert share_of(2, 5) == "2 of the 5"
    assert share_of(5, 5) == "all 5"
    assert share_of(1, 1) == "the only one"
    with pytest.raises(ValueError):
        share_of(6, 5)


@pytest.mark.parametrize("d, band", [(0.0, "negligible"), (-0.19, "negligible"), (0.2, "small"), (-0.49, "small"),
                                     (0.5, "medium"), (-0.79, "medium"), (0.8, "large"), (-2.0, "large")])
def test_effect_size_band_follows_cohens_conventions_for_either_sign(d, band):
    assert effect_size_band(d) == band


def test_effect_size_band_refuses_a_missing_effect():
    with pytest.raises(ValueError, match="not a number"):
        effect_size_band(float("nan"))


def test_multiplicity_claim_never_says_some_beside_zero():
    """The defect this module exists for: 'removes some' beside Holm removes 0 and BH removes 0."""
    lead, text = multiplicity_claim(raw=6, holm=6, bh=6)
    assert "some" not in lead + text and "removes none" in lead and "All 6" in text


def test_multiplicity_claim_branches():
    assert multiplicity_claim(0, 0, 0)[0] == "No coping differences to adjust."
    lead, some = multiplicity_claim(6, 4, 6)
    assert lead == "Multiplicity removes some coping differences." and "2 of the 6" in some and "none of the 6" in some
    lead, every = multiplicity_claim(3, 0, 0)
    assert "every one of the" in lead and "all 3" in every
    assert multiplicity_claim(3, 0, 2)[0].startswith("Multiplicity removes some")
    with pytest.raises(ValueError):
        multiplicity_claim(2, 3, 1)


def test_ratio_noise_claim():
    none = ratio_noise_claim([], 9, "school")
    assert "none of the 9 ratios" in none
    one = ratio_noise_claim(["stage"], 9, "town")
    assert "ratio for stage lies outside" in one and "other 8" in one
    two = ratio_noise_claim(["a", "b"], 9, "town")
    assert "a and b lie outside" in two


def test_significance_change_claim():
    assert significance_change_claim([], "CR2") == "With CR2, no term changes significance at the 5 % level."
    assert "girls changes" in significance_change_claim(["girls"], "CR2")
    assert "a and b change" in significance_change_claim(["a", "b"], "CR2")


def test_by_construction_odds():
    assert by_construction_odds(0.59, 13) == pytest.approx(0.41**13)
    assert by_construction_odds(0.59, 13) < 1e-4  # all 13 null p >= 0.59 is very unusual by chance
    assert by_construction_odds(0.0, 5) == 1.0
    with pytest.raises(ValueError):
        by_construction_odds(1.5, 3)


def test_survivors_lead_and_extras_phrase():
    from leftbehind.presentation.wording import extras_phrase, survivors_lead

    assert survivors_lead(0) == "No association survives every check here."
    assert survivors_lead(1) == "One association survives every check here."
    assert survivors_lead(4) == "Four associations survive every check here."
    assert extras_phrase([], []) == "keeps exactly the paper's variables"
    assert extras_phrase(["boarding"], []) == "also keeps boarding"
    assert extras_phrase(["a", "b"], ["c"]) == "also keeps a and b and misses c"


def test_noise_conclusion():
    from leftbehind.presentation.wording import noise_conclusion

    assert noise_conclusion(0).startswith("So whether")
    assert noise_conclusion(2).startswith("Only the ratios named above")


@pytest.mark.parametrize(("agree", "first", "kept", "sentence"), [
    (7, 7, 7, "The seven variables that enter the lasso path first are exactly the seven that backward elimination "
              "keeps."),
    (5, 7, 7, "Of the seven variables that backward elimination keeps, five are among the seven variables that enter "
              "the lasso path first."),
    (1, 7, 7, "Of the seven variables that backward elimination keeps, one is among the seven variables that enter "
              "the lasso path first."),
    (0, 7, 7, "Of the seven variables that backward elimination keeps, none is among the seven variables that enter "
              "the lasso path first."),
    (7, 8, 7, "Of the seven variables that backward elimination keeps, all seven are among the eight variables that "
              "enter the lasso path first."),
    (1, 1, 1, "The variable that enters the lasso path first is the one that backward elimination keeps."),
    (0, 1, 1, "Backward elimination keeps one variable, and it is not the variable that enters the lasso path first."),
    (1, 3, 1, "Backward elimination keeps one variable, and it is among the three variables that enter the lasso path "
              "first."),
    (0, 0, 0, "Backward elimination keeps no variables, so there is nothing to set beside the lasso path."),
])
def test_lasso_agreement_follows_the_counts(agree, first, kept, sentence):
    assert lasso_agreement(agree, first, kept) == sentence


@pytest.mark.parametrize(("agree", "first", "kept"), [(8, 8, 7), (3, 2, 7), (-1, 2, 2)])
def test_lasso_agreement_rejects_impossible_counts(agree, first, kept):
    with pytest.raises(ValueError, match="cannot exceed"):
        lasso_agreement(agree, first, kept)

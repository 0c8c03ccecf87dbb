"""The audit: checks, scorecard coverage and the derived numbers behind them."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from leftbehind.audit.scorecard import (
    audit_facts,
    consistency_checks,
    help_seeking_counts,
    max_possible_sd,
    pearson_p,
    scorecard,
    smallest_significant_comparator,
)
from leftbehind.core.provenance import load_published


@pytest.fixture(scope="module")
def published():
    return load_published("yong2023")


@pytest.fixture(scope="module")
def facts(published):
    return audit_facts(published)


def test_pearson_p_matches_scipy():
    for a, n1, c, n2 in [(282, 6096, 400, 10770), (121, 2164, 99, 2251), (5, 40, 12, 45)]:
        expected = chi2_contingency([[a, n1 - a], [c, n2 - c]], correction=False)[1]
        assert float(pearson_p(a, n1, c, n2)) == pytest.approx(expected, rel=1e-10)


def test_max_sd_bound():
    # half the mass at each end of 10–18 with mean 14 gives SD 4
    assert max_possible_sd(14, 10, 18) == pytest.approx(4.0)
    assert max_possible_sd(13.51, 10, 18) == pytest.approx(np.sqrt(3.51 * 4.49))


def test_smallest_comparator_is_the_first_significant_size(published):
    n_min = smallest_significant_comparator([121], [2164], 4.4, 1, 0.05, 10770)
    # at n_min some integer count printing as 4.4 % is significant; one below, none is
    def any_sig(n):
        ks = [k for k in range(n + 1) if abs(100 * k / n - 4.4) <= 0.05 + 1e-9]
        return any(chi2_contingency([[121, 2043], [k, n - k]], correction=False)[1] < 0.05 for k in ks)
    assert any_sig(n_min) and not any_sig(n_min - 1)


def test_help_seeking_counts(published):
    counts = help_seeking_counts(published)
    assert counts["count"].tolist() == [152, 26, 42, 62]
    assert counts["count"].sum() == 282


def test_key_checks_have_the_expected_status(published, facts):
    checks = consistency_checks(published, facts).set_index("check")
    status = checks["status"]
    assert status["Valid questionnaires (Methods) vs analysed (Results)"] == "⚠"
    assert facts["gap"] == 102
    assert status["Valid response rate"] == "✓"
    assert status['County towns: "LBC higher" printed as "3.1 % versus 4.5 %"'] == "⚠"
    assert status['"Significantly higher than NLBC" without an NLBC rate'] == "⚠"
    assert status["Mean age 13.51 ± 2.32 in a 10–18 range"] == "✓"
    assert status["Help-seeking shares resolve to counts that add up"] == "✓"
    assert set(status) <= {"✓", "⚠"}


def test_nlbc_threshold_is_the_boundary(facts):
    k = facts["nlbc_threshold"]
    assert k == 430
    p_at = chi2_contingency([[282, 6096 - 282], [k, 10770 - k]], correction=False)[1]
    p_next = chi2_contingency([[282, 6096 - 282], [k + 1, 10770 - k - 1]], correction=False)[1]
    assert p_at < 0.05 <= p_next


def test_scorecard_covers_every_row(published, facts):
    card = scorecard(published, facts)
    assert card["key"].tolist() == published.index.tolist()
    assert set(card["status"]) <= {"reproduced", "consistent", "flagged", "not_checkable"}
    assert (card["reason"].str.len() > 0).all()
    # numbers that cannot be checked are not counted as problems, and every one says why
    uncheckable = card["status"] == "not_checkable"
    assert uncheckable.any() and card.loc[uncheckable, "reason"].str.startswith("not checkable").all()
    assert not card.loc[card["status"] == "flagged", "reason"].str.startswith("not checkable").any()
    card = card.set_index("key")
    assert card.loc["or_girls_vs_boys", "status"] == "reproduced"
    assert card.loc["analysed", "status"] == "flagged"
    assert card.loc["help_refused_pct", "reproduced"] == "26 of 282"
    assert card.loc["disc_professional_help_pct", "status"] == "consistent"
    assert card.loc["nssi_county_first_pct", "status"] == "flagged"  # a real question: the printed order


def test_scorecard_refuses_an_unknown_row(published, facts):
    extra = pd.DataFrame([published.iloc[0]], index=pd.Index(["mystery_number"], name="key"))
    extra["note"] = ""
    with pytest.raises(KeyError, match="mystery_number"):
        scorecard(pd.concat([published, extra]), facts)


def test_a_changed_number_changes_the_verdict(published):
    tampered = published.copy()
    tampered.loc["valid_rate_pct", "value"] = 89.5
    card = scorecard(tampered).set_index("key")
    assert card.loc["valid_rate_pct", "status"] == "flagged"


def test_granularity_verdict_is_written_from_the_table(published):
    from leftbehind.audit.scorecard import granularity_table, granularity_verdict

    gran = granularity_table(published)
    assert granularity_verdict(gran) == ("Every printed numerator lies inside its window, and every share without a "
                                         "printed numerator still admits at least one integer.")
    moved = gran.copy()
    moved.loc["lbc_boys_pct", "printed numerator"] = 3300
    moved.loc["lbc_rural_pct", "numerators that fit"] = 0
    text = granularity_verdict(moved)
    assert text.startswith("The printed numerator of lbc_boys_pct lies outside its window")
    assert text.endswith("lbc_rural_pct admit no integer numerator at all.")

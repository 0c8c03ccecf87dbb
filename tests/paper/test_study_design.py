import pandas as pd
import pytest

from leftbehind.core.provenance import load_published, validate_published
from leftbehind.paper.study_design import recompute_share, sample_flow, sample_flow_alt


@pytest.fixture(scope="module")
def published():
    return load_published("yong2023")


def test_sample_flow_lists_the_four_printed_steps(published):
    flow = sample_flow(published)
    assert list(flow["count"]) == [19005, 16968, 16866, 6096]
    assert flow["where"].str.contains("Methods|Results").all()


def test_valid_rate_is_recomputed_from_its_counts(published):
    result = recompute_share(published, "valid_rate_pct")
    assert result["numerator"] == 16968 and result["denominator"] == 19005
    assert result["exact"] == pytest.approx(89.2818, abs=1e-4)
    assert result["recomputed"] == 89.3
    assert result["matches"]


def test_lbc_share_is_recomputed_from_its_counts(published):
    result = recompute_share(published, "lbc_share_pct")
    assert result["exact"] == pytest.approx(100 * 6096 / 16866)
    assert result["matches"]


def test_a_misprinted_share_does_not_match():
    table = pd.DataFrame(
        {
            "key": ["n", "k", "pct"],
            "value": ["19005", "16968", "88.3"],
            "decimals": ["0", "0", "1"],
            "unit": ["count", "count", "percent"],
            "denominator": [None, "n", "n"],
            "document": ["d"] * 3,
            "section": ["s"] * 3,
            "paragraph": ["p"] * 3,
            "note": [None] * 3,
        }
    )
    result = recompute_share(validate_published(table, "t.csv"), "pct")
    assert not result["matches"]
    assert result["recomputed"] == 89.3


def test_alt_text_states_every_count(published):
    alt = sample_flow_alt(sample_flow(published))
    for count in ("19,005", "16,968", "16,866", "6,096"):
        assert count in alt

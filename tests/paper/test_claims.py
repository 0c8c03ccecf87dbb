"""The paper's claims file and the agreement verdicts."""

from __future__ import annotations

import pandas as pd
import pytest

from fake_analysis import make_fake_analysis
from leftbehind.core.errors import UserError
from leftbehind.paper.claims import attach_claims, load_claims, match_claim, unmatched_claims, verdict
from leftbehind.paper.report import build_tables


def test_claims_file_is_valid_and_cites_the_paper():
    claims = load_claims()
    assert set(claims["document"]) == {"yong2023"}
    assert set(claims["table"]) == set(range(1, 9))


def test_every_claim_matches_a_comparison():
    built = build_tables(make_fake_analysis(n=4000, seed=5))
    everything = pd.concat(built["tests"].values())
    assert unmatched_claims(everything) == []


def test_verdict_rules():
    claim = pd.Series({"direction": "-", "expects": "significant", "alpha": 0.001})
    assert verdict(claim, -0.2, 0.0004) == "yes"
    assert verdict(claim, -0.2, 0.004) == "no"  # significant at 0.01 but the paper printed P < 0.001
    assert verdict(claim, 0.2, 0.0001) == "no"  # wrong direction
    null = pd.Series({"direction": "0", "expects": "not_significant", "alpha": 0.05})
    assert verdict(null, 5.0, 0.2) == "yes"
    assert verdict(null, 5.0, 0.01) == "no"
    model = pd.Series({"direction": "+", "expects": "retained", "alpha": 0.05})
    assert verdict(model, 0.4, 0.001, retained=True) == "yes"
    assert verdict(model, float("nan"), float("nan"), retained=False) == "no"


def test_exact_match_beats_pattern():
    claims = load_claims()
    assert match_claim("t4:gender:within_lbc", claims)["claim_id"] == "t4_within_lbc"
    assert match_claim("t2:stage=junior:lbc_vs_nlbc", claims)["claim_id"] == "t2_stage_junior_vs"
    assert match_claim("t2:stage:within_nlbc", claims) is None


def test_attach_claims_marks_unclaimed_rows():
    tests = pd.DataFrame({"comparison": ["t3:help_seeking:lbc_vs_nlbc", "t9:none"], "difference": [1.0, 1.0], "p": [0.5, 0.5]})
    out = attach_claims(tests)
    assert list(out["agrees"]) == ["yes", "no claim"]


def test_bad_claims_file_names_column_and_row(tmp_path):
    claims = pd.read_csv(load_claims.__globals__["published_dir"]() / "yong2023_claims.csv", dtype=str, keep_default_na=False)
    claims.loc[2, "direction"] = "up"
    path = tmp_path / "claims.csv"
    claims.to_csv(path, index=False)
    with pytest.raises(UserError, match=r"column 'direction'.*row\(s\) 3"):
        load_claims(path)

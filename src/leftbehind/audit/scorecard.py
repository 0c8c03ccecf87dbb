"""The consistency audit of Yong et al. (2023): checks and a scorecard.

Everything here starts from ``data/published/yong2023.csv`` (numbers as
printed) and derives what arithmetic allows:

* :func:`reconstructions` — the hidden 2×2 tables behind the two printed odds
  ratios (see :mod:`leftbehind.audit.reconstruction`);
* :func:`granularity_results` — which integer numerators fit each printed share;
* :func:`consistency_checks` — the audit table, each check ✓ or ⚠ with a reason;
* :func:`scorecard` — every row of the provenance file with a status
  (``reproduced``, ``consistent``, ``flagged`` or ``not_checkable``) and a
  reason.  A key that no rule covers raises an error, so nothing is skipped
  silently.

Status meanings: *reproduced* — recomputed from other printed numbers (or an
exact repeat of one); *consistent* — passes a check that could have failed, but
cannot be recomputed exactly; *flagged* — fails a check: a real question about
the number; *not_checkable* — the paper's own numbers cannot check it (figures
cited from other studies, P-values for tables we do not have).  The last two
are kept apart so that a count of problems is not inflated by numbers that
simply cannot be tested.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import chi2

from leftbehind.stats.granularity import consistent_numerators, printed_window, rounds_to
from leftbehind.audit.reconstruction import Z_TEXTBOOK, reconstruct_two_by_two

#: the scorecard's statuses, in the order the summary lists them
STATUSES = ("reproduced", "consistent", "flagged", "not_checkable")

#: printed percentage -> the printed count that is its numerator
PERCENT_NUMERATORS = {
    "valid_rate_pct": "valid_methods",
    "lbc_share_pct": "lbc_n",
    "lbc_boys_pct": "lbc_boys_n",
    "lbc_girls_pct": "lbc_girls_n",
    "lbc_primary_pct": "lbc_primary_n",
    "lbc_junior_pct": "lbc_junior_n",
    "lbc_senior_pct": "lbc_senior_n",
    "nssi_lbc_pct": "nssi_lbc_n",
}
#: the four help-seeking categories of the 282 LBC with NSSI, in care-cascade order
HELP_SEEKING = {
    "help_no_treatment_pct": "No treatment",
    "help_refused_pct": "Refused treatment",
    "help_self_help_pct": "Self-help",
    "help_professional_pct": "Professional help",
}
#: repeated numbers (Abstract, Discussion) -> the Results row they repeat
REPEATS = {
    "abstract_age_min": "age_min", "abstract_age_max": "age_max", "abstract_lbc_n": "lbc_n",
    "abstract_nssi_lbc_pct": "nssi_lbc_pct", "abstract_no_treatment_pct": "help_no_treatment_pct",
    "abstract_professional_help_pct": "help_professional_pct", "disc_nssi_lbc_pct": "nssi_lbc_pct",
    "disc_age_min": "age_min", "disc_age_max": "age_max", "disc_refused_pct": "help_refused_pct",
    "disc_professional_help_pct": "help_professional_pct", "limits_age_min": "age_min", "limits_age_max": "age_max",
}
#: shares whose numerator is not printed but whose denominator is: granularity only
UNPRINTED_NUMERATORS = ("lbc_rural_pct", "nssi_junior_lbc_pct", *HELP_SEEKING)
#: p-value thresholds whose test needs table cells the paper does not print
UNCHECKABLE_P = {
    "p_senior_lbc_vs_nlbc": "the NLBC school-stage counts are not printed",
    "p_sex_lbc_vs_nlbc": "the NLBC counts by sex are not printed",
    "p_nuclear_lbc_vs_nlbc": "the counts by family structure are not printed",
    "p_help_lbc_vs_nlbc": "the NLBC help-seeking counts are not printed",
    "p_coping_problem_lbc_vs_nlbc": "no coping-score means or SDs are printed in the text",
    "p_coping_emotion_lbc_vs_nlbc": "no coping-score means or SDs are printed in the text",
    "p_evasion_sex": "no coping-score means or SDs are printed in the text",
    "p_coping_nssi_problem": "no coping-score means or SDs are printed in the text",
    "p_coping_nssi_emotion": "no coping-score means or SDs are printed in the text",
    "p_coping_professional": "no coping-score means or SDs are printed in the text",
}
#: design facts that nothing else in the paper can confirm or contradict
UNCHECKABLE_FACTS = {
    "survey_year": "a design fact; nothing else in the paper dates the survey",
    "separation_months": "a definition; no count of separation lengths is printed",
    "osi_retest_min": "a property of the instrument reported by another study",
    "osi_factors": "a property of the instrument reported by another study",
    "nssi_threshold_times": "the case definition; no frequency counts are printed",
    "cssmss_items": "a property of the instrument; no item-level results are printed",
    "cssmss_scale_points": "a property of the instrument; no item-level results are printed",
    "spss_version": "software used; not a result",
    "yingshan_population": "a fact about the county; no population count is used elsewhere",
    "nssi_junior_nlbc_pct": "its denominator (NLBC junior-middle pupils) is not printed, so any share is possible",
}
#: school-stage midpoint ages (grades 4–6, 7–9, 10–12 at about ages 10–12, 13–15, 16–18): an assumption
STAGE_MID_AGE = {"lbc_primary_n": 11.0, "lbc_junior_n": 14.0, "lbc_senior_n": 17.0}


def value(published: pd.DataFrame, key: str) -> float:
    """The printed value of ``key`` as a float."""
    return float(published.loc[key, "value"])


def count(published: pd.DataFrame, key: str) -> int:
    """The printed value of a count ``key`` as an int."""
    return int(round(value(published, key)))


def nlbc_n(published: pd.DataFrame) -> int:
    """Derived: NLBC analysed = analysed − LBC."""
    return count(published, "analysed") - count(published, "lbc_n")


def pearson_p(a, n1, c, n2):
    """Two-sided p of Pearson's χ² (no continuity correction) for a/n1 vs c/n2, vectorised."""
    a, n1, c, n2 = (np.asarray(x, dtype=float) for x in (a, n1, c, n2))
    b, d = n1 - a, n2 - c
    total = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = total * (a * d - b * c) ** 2 / (n1 * n2 * (a + c) * (b + d))
    return chi2.sf(stat, 1)


def smallest_significant_comparator(counts_1, n1_values, printed_pct_2, decimals, alpha, max_n2) -> int | None:
    """Smallest comparison-group size ``n2 ≤ max_n2`` for which some integer table gives p < ``alpha``.

    Group 1 has one of ``counts_1`` cases out of the matching ``n1_values``; group
    2 has any integer count that prints as ``printed_pct_2``.  ``None`` if none does.
    """
    n2 = np.arange(1, max_n2 + 1)
    window_low, window_high = printed_window(printed_pct_2, decimals)
    low = np.ceil(window_low * n2 / 100 - 1e-9)
    high = np.floor(window_high * n2 / 100 + 1e-9)
    ok = np.zeros(n2.shape, dtype=bool)
    for a, n1 in zip(counts_1, n1_values):
        for c in (low, high):
            ok |= (high >= low) & (pearson_p(a, n1, c, n2) < alpha)
    return int(n2[ok][0]) if ok.any() else None


def max_possible_sd(mean: float, low: float, high: float) -> float:
    """Largest SD any distribution on [low, high] with this mean can have (Bhatia–Davis bound)."""
    return float(np.sqrt((mean - low) * (high - mean)))


def stage_mix_age(published: pd.DataFrame) -> tuple[float, float]:
    """Mean and SD of age implied by the LBC school-stage mix under :data:`STAGE_MID_AGE`.

    Ages within a stage are taken as uniform over its three years (variance 2/3).
    """
    weights = np.array([count(published, k) for k in STAGE_MID_AGE], dtype=float)
    mids = np.array(list(STAGE_MID_AGE.values()))
    mean = float(np.average(mids, weights=weights))
    between = float(np.average((mids - mean) ** 2, weights=weights))
    return mean, float(np.sqrt(between + 2 / 3))


def reconstruction_specs(published: pd.DataFrame) -> dict[str, dict]:
    """The two printed odds ratios with their known margins (exposed = girls; = boarders)."""
    total, cases = count(published, "lbc_n"), count(published, "nssi_lbc_n")
    return {
        "girls_vs_boys": {
            "keys": ("or_girls_vs_boys", "or_girls_vs_boys_ci_low", "or_girls_vs_boys_ci_high"),
            "total": total, "cases": cases, "exposed": count(published, "lbc_girls_n"),
        },
        "boarders_vs_nonboarders": {
            "keys": ("or_boarder", "or_boarder_ci_low", "or_boarder_ci_high"),
            "total": total, "cases": cases, "exposed": range(1, total),
        },
    }


def reconstructions(published: pd.DataFrame, method: str = "woolf", z: float = Z_TEXTBOOK) -> dict[str, pd.DataFrame]:
    """Every table consistent with each printed OR and CI, under one CI method."""
    out = {}
    for name, spec in reconstruction_specs(published).items():
        printed = [value(published, k) for k in spec["keys"]]
        decimals = int(published.loc[spec["keys"][0], "decimals"])
        out[name] = reconstruct_two_by_two(
            printed[0], (printed[1], printed[2]), total=spec["total"], cases=spec["cases"],
            exposed=spec["exposed"], decimals=decimals, method=method, z=z,
        )
    return out


def granularity_results(published: pd.DataFrame) -> pd.DataFrame:
    """For every printed percentage with a printed denominator: the consistent integer numerators."""
    rows = []
    for key, row in published[(published["unit"] == "percent") & published["denominator"].notna()].iterrows():
        denominator = count(published, row["denominator"])
        fits = consistent_numerators(row["value"], int(row["decimals"]), denominator)
        printed_numerator = PERCENT_NUMERATORS.get(key) or PERCENT_NUMERATORS.get(REPEATS.get(key, ""))
        rows.append(
            {
                "key": key, "printed": row["printed"], "denominator": denominator,
                "numerators": fits, "printed_numerator": count(published, printed_numerator) if printed_numerator else None,
            }
        )
    return pd.DataFrame(rows)


def help_seeking_counts(published: pd.DataFrame) -> pd.DataFrame:
    """The four help-seeking shares of the LBC with NSSI resolved to integer counts (derived)."""
    n = count(published, "nssi_lbc_n")
    rows = []
    for key, label in HELP_SEEKING.items():
        fits = consistent_numerators(value(published, key), int(published.loc[key, "decimals"]), n)
        rows.append({"category": label, "printed_percent": value(published, key), "counts_consistent": fits,
                     "count": fits[0] if len(fits) == 1 else None})
    return pd.DataFrame(rows)


def nlbc_overall_threshold(published: pd.DataFrame, alpha: float = 0.05) -> int:
    """Largest NLBC NSSI count (of the derived NLBC total) for which LBC's rate is significantly higher."""
    n2 = nlbc_n(published)
    c = np.arange(n2 + 1)
    a, n1 = count(published, "nssi_lbc_n"), count(published, "lbc_n")
    ok = (pearson_p(a, n1, c, n2) < alpha) & (c / n2 < a / n1)
    return int(c[ok].max())


def audit_facts(published: pd.DataFrame) -> dict:
    """Every derived quantity the checks and the scorecard use, computed once."""
    lbc, nssi = count(published, "lbc_n"), count(published, "nssi_lbc_n")
    rural = consistent_numerators(value(published, "lbc_rural_pct"), 1, lbc)
    urban = [lbc - k for k in rural]
    county = {}
    for lbc_key, other_key in (("nssi_county_second_pct", "nssi_county_first_pct"),
                               ("nssi_county_first_pct", "nssi_county_second_pct")):
        counts = [consistent_numerators(value(published, lbc_key), 1, n) for n in urban]
        pairs = [(k, n) for n, ks in zip(urban, counts) for k in (ks[0], ks[-1]) if ks]
        county[lbc_key] = smallest_significant_comparator(
            [p[0] for p in pairs], [p[1] for p in pairs], value(published, other_key), 1,
            value(published, "p_county_lbc_vs_nlbc"), nlbc_n(published),
        )
    junior = consistent_numerators(value(published, "nssi_junior_lbc_pct"), 1, count(published, "lbc_junior_n"))
    recon = reconstructions(published)
    help_counts = help_seeking_counts(published)
    mix_mean, mix_sd = stage_mix_age(published)
    threshold = nlbc_overall_threshold(published)
    return {
        "gap": count(published, "valid_methods") - count(published, "analysed"),
        "nlbc_n": nlbc_n(published),
        "rural_numerators": rural,
        "urban_lbc": urban,
        "county_min_nlbc_if_lbc_is_second": county["nssi_county_second_pct"],
        "county_min_nlbc_if_lbc_is_first": county["nssi_county_first_pct"],
        "junior_numerators": junior,
        "junior_min_nlbc": smallest_significant_comparator(
            junior, [count(published, "lbc_junior_n")] * len(junior), value(published, "nssi_junior_nlbc_pct"), 1,
            value(published, "p_junior_lbc_vs_nlbc"), nlbc_n(published)),
        "reconstructions": recon,
        "help_counts": help_counts,
        "help_total": int(help_counts["count"].sum()) if help_counts["count"].notna().all() else None,
        "max_sd": max_possible_sd(value(published, "age_mean"), value(published, "age_min"), value(published, "age_max")),
        "mix_mean": mix_mean,
        "mix_sd": mix_sd,
        "nlbc_threshold": threshold,
        "nlbc_threshold_pct": 100 * threshold / nlbc_n(published),
        "nssi": nssi,
    }


def _share(published, key) -> tuple[bool, float]:
    numerator = count(published, PERCENT_NUMERATORS[key])
    denominator = count(published, published.loc[key, "denominator"])
    exact = 100 * numerator / denominator
    return bool(rounds_to(exact, value(published, key), int(published.loc[key, "decimals"]))), exact


def consistency_checks(published: pd.DataFrame, facts: dict | None = None) -> pd.DataFrame:
    """The audit table: one row per check, ✓ or ⚠, with a one-line explanation built from the numbers."""
    f = facts or audit_facts(published)
    v = lambda k: value(published, k)  # noqa: E731
    n = lambda k: count(published, k)  # noqa: E731
    rows = []

    def add(check, passed, explanation, keys):
        rows.append({"check": check, "status": "✓" if passed else "⚠", "explanation": explanation, "keys": keys})

    add("Valid questionnaires (Methods) vs analysed (Results)", f["gap"] == 0,
        f"{n('valid_methods'):,} valid but {n('analysed'):,} analysed: {f['gap']:,} questionnaires leave with no stated reason.",
        "valid_methods, analysed")
    ok, exact = _share(published, "valid_rate_pct")
    add("Valid response rate", ok, f"{n('valid_methods'):,}/{n('collected'):,} = {exact:.2f} %, printed {published.loc['valid_rate_pct', 'printed']} %.",
        "valid_rate_pct")
    for key, label in (("lbc_share_pct", "LBC share of the analysed sample"), ("nssi_lbc_pct", "NSSI prevalence among LBC")):
        ok, exact = _share(published, key)
        add(label, ok, f"{n(PERCENT_NUMERATORS[key]):,}/{n(published.loc[key, 'denominator']):,} = {exact:.2f} %, printed {published.loc[key, 'printed']} %.", key)
    parts = n("lbc_boys_n") + n("lbc_girls_n")
    shares_ok = all(_share(published, k)[0] for k in ("lbc_boys_pct", "lbc_girls_pct"))
    add("Boys and girls among LBC", parts == n("lbc_n") and shares_ok,
        f"{n('lbc_boys_n'):,} + {n('lbc_girls_n'):,} = {parts:,} (printed {n('lbc_n'):,}); both shares recompute to the printed values.",
        "lbc_boys_n, lbc_girls_n, lbc_boys_pct, lbc_girls_pct")
    stages = ("lbc_primary_n", "lbc_junior_n", "lbc_senior_n")
    stage_sum = sum(n(k) for k in stages)
    shares_ok = all(_share(published, k)[0] for k in ("lbc_primary_pct", "lbc_junior_pct", "lbc_senior_pct"))
    add("School stages among LBC", stage_sum == n("lbc_n") and shares_ok,
        f"{' + '.join(f'{n(k):,}' for k in stages)} = {stage_sum:,}; the three shares recompute to the printed values.",
        "lbc_primary_n, lbc_junior_n, lbc_senior_n and shares")
    rural = f["rural_numerators"]
    add("Rural share of LBC (numerator not printed)", len(rural) > 0,
        f"{len(rural)} integer counts ({rural[0]:,}–{rural[-1]:,} of {n('lbc_n'):,}) print as {published.loc['lbc_rural_pct', 'printed']} %.",
        "lbc_rural_pct")
    hc = f["help_counts"]
    unique = all(len(x) == 1 for x in hc["counts_consistent"])
    add("Help-seeking shares resolve to counts that add up", unique and f["help_total"] == f["nssi"],
        "Each share fits exactly one count of " + f"{f['nssi']}: " + ", ".join(f"{r.category} {r.count}" for r in hc.itertuples())
        + f"; they sum to {f['help_total']}.", ", ".join(HELP_SEEKING))
    girls = f["reconstructions"]["girls_vs_boys"]
    add("Girls vs boys OR and CI", len(girls) == 1,
        f"Exactly {len(girls)} table fits OR {published.loc['or_girls_vs_boys', 'printed']} "
        f"({published.loc['or_girls_vs_boys_ci_low', 'printed']}–{published.loc['or_girls_vs_boys_ci_high', 'printed']}) with the printed margins.",
        "or_girls_vs_boys, CI limits")
    boarders = f["reconstructions"]["boarders_vs_nonboarders"]
    size = boarders["a"] + boarders["b"]
    add("Boarders vs non-boarders OR and CI", len(boarders) > 0,
        f"{len(boarders)} tables fit, with {size.min():,}–{size.max():,} boarders; the number of boarders is not printed.",
        "or_boarder, CI limits")
    add("County towns: \"LBC higher\" printed as \"3.1 % versus 4.5 %\"", False,
        "In the junior-school comparison the LBC value comes first; read the same way, LBC are lower here, contradicting \"higher\".",
        "nssi_county_first_pct, nssi_county_second_pct")
    m2 = f["county_min_nlbc_if_lbc_is_second"]
    add("County towns: can 4.5 % vs 3.1 % reach P < 0.001?", m2 is not None,
        f"With {min(f['urban_lbc']):,}–{max(f['urban_lbc']):,} non-rural LBC (derived; county town taken as non-rural), it needs at least {m2:,} NLBC county-town pupils of the {f['nlbc_n']:,} NLBC." if m2 else
        "No NLBC group size up to the NLBC total makes it significant.", "p_county_lbc_vs_nlbc")
    add("\"Significantly higher than NLBC\" without an NLBC rate", False,
        f"The NLBC overall rate is not printed; the claim (P < 0.05) holds only if at most {f['nlbc_threshold']:,} of the {f['nlbc_n']:,} NLBC ({f['nlbc_threshold_pct']:.2f} %) reported NSSI.",
        "nssi_lbc_pct")
    jm = f["junior_min_nlbc"]
    add("Junior middle school: 5.6 % vs 4.4 %, P < 0.05", jm is not None,
        f"Possible: with {f['junior_numerators'][0]}–{f['junior_numerators'][-1]} cases among {n('lbc_junior_n'):,} LBC it needs at least {jm:,} NLBC junior pupils." if jm else
        "Not possible with any NLBC group size.", "nssi_junior_lbc_pct, p_junior_lbc_vs_nlbc")
    add("Mean age 13.51 ± 2.32 in a 10–18 range", v("age_sd") <= f["max_sd"],
        f"The largest SD possible with this mean on 10–18 is {f['max_sd']:.2f}; the school-stage mix implies a mean near {f['mix_mean']:.2f} and SD near {f['mix_sd']:.2f} (assumed ages per stage).",
        "age_mean, age_sd")
    add("Age range 10–18 vs inclusion \"younger than 18\"", v("age_max") < v("lbc_age_limit"),
        f"Ages run to {n('age_max')} but the LBC definition requires younger than {n('lbc_age_limit')}; the text does not say how 18-year-olds were classed.",
        "age_max, lbc_age_limit")
    add("\"Incidence\" for a past-or-present measure", False,
        "NSSI was asked about \"in the past or present\", which is a lifetime prevalence, yet the text calls 4.6 % an incidence.",
        "nssi_lbc_pct")
    add("Coping factors", n("cssmss_problem_factors") + n("cssmss_emotion_factors") == n("cssmss_factors"),
        f"{n('cssmss_problem_factors')} problem-oriented + {n('cssmss_emotion_factors')} emotion-oriented = {n('cssmss_factors')} factors.",
        "cssmss_factors")
    repeats_ok = all(bool(rounds_to(v(r), v(k), int(published.loc[k, 'decimals']))) for k, r in REPEATS.items())
    add("Abstract and Discussion repeat the Results", repeats_ok,
        f"All {len(REPEATS)} repeated numbers agree with the Results at their printed precision.", ", ".join(REPEATS))
    return pd.DataFrame(rows)


def _rule_results(published: pd.DataFrame, f: dict) -> dict[str, tuple[str, str, str]]:
    """key -> (reproduced value, status, reason) for every key a specific rule covers."""
    v = lambda k: value(published, k)  # noqa: E731
    n = lambda k: count(published, k)  # noqa: E731
    out: dict[str, tuple[str, str, str]] = {}
    for key in PERCENT_NUMERATORS:
        ok, exact = _share(published, key)
        den = published.loc[key, "denominator"]
        out[key] = (f"{exact:.2f}", "reproduced" if ok else "flagged",
                    f"{n(PERCENT_NUMERATORS[key]):,}/{n(den):,} = {exact:.2f} %" + ("" if ok else " does not round to the printed value"))
    gran = {row.key: row.numerators for row in granularity_results(published).itertuples()}
    for key in UNPRINTED_NUMERATORS:
        fits, den = gran[key], n(published.loc[key, "denominator"])
        shown = f"{fits[0]:,}" if len(fits) == 1 else f"{fits[0]:,}–{fits[-1]:,}" if fits else "none"
        extra = f"; the four counts sum to {f['help_total']}" if key in HELP_SEEKING else ""
        out[key] = (f"{shown} of {den:,}", "consistent" if fits else "flagged",
                    (f"{len(fits)} integer numerator{'s' if len(fits) != 1 else ''} of {den:,} print{'' if len(fits) != 1 else 's'} as this share{extra}" if fits else "no integer numerator fits"))
    for key, target in REPEATS.items():
        ok = bool(rounds_to(v(target), v(key), int(published.loc[key, "decimals"])))
        same = published.loc[key, "printed"] == published.loc[target, "printed"]
        out[key] = (published.loc[target, "printed"], "reproduced" if ok and same else "consistent" if ok else "flagged",
                    f"repeats {target}" + ("" if same else f" ({published.loc[target, 'printed']}) at lower precision") + ("" if ok else " but disagrees"))
    parts = n("lbc_boys_n") + n("lbc_girls_n")
    stage_sum = sum(n(k) for k in STAGE_MID_AGE)
    out["lbc_n"] = (f"{parts:,}", "reproduced" if parts == stage_sum == n("lbc_n") else "flagged",
                    f"boys + girls = {parts:,}; primary + junior + senior = {stage_sum:,}")
    for key in ("lbc_boys_n", "lbc_girls_n"):
        out[key] = (f"{n('lbc_n') - parts + n(key):,}", "consistent" if parts == n("lbc_n") else "flagged",
                    f"with the other sex sums to {parts:,}")
    for key in STAGE_MID_AGE:
        out[key] = (f"{n('lbc_n') - stage_sum + n(key):,}", "consistent" if stage_sum == n("lbc_n") else "flagged",
                    f"the three stages sum to {stage_sum:,}")
    out["collected"] = ("", "consistent", f"at least as large as the {n('valid_methods'):,} valid questionnaires")
    out["valid_methods"] = (f"{n('analysed') + f['gap']:,}", "consistent",
                            f"reproduces the printed {published.loc['valid_rate_pct', 'printed']} % with {n('collected'):,}; see analysed for the gap")
    out["analysed"] = (f"{n('valid_methods'):,}", "flagged" if f["gap"] else "reproduced",
                       f"{f['gap']:,} fewer than the {n('valid_methods'):,} valid questionnaires, with no reason given")
    out["nssi_lbc_n"] = (f"{f['help_total']}", "reproduced" if f["help_total"] == n("nssi_lbc_n") else "flagged",
                         "the four help-seeking counts sum to it; it is also a margin of the girls-vs-boys table")
    for name, keys in (("girls_vs_boys", ("or_girls_vs_boys", "or_girls_vs_boys_ci_low", "or_girls_vs_boys_ci_high")),
                       ("boarders_vs_nonboarders", ("or_boarder", "or_boarder_ci_low", "or_boarder_ci_high"))):
        sol = f["reconstructions"][name]
        for key, column in zip(keys, ("or", "ci_low", "ci_high")):
            if len(sol) == 1:
                out[key] = (f"{sol[column].iloc[0]:.4f}", "reproduced", "recomputed from the unique consistent 2×2 table")
            elif len(sol) > 1:
                out[key] = (f"{sol[column].min():.4f}–{sol[column].max():.4f}", "consistent",
                            f"{len(sol)} integer tables fit; the boarder count is not printed")
            else:
                out[key] = ("", "flagged", "no integer table fits the printed OR and CI")
    out["age_min"] = (published.loc["exclusion_age", "printed"], "consistent", "agrees with excluding children under 10")
    out["exclusion_age"] = (published.loc["age_min", "printed"], "consistent", "the youngest age printed is 10")
    reason = f"ages run to {n('age_max')} although LBC had to be younger than {n('lbc_age_limit')}"
    out["age_max"] = ("", "flagged", reason)
    out["lbc_age_limit"] = ("", "flagged", reason)
    out["age_mean"] = (f"{f['mix_mean']:.2f}", "consistent",
                       "close to the mean implied by the school-stage mix (assumed ages per stage); GRIM cannot bite at this n")
    out["age_sd"] = (f"≤ {f['max_sd']:.2f}", "consistent" if v("age_sd") <= f["max_sd"] else "flagged",
                     f"below the largest SD possible on 10–18 with this mean; stage mix implies about {f['mix_sd']:.2f}")
    span = n("last_grade_senior") + 9 - n("first_grade_primary") + 1
    for key in ("first_grade_primary", "last_grade_senior"):
        out[key] = (f"{span} grades", "consistent" if span == n("age_max") - n("age_min") + 1 else "flagged",
                    f"grades 4 (primary) to 3 (senior) span {span} school years, matching the {n('age_max') - n('age_min') + 1} ages 10–18")
    schools = n("county_town_primary_schools") + n("county_town_secondary_schools")
    out["towns_sampled"] = ("", "consistent" if n("towns_sampled") <= n("yingshan_townships") else "flagged",
                            f"{n('towns_sampled')} towns sampled of the county's {n('yingshan_townships')} townships")
    out["yingshan_townships"] = out["towns_sampled"]
    for key in ("county_town_primary_schools", "county_town_secondary_schools", "yingshan_schools"):
        out[key] = ("", "consistent" if schools <= n("yingshan_schools") else "flagged",
                    f"{schools} county-town schools added, within the county's {n('yingshan_schools')} schools")
    for key in ("osi_alpha_function", "osi_alpha_factor_low", "osi_alpha_factor_high"):
        ok = 0 <= v("osi_alpha_factor_low") <= v("osi_alpha_factor_high") <= v("osi_alpha_function") <= 1
        out[key] = ("", "consistent" if ok else "flagged",
                    "factor alphas ordered low ≤ high and below the longer function scale's alpha, all within 0–1")
    for key in ("cssmss_retest", "cssmss_alpha"):
        out[key] = ("", "consistent" if 0 <= v(key) <= 1 else "flagged", "within 0–1 as a reliability coefficient must be")
    total_factors = n("cssmss_problem_factors") + n("cssmss_emotion_factors")
    for key in ("cssmss_factors", "cssmss_problem_factors", "cssmss_emotion_factors"):
        out[key] = (f"{total_factors}", "reproduced" if total_factors == n("cssmss_factors") else "flagged",
                    "problem-oriented + emotion-oriented factors = all factors")
    out["help_item_options"] = ("", "consistent",
                                "options 1, 2 and 3 map to the first three Results categories and options 4–8 to professional help")
    out["alpha_level"] = ("", "consistent", "every significance claim uses P at or below 0.05, and the null claim P > 0.05")
    out["p_junior_lbc_vs_nlbc"] = (f"n_NLBC ≥ {f['junior_min_nlbc']:,}" if f["junior_min_nlbc"] else "",
                                   "consistent" if f["junior_min_nlbc"] else "flagged",
                                   "reachable if the NLBC junior group is at least this large (derived)")
    m2 = f["county_min_nlbc_if_lbc_is_second"]
    out["p_county_lbc_vs_nlbc"] = (f"n_NLBC ≥ {m2:,}" if m2 else "", "consistent" if m2 else "flagged",
                                   "reachable if the NLBC county-town group is at least this large (derived)")
    order = "printed order contradicts \"LBC higher\" (3.1 % first)"
    out["nssi_county_first_pct"] = ("", "flagged", order)
    out["nssi_county_second_pct"] = ("", "flagged", order)
    for key, why in UNCHECKABLE_P.items():
        out[key] = ("", "not_checkable", f"not checkable: {why}")
    for key, why in UNCHECKABLE_FACTS.items():
        out[key] = ("", "not_checkable", f"not checkable: {why}")
    return out


def scorecard(published: pd.DataFrame, facts: dict | None = None) -> pd.DataFrame:
    """Every provenance row with its reproduced value, status and reason.

    Rows citing other studies are ``not_checkable``; any row no rule
    covers raises ``KeyError`` naming it (nothing is skipped silently).
    """
    f = facts or audit_facts(published)
    results = _rule_results(published, f)
    rows = []
    for key, row in published.iterrows():
        if key in results:
            reproduced, status, reason = results[key]
        elif "cited from reference" in row["note"]:
            reproduced, status, reason = "", "not_checkable", "not checkable: cited from another study"
        else:
            raise KeyError(f"no audit rule covers published key {key!r}")
        rows.append({"key": key, "published": row["printed"], "unit": row["unit"],
                     "where": f"{row['section']}, {row['paragraph']}", "reproduced": reproduced,
                     "status": status, "reason": reason})
    return pd.DataFrame(rows)


def audit_report(published: pd.DataFrame, z: float = Z_TEXTBOOK) -> dict:
    """The whole audit as plain JSON-ready data (the shape is documented in "Auditing the numbers")."""
    facts = audit_facts(published)
    if z != Z_TEXTBOOK:
        facts["reconstructions"] = reconstructions(published, z=z)
    card = scorecard(published, facts)
    gran = granularity_results(published)
    return {
        "source": "yong2023",
        "ci_method": {"name": "woolf", "z": z, "decimals": 2,
                      "rounding": "a printed value matches any exact value within half a printed unit, ends included"},
        "summary": {s: int((card["status"] == s).sum()) for s in STATUSES},
        "scorecard": card.to_dict("records"),
        "checks": consistency_checks(published, facts).to_dict("records"),
        "granularity": [
            {"key": r.key, "printed": r.printed, "denominator": int(r.denominator),
             "numerators": [int(k) for k in r.numerators],
             "printed_numerator": None if r.printed_numerator is None or pd.isna(r.printed_numerator) else int(r.printed_numerator)}
            for r in gran.itertuples()
        ],
        "reconstructions": [
            {"name": name, "solutions": [
                {"a": int(s["a"]), "b": int(s["b"]), "c": int(s["c"]), "d": int(s["d"]),
                 "or": float(s["or"]), "ci_low": float(s["ci_low"]), "ci_high": float(s["ci_high"])}
                for s in sol.to_dict("records")]}
            for name, sol in facts["reconstructions"].items()
        ],
    }


def granularity_table(published: pd.DataFrame) -> pd.DataFrame:
    """Display form of :func:`granularity_results`: how many numerators fit, their range, the printed one."""
    gran = granularity_results(published)
    return pd.DataFrame(
        {
            "printed %": gran["printed"].to_numpy(),
            "denominator": gran["denominator"].to_numpy(),
            "numerators that fit": [len(k) for k in gran["numerators"]],
            "smallest": [k[0] if k else None for k in gran["numerators"]],
            "largest": [k[-1] if k else None for k in gran["numerators"]],
            "printed numerator": pd.array(gran["printed_numerator"].tolist(), dtype="Int64"),
        },
        index=pd.Index(gran["key"], name="key"),
    )


def granularity_verdict(gran: pd.DataFrame) -> str:
    """One sentence on :func:`granularity_table`, written from it: do printed numerators fit, does every share fit some integer?"""
    has = gran["printed numerator"].notna()
    numerator = gran["printed numerator"].astype("Float64")
    outside = has & ~((numerator >= gran["smallest"].astype("Float64")) & (numerator <= gran["largest"].astype("Float64"))).fillna(False)
    empty = gran["numerators that fit"] == 0
    first = ("Every printed numerator lies inside its window" if not outside.any()
             else f"The printed numerator of {', '.join(gran.index[outside])} lies outside its window")
    without = ~has
    if not (empty & without).any():
        second = "every share without a printed numerator still admits at least one integer"
    else:
        second = f"{', '.join(gran.index[empty & without])} admit no integer numerator at all"
    return f"{first}, and {second}."

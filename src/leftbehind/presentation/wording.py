"""Sentences whose wording depends on a result, generated from that result.

A chapter must never say "some" beside a 0, or "removes" when nothing was removed.
Each function here takes the numbers a claim rests on and returns the sentence (or
phrase) that those numbers support, so the wording changes when the numbers do.
Numbers inside the returned text are formatted here, at the precision shown.
"""

from __future__ import annotations

from collections.abc import Sequence

NUMBER_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten"}


def number_word(n: int) -> str:
    """``n`` as a word up to ten ("no" for 0), digits above."""
    if n < 0:
        raise ValueError(f"a count cannot be negative, got {n}")
    return NUMBER_WORDS.get(int(n), f"{int(n):,}")


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """"no differences", "one difference", "3 differences" (word up to ten)."""
    plural = plural or singular + "s"
    return f"{number_word(n)} {singular if n == 1 else plural}"


def names_list(names: Sequence[str], empty: str = "none") -> str:
    """"a", "a and b", "a, b and c"; ``empty`` for an empty list."""
    names = [str(n) for n in names]
    if not names:
        return empty
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def share_of(part: int, whole: int) -> str:
    """"none of the 5", "2 of the 5", "all 5", "the only one" — how many of ``whole`` a count covers."""
    if not 0 <= part <= whole:
        raise ValueError(f"part {part} is not between 0 and the whole {whole}")
    if whole == 1:
        return "the only one" if part == 1 else "not the only one"
    if part == 0:
        return f"none of the {whole:,}"
    if part == whole:
        return f"all {whole:,}"
    return f"{part:,} of the {whole:,}"


def effect_size_band(d: float) -> str:
    """Cohen's conventional band for a standardised difference ``d`` (its size, either sign): "negligible" under
    0.2, "small" under 0.5, "medium" under 0.8, else "large"."""
    size = abs(float(d))
    if size != size:
        raise ValueError("an effect size that is not a number has no band")
    return "negligible" if size < 0.2 else "small" if size < 0.5 else "medium" if size < 0.8 else "large"


def multiplicity_claim(raw: int, holm: int, bh: int, what: str = "coping differences") -> tuple[str, str]:
    """``(lead, sentence)`` summarising what Holm and Benjamini–Hochberg adjustment did (plain text; the page bolds the lead).

    ``raw``, ``holm`` and ``bh`` are the numbers of tests significant before and
    after each adjustment (:func:`leftbehind.stats.multiplicity.significance_counts`).
    """
    if not (0 <= holm <= raw and 0 <= bh <= raw):
        raise ValueError(f"adjusted counts ({holm}, {bh}) cannot exceed the raw count {raw}")
    lost_holm, lost_bh = raw - holm, raw - bh
    if raw == 0:
        return (f"No {what} to adjust.",
                "None is significant as printed, so adjusting for multiplicity changes nothing.")
    if lost_holm == 0 and lost_bh == 0:
        return (f"Multiplicity adjustment removes none of the {what}.",
                f"{share_of(raw, raw).capitalize()} raw significant results survive both Holm's and the "
                "Benjamini–Hochberg adjustment.")
    lead = "every one of the" if min(lost_holm, lost_bh) == raw else "some"
    return (f"Multiplicity removes {lead} {what}.",
            f"Holm's adjustment removes {share_of(lost_holm, raw)} raw significant results, and "
            f"Benjamini–Hochberg removes {share_of(lost_bh, raw)}.")


def ratio_noise_claim(outside: Sequence[str], n_terms: int, clustering: str) -> str:
    """Which robust/naive SE ratios lie outside the range chance alone gives on this design."""
    if not outside:
        return (f"Clustering by {clustering}, none of the {n_terms} ratios lies outside the range that chance alone "
                "produces on this design, so none of the changes can be read as a real difference between terms.")
    verb = "lies" if len(outside) == 1 else "lie"
    return (f"Clustering by {clustering}, the ratio for {names_list(outside)} {verb} outside the range chance alone "
            f"produces on this design; the other {n_terms - len(outside)} are within it.")


def significance_change_claim(changed: Sequence[str], method: str) -> str:
    """"With <method>, no term changes significance" or which ones do."""
    if not changed:
        return f"With {method}, no term changes significance at the 5 % level."
    verb = "changes" if len(changed) == 1 else "change"
    return f"With {method}, {names_list(changed)} {verb} significance at the 5 % level."


def by_construction_odds(min_p: float, k: int) -> float:
    """Chance that ``k`` independent p-values under true null hypotheses are all at least ``min_p``: ``(1 - min_p)^k``.

    p-values from one model are not independent, so this is a rough yardstick for
    how unusual a set of uniformly large null p-values is, not an exact probability.
    """
    if not 0 <= min_p <= 1 or k < 0:
        raise ValueError("min_p must be a probability and k a count")
    return (1 - min_p) ** k


def survivors_lead(n: int, what: str = "association") -> str:
    """Lead of the "what survives" bullet: "No association survives ...", "Two associations survive ..."."""
    noun = f"No {what}" if n == 0 else count_noun(n, what).capitalize()
    return f"{noun} {'survives' if n <= 1 else 'survive'} every check here."


def extras_phrase(extra: Sequence[str], missing: Sequence[str]) -> str:
    """What a selection keeps relative to the paper: "only the paper's variables", or what it adds and misses."""
    parts = []
    if extra:
        parts.append(f"also keeps {names_list(extra)}")
    if missing:
        parts.append(f"misses {names_list(missing)}")
    return "keeps exactly the paper's variables" if not parts else " and ".join(parts)


def noise_conclusion(n_outside: int) -> str:
    """What the SE-ratio simulation lets a reader conclude, given how many ratios fell outside chance's range."""
    if n_outside == 0:
        return ("So whether a particular term's ratio is below or above 1 is noise of a design with few, unequal "
                "clusters, not evidence that some characteristics are immune to clustering.")
    return ("Only the ratios named above differ from 1 by more than this design's noise; for the others, whether "
            "the ratio is below or above 1 is noise, not evidence that some characteristics are immune to clustering.")


def lasso_agreement(agree: int, first: int, kept: int) -> str:
    """How the first variables on the lasso path compare with the ``kept`` variables of backward elimination.

    ``first`` variables enter the path first (ties can make it more than ``kept``); ``agree`` of them are kept.
    """
    if not 0 <= agree <= min(first, kept):
        raise ValueError(f"{agree} agreeing variables cannot exceed the {first} first on the path or the {kept} kept")
    if kept == 0:
        return "Backward elimination keeps no variables, so there is nothing to set beside the lasso path."
    path = (f"among the {count_noun(first, 'variable')} that enter the lasso path first" if first != 1
            else "the variable that enters the lasso path first")
    if agree == first == kept:
        if kept == 1:
            return "The variable that enters the lasso path first is the one that backward elimination keeps."
        return (f"The {count_noun(kept, 'variable')} that enter the lasso path first are exactly the "
                f"{number_word(kept)} that backward elimination keeps.")
    if kept == 1:
        return f"Backward elimination keeps one variable, and it is {'' if agree else 'not '}{path}."
    if agree == 0:
        share, verb = "none", "is"
    elif agree == kept:
        share, verb = f"all {number_word(kept)}", "are"
    else:
        share, verb = number_word(agree), "is" if agree == 1 else "are"
    return f"Of the {count_noun(kept, 'variable')} that backward elimination keeps, {share} {verb} {path}."

"""``release/`` and ``restricted/``: what each folder holds, who may see it, and the disclosure report.

For real data, ``analyse`` splits its outputs in two:

* ``release/``: tables and figures meant for publication, with small cells suppressed
  (:mod:`leftbehind.release.study`, :mod:`leftbehind.paper.release_tables`), and ``disclosure.txt``;
* ``restricted/``: the row-level analysis dataset, the exact tables, the run log --
  for the research team under the study's ethics approval and data agreement only.

This module only makes text (nothing is written here), so the command keeps its
all-or-nothing writing.
"""

from __future__ import annotations

from leftbehind.release.suppression import COMPLEMENTARY, marker

RELEASE = "release"
RESTRICTED = "restricted"


def release_readme(threshold: int, tier_text: str) -> str:
    return f"""RELEASE: outputs meant for publication ({tier_text})

These tables and figures were prepared for a report, a thesis or a paper.
Every count below {threshold} is shown as {marker(threshold)}; a count hidden only so that a
small one cannot be worked out by subtraction from a total is shown as {COMPLEMENTARY}.
Percentages, confidence intervals, means and tests that would reveal a hidden
count are shown as {COMPLEMENTARY} too. Odds ratios estimated from a category with fewer
than {threshold} respondents with (or without) the outcome are suppressed.

Who may see it: anyone, once you have read disclosure.txt and checked the points
it lists by hand. Publish only what is in this folder. Nothing row-level is here;
no identifier (respondent, school or any column outside the analysis) is here.
"""


def restricted_readme(tier_text: str) -> str:
    return f"""RESTRICTED: row-level data and exact tables ({tier_text}) -- do not publish

analysis.csv holds one row per respondent. The tables here show exact counts,
however small, and run_log.txt repeats some of them. A cell of one to four
children in a school or a small town can identify a child.

Who may see it: only the research team named in the study's ethics approval and
data agreement, on the machines that agreement allows. Do not e-mail it, upload
it, paste it into a report or commit it to a repository. Publish from ../release/.
"""


def disclosure_section(threshold: int, suppressed: dict[str, int], notes: list[str],
                       identifiers: list[str], released: list[str]) -> dict:
    """The ``disclosure`` section of the JSON summary."""
    return {
        "threshold": threshold,
        "rule": (f"counts below {threshold} shown as {marker(threshold)}; counts hidden to protect them shown as "
                 f"{COMPLEMENTARY}; percentages, intervals, means and tests that would reveal a hidden count shown "
                 f"as {COMPLEMENTARY}; odds ratios from a small cell suppressed"),
        "suppressed_cells": suppressed,
        "suppressed_total": int(sum(suppressed.values())),
        "notes": notes,
        "identifiers_kept_out_of_release": identifiers,
        "released_files": released,
        "check_by_hand": check_by_hand(threshold),
    }


def check_by_hand(threshold: int) -> list[str]:
    return [
        "Free-text and identifying columns (names, respondent or school IDs, addresses, dates of birth) never reach "
        "any release output; make sure none of them was renamed into a column the analysis uses.",
        "If a group or category describes a single school, class or small place, a count of "
        f"{threshold} or more may still identify children there: merge such categories or raise the threshold.",
        "Tables you publish elsewhere (the same survey in another paper, or another run with different "
        "exclusions) can be subtracted from these: publish each cell from one run only.",
        "flow.csv counts questionnaires left out for blank or invalid answers, as counted; if an exclusion rule "
        "is defined by a sensitive answer, leave flow.csv out of what you publish.",
        "Figures show only what the release tables show; read each alt text before publishing.",
    ]


def disclosure_text(section: dict, tier_text: str) -> str:
    """``release/disclosure.txt``: the threshold, what was suppressed where and why, what to check by hand."""
    lines = [f"Disclosure report ({tier_text})", "",
             f"Threshold: counts below {section['threshold']} are not published.", f"Rule: {section['rule']}.", ""]
    if section["suppressed_cells"]:
        lines.append(f"Suppressed cells: {section['suppressed_total']} in all.")
        lines += [f"  - {name}: {n}" for name, n in section["suppressed_cells"].items()]
    else:
        lines.append(f"Suppressed cells: none (no published count was below {section['threshold']}, "
                     "and none had to be hidden to protect another).")
    lines += [f"  - {note}" for note in section["notes"]]
    lines += ["", "Identifying or unused columns, never copied to release/: " +
              (", ".join(section["identifiers_kept_out_of_release"]) or "none found"), "",
              "Check by hand before publishing:"]
    lines += [f"  - {item}" for item in section["check_by_hand"]]
    lines += ["", "Files in release/: " + ", ".join(section["released_files"])]
    return "\n".join(lines) + "\n"

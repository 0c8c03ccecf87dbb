"""``python -m leftbehind numbers``: the numbers manifest of a built book, and a comparison of two builds.

``numbers`` prints how many numbers the built book shows, by tier.  ``numbers --compare OTHER.json`` compares
another build's manifest (another machine, the conda environment, a newer lock) with this one and lists every
number whose shown text differs, with its page and key; it exits 1 when any differs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from leftbehind.core.errors import UserError
from leftbehind.core.paths import repo_root
from leftbehind.presentation.manifest import ManifestError, compare, load


def add_arguments(parser) -> None:
    parser.add_argument("--manifest", metavar="PATH", type=Path, default=None,
                        help="this build's manifest (default: _build/html/numbers.json in the repository)")
    parser.add_argument("--compare", metavar="OTHER", type=Path, default=None,
                        help="another build's numbers.json; list every number whose shown text differs (exit 1)")


def run(args) -> int:
    path = args.manifest or repo_root() / "_build" / "html" / "numbers.json"
    try:
        ours = load(path)
        theirs = load(args.compare) if args.compare is not None else None
    except ManifestError as err:
        raise UserError(str(err)) from err
    if theirs is None:
        tiers = Counter(e.get("tier") for e in ours["numbers"])
        pages = len({e["page"] for e in ours["numbers"]})
        print(f"{path}: {len(ours['numbers']):,} numbers on {pages} pages ("
              + ", ".join(f"{tier}: {count:,}" for tier, count in sorted(tiers.items(), key=str)) + ")")
        return 0
    differences = compare(ours, theirs)
    if not differences:
        print(f"The same {len(ours['numbers']):,} numbers, shown identically, in {path} and {args.compare}.")
        return 0
    print(f"{len(differences):,} number(s) differ between {path} (this build) and {args.compare} (other build):")
    for difference in differences:
        print("  " + difference.describe())
    return 1

"""``python -m leftbehind audit``: audit Yong et al. (2023) from its own printed numbers.

Writes the scorecard, the consistency checks, the granularity results and the
2×2 reconstructions as JSON (``--json PATH``) and prints a one-line summary.
The JSON shape is documented in the chapter "Auditing the numbers".
"""

from __future__ import annotations

import json
from pathlib import Path

from leftbehind.audit.scorecard import audit_report
from leftbehind.core.errors import UserError
from leftbehind.core.provenance import ProvenanceError, load_published
from leftbehind.audit.reconstruction import Z_EXACT, Z_TEXTBOOK


def add_arguments(parser) -> None:
    parser.add_argument("--json", metavar="PATH", type=Path, help="write the full audit as JSON to PATH")
    parser.add_argument("--z", choices=("1.96", "exact"), default="1.96",
                        help="normal quantile for the Woolf interval (default 1.96; 'exact' = 1.959964…)")


def run(args) -> int:
    try:
        published = load_published("yong2023")
    except (ProvenanceError, FileNotFoundError) as err:
        raise UserError(str(err)) from err
    report = audit_report(published, z=Z_EXACT if args.z == "exact" else Z_TEXTBOOK)
    if args.json is not None:
        if not args.json.parent.exists():
            raise UserError(f"--json {args.json}: folder {args.json.parent} does not exist")
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = report["summary"]
    tables = ", ".join(f"{r['name']}: {len(r['solutions'])} table(s)" for r in report["reconstructions"])
    print(f"{sum(summary.values())} published numbers: {summary['reproduced']} reproduced, "
          f"{summary['consistent']} consistent, {summary['flagged']} flagged, "
          f"{summary['not_checkable']} not checkable; {tables}")
    if args.json is not None:
        print(f"wrote {args.json}")
    return 0

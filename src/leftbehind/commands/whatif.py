"""``python -m leftbehind whatif``: rerun the key results with other parameters.

The command-line twin of the "What if?" notebook: the same parameters (seed,
sample size, one assumption, the removal threshold), the same function
(:func:`leftbehind.paper.sensitivity.what_if`).  Prints a short summary and, with
``--json PATH``, writes every result.  The cohort is synthetic.
"""

from __future__ import annotations

import json
from pathlib import Path

from leftbehind.core.errors import UserError
from leftbehind.paper.sensitivity import COHORT_SEED, WhatIf, what_if


def _assignment(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise UserError(f"--set expects ID=VALUE (an id of data/synthetic/assumptions.csv), got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def add_arguments(parser) -> None:
    parser.add_argument("--seed", type=int, default=COHORT_SEED, help=f"cohort seed (default {COHORT_SEED})")
    parser.add_argument("--n", type=int, default=None, help="analyse a random sample of N pupils (default: all)")
    parser.add_argument("--coping-scale", type=float, default=1.0,
                        help="multiply the assumed coping-NSSI effects by this factor (default 1)")
    parser.add_argument("--threshold", type=float, default=0.10,
                        help="removal p-value of the backward elimination (default 0.10, as SPSS)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="ID=VALUE",
                        help="replace an assumptions-register value (repeatable), e.g. --set school_effect_sd=0; "
                             "see --list for the ids, their meaning and current values")
    parser.add_argument("--list", action="store_true",
                        help="list the --set ids (data/synthetic/assumptions.csv) with their meaning and current values")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the parameters and results as JSON")
    parser.add_argument("--data", type=Path, default=None, help=argparse_suppress_help())
    parser.add_argument("--spec", type=Path, default=None, help=argparse_suppress_help())
    parser.epilog = ("whatif reruns the synthetic cohort only (generated pupils, not real children). "
                     "For your own survey use: python -m leftbehind analyse DATA --spec SPEC.yaml --out DIR")


def argparse_suppress_help():
    import argparse

    return argparse.SUPPRESS


def refuse_own_data(args) -> None:
    """whatif changes the generator's assumptions, so it cannot run on a reader's own data: say so."""
    if getattr(args, "data", None) is not None or getattr(args, "spec", None) is not None:
        raise UserError("whatif reruns the synthetic cohort only (it changes the generator's assumptions, which "
                        "real data do not have); for your own survey run: python -m leftbehind analyse DATA "
                        "--spec SPEC.yaml --out DIR")


def print_listing() -> None:
    """The ``--set`` ids, current values and meanings, one block per id (readable in a narrow terminal)."""
    import textwrap

    from leftbehind.paper.sensitivity import assumptions_listing

    print("Assumptions of the synthetic cohort you can change with --set ID=VALUE "
          "(values with several parts are separated by ';'):\n")
    for row in assumptions_listing().itertuples(index=False):
        print(f"{row.id} = {row[1]}")
        print(textwrap.fill(row.meaning, width=88, initial_indent="    ", subsequent_indent="    "))


def run(args) -> int:
    refuse_own_data(args)
    if args.list:
        print_listing()
        return 0
    params = WhatIf(seed=args.seed, n=args.n, coping_scale=args.coping_scale, threshold=args.threshold,
                    overrides=dict(_assignment(a) for a in args.overrides))
    from leftbehind.stats.fast_logit import single_threaded_blas

    with single_threaded_blas():  # small fits: OpenBLAS's threads would only contend for the cores
        outcome = what_if(params)
    results = outcome["results"]
    print("synthetic cohort (not real children); parameters: "
          + ", ".join(f"{k}={v}" for k, v in outcome["parameters"].items() if v not in (None, {})))
    print(f"pupils analysed: {results['n']:,} ({results['lbc_n']:,} left-behind)")
    print(f"NSSI: {results['nssi_lbc_pct']:.1f} % of LBC vs {results['nssi_nlbc_pct']:.1f} % of NLBC "
          f"(chi-square p = {results['nssi_lbc_vs_nlbc_p']:.3g})")
    for table in ("7", "8"):
        if not results[f"table{table}_fitted"]:
            print(f"Table {table}: the full model cannot be fitted in this sample:")
            for reason in outcome["not_estimable"].get(f"table{table}", []):
                print(f"  - {reason}")
            continue
        print(f"Table {table} keeps: {', '.join(results[f'table{table}_retained']) or '(nothing)'}"
              f"{' (includes every variable the paper keeps)' if results[f'table{table}_as_paper'] else ''}")
    print(f"coping differences LBC vs NLBC with p < 0.05: {results['coping_differences_significant']} "
          f"of {results['coping_comparisons']}")
    print(f"school design effect for NSSI among LBC: {results['design_effect_nssi_lbc']:.2f}")
    if args.json is not None:
        if not args.json.parent.exists():
            raise UserError(f"--json {args.json}: folder {args.json.parent} does not exist")
        table7 = outcome["table7"]
        record = {**outcome, "table7": None if table7 is None else table7.reset_index().to_dict(orient="records")}
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0

"""``python -m leftbehind analyse RAW --out DIR [--json PATH] [--encoding ENC] [--drop VAR] [--merge VAR=a,b]``.

Validate -> exclude (counted) -> derive -> score -> write the analysis dataset,
the participant flow and the run log; then the tables and models
(:func:`leftbehind.paper.report.write_analysis_outputs`).  RAW is a CSV (UTF-8, with or
without BOM, or GB18030/GBK) or an Excel ``.xlsx`` file.  An invalid file writes
nothing and exits 2.  A valid file always gets every table that can be computed;
a model that cannot be estimated is reported as "not estimable" with the reason
and what to do (``--drop`` / ``--merge``).  Outputs are written into a temporary
folder beside DIR and moved into place only when the run succeeds.

When the Yingshan spec declares the data real (``tier: real`` in
``data/specs/yingshan.yaml``), the exact outputs go to ``DIR/restricted/`` and the
tables and figures meant for publication, with small cells suppressed, to
``DIR/release/`` with ``disclosure.txt`` (:mod:`leftbehind.release`); ``--json``
then receives the release summary.  Synthetic data keep the flat layout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from leftbehind.yingshan.clean import exclusions_by_reason
from leftbehind.core.errors import UserError
from leftbehind.stats.estimable import collect_warnings, warning_summary
from leftbehind.paper.models import ModelOptions
from leftbehind.core.outputs import atomic_output_dir, write_text_atomically
from leftbehind.yingshan.pipeline import run_pipeline
from leftbehind.paper.report import write_analysis_outputs


def add_arguments(parser) -> None:
    parser.add_argument("raw", type=Path, help="raw questionnaire export: CSV (UTF-8 or GB18030/GBK) or Excel .xlsx")
    parser.add_argument("--out", type=Path, required=True, help="folder for the outputs")
    parser.add_argument("--json", type=Path, default=None, help="also write a JSON summary here")
    parser.add_argument("--spec", type=Path, default=None,
                        help="study spec (YAML) for any survey; without it the Yingshan contract runs as before")
    parser.add_argument("--encoding", default=None, metavar="ENC",
                        help="encoding of a CSV file (default: UTF-8, then GB18030/GBK, detected)")
    parser.add_argument("--drop", action="append", default=[], metavar="VAR",
                        help="leave VAR out of the regression models (repeatable), e.g. --drop father_edu")
    parser.add_argument("--merge", action="append", default=[], metavar="VAR=a,b",
                        help="merge categories of VAR in the regression models (repeatable), "
                             "e.g. --merge father_edu=senior_middle,college")


def progress(message: str) -> None:
    print(f"[analyse] {message}", file=sys.stderr, flush=True)


def write_pipeline_outputs(result, out_dir: Path) -> None:
    """analysis.csv, flow.csv, exclusions_by_reason.csv, alpha.csv and flow.png (the run log is written last)."""
    from leftbehind.plots.flowchart import flow_figure

    out_dir.mkdir(parents=True, exist_ok=True)
    from leftbehind.core.fast_csv import write_csv

    write_csv(result.analysis, out_dir / "analysis.csv")  # = to_csv(index=False), byte for byte, faster
    with open(out_dir / "flow.csv", "w", encoding="utf-8") as handle:
        handle.write("step,n\n" + "".join(f"{k},{v}\n" for k, v in result.flow.items()))
    exclusions_by_reason(result.exclusions).to_csv(out_dir / "exclusions_by_reason.csv", index=False)
    result.alpha.to_csv(out_dir / "alpha.csv", index=False)
    fig, _alt = flow_figure(result.flow, result.summary()["lbc"], result.analysis)
    fig.savefig(out_dir / "flow.png", bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)


def run(args) -> int:
    if getattr(args, "spec", None) is not None:
        from leftbehind.commands import analyse_spec

        return analyse_spec.run(args)
    start = time.perf_counter()
    options = ModelOptions.from_cli(args.drop, args.merge)  # a bad --drop/--merge fails before any work
    if args.json is not None and args.json.is_dir():
        raise UserError(f"--json {args.json}: is a folder; give a file name such as {args.json / 'summary.json'}")
    result = run_pipeline(args.raw, progress=progress, encoding=args.encoding)  # UserError before anything is written
    from leftbehind.commands.analyse_spec import contract_tier

    tier, data_text = contract_tier()  # from data/specs/yingshan.yaml
    result.log.append(f"data tier: {tier} ({data_text}; set in data/specs/yingshan.yaml)")
    for line in result.log:
        if line.startswith(("read", "dropped")):
            progress(line)
    real = tier == "real"
    with atomic_output_dir(args.out) as top, collect_warnings() as stray:
        out = top / "restricted" if real else top
        progress(f"writing the analysis dataset and the flow to {args.out}")
        write_pipeline_outputs(result, out)
        summary = result.summary()
        progress("computing tables 1-8 and the models")
        added = write_analysis_outputs(result.analysis, out, options, data=data_text, keep_built=True)
        built = added.pop("_built")
        messages = added.pop("_messages")
        summary.update(added)
        summary["model_options"] = options.describe()
        summary["tier"] = tier
        log = list(result.log) + messages
        added["warnings"] += warning_summary(stray, "figures")  # e.g. an empty plot; the rest are caught per table
        if added["warnings"]:
            log.append("numerical warnings, summarised:")
            log += [f"  - {line}" for line in added["warnings"]]
        for line in messages:
            progress(line)
        if added["warnings"]:
            progress(f"{len(added['warnings'])} kind(s) of numerical warning were caught; see run_log.txt")
        (out / "run_log.txt").write_text("\n".join(log) + "\n", encoding="utf-8")
        if real:
            from leftbehind.paper.release_write import write_contract_release

            progress("real data: suppressing small cells for release/")
            (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
            summary = write_contract_release(result, built, top, tier, data_text, options)
            progress(f"real data: publish only {args.out / 'release'} (read disclosure.txt); "
                     f"{args.out / 'restricted'} holds row-level data and exact tables -- do not share it")
    if args.json:
        write_text_atomically(args.json, json.dumps(summary, indent=2, sort_keys=False) + "\n")
    progress(f"done in {time.perf_counter() - start:.1f} s")
    return 0

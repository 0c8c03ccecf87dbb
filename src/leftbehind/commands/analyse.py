"""``python -m leftbehind analyse RAW.csv --out DIR [--json PATH]``.

Validate -> exclude (counted) -> derive -> score -> write the analysis dataset,
the participant flow and the run log; then the tables and models
(:func:`leftbehind.report.write_analysis_outputs`).  An invalid file writes nothing and exits 2.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from leftbehind.clean import exclusions_by_reason
from leftbehind.pipeline import run_pipeline
from leftbehind.report import write_analysis_outputs


def add_arguments(parser) -> None:
    parser.add_argument("raw", type=Path, help="raw questionnaire export (CSV in the codebook's contract)")
    parser.add_argument("--out", type=Path, required=True, help="folder for the outputs")
    parser.add_argument("--json", type=Path, default=None, help="also write a JSON summary here")
    parser.add_argument("--spec", type=Path, default=None,
                        help="study spec (YAML) for any survey; without it the Yingshan contract runs as before")


def progress(message: str) -> None:
    print(f"[analyse] {message}", file=sys.stderr, flush=True)


def write_pipeline_outputs(result, out_dir: Path) -> None:
    """analysis.csv, flow.csv, exclusions_by_reason.csv, alpha.csv, flow.png and run_log.txt."""
    from leftbehind.flowchart import flow_figure

    out_dir.mkdir(parents=True, exist_ok=True)
    result.analysis.to_csv(out_dir / "analysis.csv", index=False)
    with open(out_dir / "flow.csv", "w", encoding="utf-8") as handle:
        handle.write("step,n\n" + "".join(f"{k},{v}\n" for k, v in result.flow.items()))
    exclusions_by_reason(result.exclusions).to_csv(out_dir / "exclusions_by_reason.csv", index=False)
    result.alpha.to_csv(out_dir / "alpha.csv", index=False)
    fig, _alt = flow_figure(result.flow, result.summary()["lbc"], result.analysis)
    fig.savefig(out_dir / "flow.png", bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    (out_dir / "run_log.txt").write_text("\n".join(result.log) + "\n", encoding="utf-8")


def run(args) -> int:
    if getattr(args, "spec", None) is not None:
        from leftbehind.commands import analyse_spec

        return analyse_spec.run(args)
    start = time.perf_counter()
    result = run_pipeline(args.raw, progress=progress)  # raises UserError before anything is written
    from leftbehind.commands.analyse_spec import contract_tier

    tier, data_text = contract_tier()  # from data/specs/yingshan.yaml
    result.log.append(f"data tier: {tier} ({data_text}; set in data/specs/yingshan.yaml)")
    for line in result.log:
        if line.startswith("dropped"):
            progress(line)
    progress(f"writing the analysis dataset and the flow to {args.out}")
    write_pipeline_outputs(result, args.out)
    summary = result.summary()
    progress("computing tables 1-8 and the models")
    summary.update(write_analysis_outputs(result.analysis, args.out, data_text), tier=tier)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    progress(f"done in {time.perf_counter() - start:.1f} s")
    return 0

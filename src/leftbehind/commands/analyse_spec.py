"""``python -m leftbehind analyse DATA --spec SPEC.yaml --out DIR [--json PATH]``: any survey, one spec.

Called by :mod:`leftbehind.commands.analyse` when ``--spec`` is given.  Every
result is computed before anything is written; the files then go into a
temporary folder beside ``DIR`` and are moved into ``DIR`` together, so an
invalid file or spec (exit 2, message naming the file and column or key)
leaves nothing behind.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

#: Files written into the output folder.
OUTPUTS = ("summary.json", "analysis.csv", "flow.csv", "prevalence.csv", "comparison.csv",
           "model_terms.csv", "model_steps.csv", "scales.csv", "forest.png", "run_log.txt")


def progress(message: str) -> None:
    print(f"[analyse] {message}", file=sys.stderr, flush=True)


def _clean(value):
    """JSON-safe: NaN and infinities become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render(result, data_source: str) -> dict[str, bytes]:
    """Every output file's bytes (nothing written)."""
    import matplotlib.pyplot as plt

    summary = _clean(result.summary(data_source))
    fig, alt = result.forest()
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    summary["figures"] = {"forest.png": alt}
    analysis = result.prepared.data.drop(columns="_in_group").assign(
        **{f"in_{result.spec.group}_group": result.prepared.data["_in_group"].astype(int)})

    def csv(table) -> bytes:
        return table.to_csv(index=False).encode("utf-8")

    return {
        "summary.json": (json.dumps(summary, indent=2) + "\n").encode("utf-8"),
        "analysis.csv": csv(analysis),
        "flow.csv": csv(result.flow_table()),
        "prevalence.csv": csv(result.prevalence_table()),
        "comparison.csv": csv(result.comparison_table()),
        "model_terms.csv": csv(result.terms_table()),
        "model_steps.csv": csv(result.steps_table()),
        "scales.csv": csv(result.prepared.alpha.assign(data_tier=result.tier)),
        "forest.png": png.getvalue(),
        "run_log.txt": ("\n".join(result.log + [f"forest.png alt text: {alt}"]) + "\n").encode("utf-8"),
    }


def write_all(files: dict[str, bytes], out_dir: Path) -> None:
    """Write into a temporary folder beside ``out_dir``, then move every file in."""
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".analyse-", dir=parent))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: How the Yingshan pipeline's figures name the data of each tier.
CONTRACT_DATA_TEXT = {"synthetic": "synthetic cohort", "real": "real survey data", "published": "published data"}


def contract_tier() -> tuple[str, str]:
    """The data tier for ``analyse RAW.csv`` without ``--spec`` (the Yingshan contract), and how figures name it.

    It comes from the Yingshan study spec, ``data/specs/yingshan.yaml`` (``tier: synthetic``, since the only data
    in this repository that fit the contract are generated); whoever runs the real export sets ``tier: real`` there.
    """
    from leftbehind.core.paths import data_dir
    from leftbehind.spec import load_spec

    tier = load_spec(data_dir() / "specs" / "yingshan.yaml").tier
    return tier, CONTRACT_DATA_TEXT[tier]


def run(args) -> int:
    from leftbehind.spec import load_spec
    from leftbehind.survey.study import analyse_file

    start = time.perf_counter()
    spec = load_spec(args.spec)
    progress(f"study spec {args.spec}: outcome {spec.outcome} = {spec.event}; group {spec.group} = {spec.group_value}; "
             f"data tier: {spec.tier}")
    result = analyse_file(args.raw, spec)  # raises UserError before anything is written
    for line in result.log:
        if line.startswith(("dropped", "model", "note", "analysed")):
            progress(line)
    files = render(result, str(args.raw))
    write_all(files, args.out)
    progress(f"wrote {len(files)} files to {args.out}")
    if args.json:
        write_all({args.json.name: files["summary.json"]}, args.json.parent)
        progress(f"wrote {args.json}")
    progress(f"done in {time.perf_counter() - start:.1f} s")
    return 0

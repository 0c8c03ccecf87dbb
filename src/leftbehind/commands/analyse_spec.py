"""``python -m leftbehind analyse DATA --spec SPEC.yaml --out DIR [--json PATH]``: any survey, one spec.

Called by :mod:`leftbehind.commands.analyse` when ``--spec`` is given.  Every
result is computed before anything is written; the files then go into a
temporary folder beside ``DIR`` and are moved into ``DIR`` together, so an
invalid file or spec (exit 2, message naming the file and column or key)
leaves nothing behind.

Data whose tier is ``real`` (the default) are split: ``DIR/release/`` holds the
tables and the figure meant for publication, with small cells suppressed, and
``disclosure.txt``; ``DIR/restricted/`` holds the row-level ``analysis.csv``, the
exact tables and the run log (see :mod:`leftbehind.release.folders`).  ``--json``
then receives the release summary (a file named on the command line is the one
most likely to be shared).  Synthetic and published data keep the flat layout
below, unsuppressed.
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


def render(result, data_source: str, columns_read: list[str] | None = None) -> dict[str, bytes]:
    """Every output file's bytes (nothing written); for real data, under ``release/`` and ``restricted/``."""
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

    files = {
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
    if result.tier != "real":
        return files
    return split_release(result, files, data_source, columns_read or [])


def split_release(result, exact: dict[str, bytes], data_source: str, columns_read: list[str]) -> dict[str, bytes]:
    """``release/`` (suppressed tables, figure, disclosure report) and ``restricted/`` (everything exact)."""
    import matplotlib.pyplot as plt

    from leftbehind.plots.forest import forest_figure
    from leftbehind.release import folders
    from leftbehind.release.study import release_study

    spec = result.spec
    release = release_study(result)
    fig, alt = forest_figure(release.model, spec)
    if release.model.get("suppressed_terms"):
        alt += (f" Odds ratios estimated from a category with fewer than {release.threshold} respondents with or "
                "without the outcome are not drawn (disclosure control).")
    png = io.BytesIO()
    fig.savefig(png, format="png", bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    files = {f"{folders.RESTRICTED}/{name}": content for name, content in exact.items()}
    files[f"{folders.RESTRICTED}/README.txt"] = folders.restricted_readme(spec.tier_text).encode("utf-8")
    out = {name: table.to_csv(index=False).encode("utf-8") for name, table in release.tables.items()}
    out["forest.png"] = png.getvalue()
    used = set(result.prepared.data.columns)
    identifiers = [c for c in columns_read if c not in used]
    released = sorted([*out, "summary.json", "README.txt", "disclosure.txt"])
    section = folders.disclosure_section(release.threshold, release.suppressed, release.notes, identifiers, released)
    summary = _clean({"data": Path(data_source).name, **release.summary, "figures": {"forest.png": alt},
                      "disclosure": section, "restricted": f"{folders.RESTRICTED}/ (row-level and exact; do not publish)"})
    out["summary.json"] = (json.dumps(summary, indent=2) + "\n").encode("utf-8")
    out["README.txt"] = folders.release_readme(release.threshold, spec.tier_text).encode("utf-8")
    out["disclosure.txt"] = folders.disclosure_text(section, spec.tier_text).encode("utf-8")
    files.update({f"{folders.RELEASE}/{name}": content for name, content in out.items()})
    return files


def write_all(files: dict[str, bytes], out_dir: Path) -> None:
    """Write into a temporary folder beside ``out_dir``, then move every file in."""
    out_dir = Path(out_dir)
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".analyse-", dir=parent))
    try:
        for name, content in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(content)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in files:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
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
    from leftbehind.survey.prepare import read_table
    from leftbehind.survey.study import analyse_study

    start = time.perf_counter()
    spec = load_spec(args.spec)
    progress(f"study spec {args.spec}: outcome {spec.outcome} = {spec.event}; group {spec.group} = {spec.group_value}; "
             f"data tier: {spec.tier}")
    table = read_table(args.raw)
    result = analyse_study(table, spec, str(args.raw))  # raises UserError before anything is written
    for line in result.log:
        if line.startswith(("dropped", "model", "note", "analysed")):
            progress(line)
    files = render(result, str(args.raw), list(table.columns))
    write_all(files, args.out)
    progress(f"wrote {len(files)} files to {args.out}")
    if "release/disclosure.txt" in files:
        progress(f"real data: publish only {args.out / 'release'} (small cells suppressed; read disclosure.txt); "
                 f"{args.out / 'restricted'} holds row-level data and exact tables -- do not share it")
    if args.json:
        summary = files.get("summary.json", files.get("release/summary.json"))
        write_all({args.json.name: summary}, args.json.parent)
        progress(f"wrote {args.json}")
    progress(f"done in {time.perf_counter() - start:.1f} s")
    return 0

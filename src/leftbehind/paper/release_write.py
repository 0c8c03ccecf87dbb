"""Write the release version of a Yingshan run (``analyse RAW`` on real data) into ``DIR/release/``.

Called inside the command's atomic output folder, after the exact outputs went to
``restricted/``; returns the release summary (what ``--json`` receives).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt

from leftbehind.release import folders
from leftbehind.paper.release_tables import release_tables


def identifying_columns(result) -> list[str]:
    """Identifying columns kept out of release/: the contract's IDs and any column outside the codebook."""
    prefix = "dropped column(s) not in the codebook, not carried into any output: "
    extra = [c for line in result.log if line.startswith(prefix) for c in line[len(prefix):].split(", ")]
    return [c for c in ("response_id", "school_id") if c in result.analysis.columns] + extra


def write_contract_release(result, built: dict, top: Path, tier: str, data_text: str, options) -> dict:
    from leftbehind.core.paths import data_dir
    from leftbehind.paper import models, tables
    from leftbehind.paper.report import MODEL_TITLES
    from leftbehind.plots.figures import apply_style
    from leftbehind.spec import load_spec
    from leftbehind.yingshan.clean import exclusions_by_reason

    identifiers = identifying_columns(result)
    threshold = load_spec(data_dir() / "specs" / "yingshan.yaml").disclosure_threshold
    out = Path(top) / folders.RELEASE
    out.mkdir(parents=True, exist_ok=True)
    release = release_tables(result.analysis, built, threshold)
    for name, table in release["tables"].items():
        table.to_csv(out / name, index=name.endswith("_terms.csv"))
    with open(out / "flow.csv", "w", encoding="utf-8") as handle:
        handle.write("step,n\n" + "".join(f"{k},{v}\n" for k, v in result.flow.items()))
    exclusions_by_reason(result.exclusions).to_csv(out / "exclusions_by_reason.csv", index=False)
    result.alpha.to_csv(out / "alpha.csv", index=False)
    apply_style()
    figures, notes = {}, []
    for name, model in release["models"].items():
        small = release["suppressed_terms"].get(name, {})
        if small:
            notes.append(f"{MODEL_TITLES[name]}: {len(small)} term(s) suppressed (estimated from a small cell): "
                         + ", ".join(small))
        if not model["terms"]:
            notes.append(f"{MODEL_TITLES[name]}: no forest plot (every term suppressed)")
            continue
        fig, alt = models.forest_figure(model, MODEL_TITLES[name], data_text)
        if small:
            alt += f" Terms estimated from a cell below {threshold} are not drawn (disclosure control)."
        fig.savefig(out / f"forest_{name}.png", bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        figures[f"forest_{name}.png"] = alt
    if built.get("cascade") is not None and not release["cascade_hidden"]:
        fig, alt = tables.cascade_figure(built["cascade"], data_text)
        fig.savefig(out / "care_cascade.png", bbox_inches="tight", metadata={"Software": None})
        plt.close(fig)
        figures["care_cascade.png"] = alt
    elif built.get("cascade") is not None:
        notes.append("care_cascade.png: not drawn (a step of the cascade is a suppressed count)")
    notes.append("flow.png: kept in restricted/ only (it draws the counts of every group)")
    released = sorted([*release["tables"], "flow.csv", "exclusions_by_reason.csv", "alpha.csv", *figures,
                       "summary.json", "README.txt", "disclosure.txt"])
    section = folders.disclosure_section(threshold, release["suppressed"], notes, identifiers, released)
    summary = {
        "tier": tier, "flow": result.flow, "model_options": options.describe(),
        "models": {name: models.json_record({k: v for k, v in m.items() if k != "_result"})
                   for name, m in release["models"].items()},
        "suppressed_terms": release["suppressed_terms"],
        "tables": sorted(release["tables"]), "figures": figures, "disclosure": section,
        "restricted": f"{folders.RESTRICTED}/ (row-level and exact; do not publish)",
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    (out / "README.txt").write_text(folders.release_readme(threshold, data_text), encoding="utf-8")
    (out / "disclosure.txt").write_text(folders.disclosure_text(section, data_text), encoding="utf-8")
    restricted = Path(top) / folders.RESTRICTED
    (restricted / "README.txt").write_text(folders.restricted_readme(data_text), encoding="utf-8")
    return summary

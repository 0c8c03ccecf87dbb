"""A repository root for a test run whose data/ is the real one except the Yingshan spec's declared tier."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def repo_with_tier(tmp_path: Path, tier: str) -> Path:
    """A repository root whose data/ is the real one except that the Yingshan spec declares ``tier``."""
    root = tmp_path / "repo"
    (root / "data" / "specs").mkdir(parents=True)
    for entry in (ROOT / "data").iterdir():
        if entry.name != "specs":
            (root / "data" / entry.name).symlink_to(entry)
    text = (ROOT / "data" / "specs" / "yingshan.yaml").read_text(encoding="utf-8")
    assert "\ntier: synthetic\n" in text
    (root / "data" / "specs" / "yingshan.yaml").write_text(text.replace("\ntier: synthetic\n", f"\ntier: {tier}\n"))
    return root

"""scripts/build_edition.py: its arguments, and building several editions side by side."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_edition  # noqa: E402  (scripts/build_edition.py)


def test_unknown_missing_or_repeated_editions_are_refused(capsys):
    for argv in ([], ["fr"], ["en", "en"], ["en", "fr"]):
        assert build_edition.main(argv) == 2
        assert "usage" in capsys.readouterr().err


def test_editions_side_by_side_relay_their_lines_and_report_a_failure(tmp_path, monkeypatch, capsys):
    # a stand-in for the build: prints two lines, fails for "zh"
    fake = tmp_path / "fake_build.py"
    fake.write_text("import sys\nprint('reading', sys.argv[1])\nprint('done', sys.argv[1])\n"
                    "sys.exit(1 if sys.argv[1] == 'zh' else 0)\n")
    monkeypatch.setattr(build_edition, "__file__", str(fake))
    assert build_edition.build_side_by_side(["en", "zh"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines().count("[en] reading en") == 1
    assert "[zh] done zh" in captured.out.splitlines()
    assert "failed: zh" in captured.err
    assert build_edition.build_side_by_side(["en"]) == 0
    monkeypatch.setattr(build_edition.os, "cpu_count", lambda: 1)  # one core: one after the other, same result
    assert build_edition.build_side_by_side(["en", "gettext"]) == 0
    assert "[gettext] done gettext" in capsys.readouterr().out

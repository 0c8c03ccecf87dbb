"""scripts/build_edition.py: its arguments, building several editions side by side, and skipping an unchanged one."""

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


def _write(path, text="new"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _fake_repository(tmp_path, monkeypatch):
    """A repository in ``tmp_path`` and a stand-in Sphinx that writes a page and records each call."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "chapter.md").write_text("# A chapter\n")
    (tmp_path / "_config.yml").write_text("title: x\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("")
    (tmp_path / "_build" / ".jupyter_cache" / "executed" / "abc").mkdir(parents=True)
    (tmp_path / "_build" / ".jupyter_cache" / "executed" / "abc" / "base.ipynb").write_text("one")
    (tmp_path / "_build" / ".jupyter_cache" / "global.db").write_text("records")
    monkeypatch.setattr(build_edition, "ROOT", tmp_path)
    monkeypatch.setattr(build_edition, "STAMPS", tmp_path / "_build" / ".stamps")
    monkeypatch.delenv("LEFTBEHIND_FORCE_BUILD", raising=False)
    calls, outcome = [], {"status": 0}

    def sphinx(edition, force_all=False):
        calls.append(edition)
        outcome.setdefault("force_all", []).append(force_all)
        out = tmp_path / build_edition.EDITIONS[edition]["out"]
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text(f"<p>{edition} {len(calls)}</p>")
        return outcome["status"]

    monkeypatch.setattr(build_edition, "_sphinx", sphinx)
    return calls, outcome


def test_an_unchanged_edition_is_not_built_again(tmp_path, monkeypatch, capsys):
    calls, _ = _fake_repository(tmp_path, monkeypatch)
    assert build_edition.build("en") == 0 and build_edition.build("zh") == 0
    assert calls == ["en", "zh"]
    assert build_edition.build("en") == 0 and build_edition.build("zh") == 0
    assert calls == ["en", "zh"]  # both skipped
    assert "en edition is up to date" in capsys.readouterr().out
    (tmp_path / "tests" / "test_x.py").write_text("# the tests are not read by the build\n")
    # reading the execution cache rewrites its database (a cold build does): the executed notebooks are the same
    (tmp_path / "_build" / ".jupyter_cache" / "global.db").write_text("records, accessed")
    assert build_edition.build("en") == 0 and calls == ["en", "zh"]


def test_any_change_the_build_reads_or_to_its_output_builds_again(tmp_path, monkeypatch):
    calls, _ = _fake_repository(tmp_path, monkeypatch)
    build_edition.build("en")
    build_edition.build("zh")
    changes = [
        lambda: (tmp_path / "notebooks" / "chapter.md").write_text("# A chapter, edited\n"),  # a page
        lambda: (tmp_path / "src.py").write_text("x = 1\n"),  # a new file anywhere in the repository
        lambda: (tmp_path / "_build" / ".jupyter_cache" / "executed" / "abc" / "base.ipynb").write_text("two"),
        lambda: _write(tmp_path / "_build" / ".jupyter_cache" / "executed" / "def" / "base.ipynb"),  # a new record
        lambda: monkeypatch.setenv("LEFTBEHIND_EDITIONS", "en"),  # what the notebooks were asked to write
        lambda: (tmp_path / "_build" / "html" / "index.html").write_text("edited by hand"),  # the output
        lambda: (tmp_path / "_build" / "html" / "index.html").unlink(),
    ]
    for number, change in enumerate(changes):
        before = len(calls)
        change()
        build_edition.build("en")
        assert len(calls) == before + 1, number
        build_edition.build("en")
        assert len(calls) == before + 1, number  # and then up to date again
    # the Chinese edition's pages inside the English folder are not the English edition's output
    (tmp_path / "_build" / "html" / "zh" / "index.html").write_text("zh, edited")
    before = len(calls)
    build_edition.build("en")
    assert len(calls) == before
    build_edition.build("zh")
    assert len(calls) == before + 1


def test_a_failed_or_forced_build_is_never_taken_for_an_up_to_date_one(tmp_path, monkeypatch):
    calls, outcome = _fake_repository(tmp_path, monkeypatch)
    outcome["status"] = 1
    assert build_edition.build("en") == 1
    assert not (tmp_path / "_build" / ".stamps" / "en.json").exists()
    outcome["status"] = 0
    assert build_edition.build("en") == 0 and len(calls) == 2
    monkeypatch.setenv("LEFTBEHIND_FORCE_BUILD", "1")
    assert build_edition.build("en") == 0 and len(calls) == 3
    monkeypatch.delenv("LEFTBEHIND_FORCE_BUILD")
    build_edition.build("gettext")
    build_edition.build("gettext")
    assert calls[-2:] == ["gettext", "gettext"]  # the message templates are not stamped


def test_a_changed_style_or_script_writes_every_page_again(tmp_path, monkeypatch):
    # Sphinx copies static files only when it writes a page, and pages link them with a checksum
    calls, outcome = _fake_repository(tmp_path, monkeypatch)
    _write(tmp_path / "book" / "_static" / "site.css", "p { color: black; }")
    build_edition.build("en")
    assert outcome["force_all"] == [False]  # a first build writes every page anyway
    (tmp_path / "notebooks" / "chapter.md").write_text("# A chapter, edited\n")
    build_edition.build("en")
    assert outcome["force_all"] == [False, False]  # Sphinx finds the changed page itself
    _write(tmp_path / "book" / "_static" / "site.css", "p { color: navy; }")
    build_edition.build("en")
    assert outcome["force_all"] == [False, False, True]
    build_edition.build("en")
    assert len(calls) == 3  # and then up to date

"""Atomic output folders: all files or none."""

import pytest

from leftbehind.core.outputs import atomic_output_dir, write_text_atomically


def test_new_folder_appears_only_on_success(tmp_path):
    target = tmp_path / "a" / "out"
    with atomic_output_dir(target) as tmp:
        (tmp / "x.csv").write_text("1")
        assert not target.exists()
    assert (target / "x.csv").read_text() == "1"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["out"]


def test_failure_leaves_nothing_and_removes_created_parents(tmp_path):
    target = tmp_path / "a" / "b" / "out"
    with pytest.raises(RuntimeError):
        with atomic_output_dir(target) as tmp:
            (tmp / "x.csv").write_text("1")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_keeps_other_files_and_gets_new_ones(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    (target / "x.csv").write_text("old")
    with atomic_output_dir(target) as tmp:
        (tmp / "x.csv").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["mine.txt", "x.csv"]
    assert (target / "x.csv").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_json_written_atomically(tmp_path):
    write_text_atomically(tmp_path / "d" / "s.json", "{}\n")
    assert (tmp_path / "d" / "s.json").read_text() == "{}\n" and len(list((tmp_path / "d").iterdir())) == 1

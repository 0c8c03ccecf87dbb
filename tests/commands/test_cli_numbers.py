"""``python -m leftbehind numbers``: summary and comparison of two builds' manifests."""

import json

from leftbehind.__main__ import main


def write(path, shown):
    path.write_text(json.dumps({"format_version": 1, "numbers": [
        {"page": "notebooks/a.html", "key": "icc:.3f", "shown": shown, "tier": "synthetic"},
        {"page": "notebooks/a.html", "key": "n:,", "shown": "6,096", "tier": "published", "source": "yong2023"},
    ]}))
    return path


def test_summary_counts_numbers_by_tier(tmp_path, capsys):
    assert main(["numbers", "--manifest", str(write(tmp_path / "a.json", "0.012"))]) == 0
    assert "2 numbers on 1 pages (published: 1, synthetic: 1)" in capsys.readouterr().out


def test_identical_manifests_exit_0(tmp_path, capsys):
    ours, theirs = write(tmp_path / "a.json", "0.012"), write(tmp_path / "b.json", "0.012")
    assert main(["numbers", "--manifest", str(ours), "--compare", str(theirs)]) == 0
    assert "The same 2 numbers" in capsys.readouterr().out


def test_a_changed_shown_number_is_listed_with_page_and_key_and_exits_1(tmp_path, capsys):
    ours, theirs = write(tmp_path / "a.json", "0.012"), write(tmp_path / "b.json", "0.013")
    assert main(["numbers", "--manifest", str(ours), "--compare", str(theirs)]) == 1
    out = capsys.readouterr().out
    assert "1 number(s) differ" in out and "notebooks/a.html  icc:.3f:  this build 0.012  |  other build 0.013" in out


def test_an_unreadable_manifest_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    assert main(["numbers", "--manifest", str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert "missing.json: no such file" in err and "Traceback" not in err

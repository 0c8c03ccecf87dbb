import pickle

import pytest

from leftbehind.core import cache


@pytest.fixture
def fake_repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "data" / "numbers.csv").write_text("key,value\nx,1\n")
    (root / "uv.lock").write_text("version = 1\n")
    monkeypatch.setenv("LEFTBEHIND_ROOT", str(root))
    monkeypatch.setenv("LEFTBEHIND_CACHE_DIR", str(tmp_path / "cache"))
    return root


def test_fingerprint_changes_with_data_and_lock(fake_repo):
    first = cache.inputs_fingerprint()
    assert cache.inputs_fingerprint() == first
    (fake_repo / "data" / "numbers.csv").write_text("key,value\nx,2\n")
    second = cache.inputs_fingerprint()
    assert second != first
    (fake_repo / "uv.lock").write_text("version = 2\n")
    assert cache.inputs_fingerprint() != second


def test_fingerprint_covers_the_package_code(fake_repo):
    names = {p.name for p in cache.input_files()}
    assert {"cache.py", "synthetic.py", "numbers.csv", "uv.lock"} <= names


def test_cached_pickle_computes_once_per_key_and_again_after_a_data_change(fake_repo, tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached_pickle("demo", [1], compute) == {"n": 1}
    assert cache.cached_pickle("demo", [1], compute) == {"n": 1}
    assert cache.cached_pickle("demo", [2], compute) == {"n": 2}
    (fake_repo / "data" / "numbers.csv").write_text("changed\n")
    assert cache.cached_pickle("demo", [1], compute) == {"n": 3}
    stored = list((tmp_path / "cache" / "demo").glob("*.pkl"))
    assert len(stored) == 3 and not list((tmp_path / "cache" / "demo").glob(".*"))
    assert {pickle.loads(p.read_bytes())["n"] for p in stored} == {1, 2, 3}


def test_failed_write_leaves_no_partial_file(fake_repo, tmp_path):
    target = tmp_path / "cache" / "x" / "result.bin"

    def broken(tmp):
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        cache.write_atomically(target, broken)
    assert not target.exists() and list(target.parent.iterdir()) == []

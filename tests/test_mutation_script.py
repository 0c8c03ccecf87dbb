"""The mutation-testing script (scripts/mutation.py): its mutants, and its list of equivalent mutants."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_script"] = module
    spec.loader.exec_module(module)
    return module


SOURCE = '''
def f(x, alpha=0.05):
    """Docstring is never mutated."""
    if not (0 <= x < 10) and x is not None:
        return max(x * 100, -1)
    return None
'''


def test_each_operator_yields_its_mutants(mutation):
    found = [s.mutation for s in mutation.list_mutants(SOURCE)]
    assert found == [
        "`0.05` -> `0.1`", "`0.05` -> `0.025`",
        "`0` -> `1`", "`10` -> `11`", "`10` -> `9`", "`<=` -> `<`", "`<` -> `<=`",
        "remove unary `not`", "`is not` -> `is`", "`and` -> `or`",
        "`max` -> `min`", "`100` -> `101`", "`100` -> `99`", "`*` -> `/`", "`1` -> `2`", "`1` -> `0`",
        "return value -> `None`",
    ]


def test_mutate_changes_exactly_one_thing(mutation):
    sites = mutation.list_mutants(SOURCE)
    namespace = {}
    exec(compile(ast.parse(SOURCE), "<original>", "exec"), namespace)
    assert namespace["f"](30) == 3000
    for site in sites:
        tree = mutation.mutate(SOURCE, site.index)
        assert ast.unparse(tree) != ast.unparse(ast.parse(SOURCE))
    swapped = {}
    exec(compile(mutation.mutate(SOURCE, sites[10].index), "<mutant>", "exec"), swapped)
    assert swapped["f"](30) == -1  # max -> min
    with pytest.raises(IndexError):
        mutation.mutate(SOURCE, len(sites))


def test_every_listed_equivalent_mutant_still_exists(mutation):
    """A stale entry (the line was edited) must be removed or re-checked, not silently ignored."""
    listed = mutation.load_equivalents()
    assert listed
    present = set()
    for module in {key[0] for key in listed}:
        source = mutation.module_path(module).read_text(encoding="utf-8")
        lines = source.splitlines()
        present |= {mutation.equivalence_key(module, s, lines) for s in mutation.list_mutants(source)}
    assert [key for key in listed if key not in present] == []
    assert all(reason.strip() for reason in listed.values())


def test_targets_have_test_files(mutation):
    for module, tests in mutation.TARGETS.items():
        assert mutation.module_path(module).exists()
        assert all((ROOT / t).exists() for t in tests)


def test_figure_drawing_functions_are_not_mutated(mutation):
    source = "def plot_x(a):\n    return a + 1\n\ndef y(a):\n    return a + 1\n"
    assert {s.line for s in mutation.list_mutants(source)} == {5}


def test_lines_option_takes_lines_and_ranges(mutation):
    assert mutation.in_lines(30, "30-60") and mutation.in_lines(60, "30-60") and not mutation.in_lines(61, "30-60")
    assert mutation.in_lines(88, "30-60,88,120-127") and mutation.in_lines(121, "30-60, 88, 120-127")
    assert not mutation.in_lines(87, "30-60,88,120-127") and not mutation.in_lines(128, "30-60,88,120-127")


def test_killed_in_reads_the_killed_mutants_of_one_module(mutation, tmp_path):
    import json

    site = {"index": 0, "line": 3, "end_line": 3, "col": 4, "stmt_line": 3, "source": "x = 1", "seconds": 0.1,
            "tests_run": 1, "reason": ""}
    runs = [{"module": "stats.a", "sites": [dict(site, mutation="`1` -> `2`", status="killed"),
                                            dict(site, mutation="`1` -> `0`", status="survived"),
                                            dict(site, line=4, mutation="`+` -> `-`", status="timeout")]},
            {"module": "stats.b", "sites": [dict(site, mutation="`1` -> `2`", status="killed")]}]
    path = tmp_path / "run.json"
    path.write_text(json.dumps(runs))
    assert mutation.killed_in(path, "stats.a") == {(3, 4, "`1` -> `2`", "x = 1"), (4, 4, "`+` -> `-`", "x = 1")}
    assert mutation.killed_in(path, "stats.c") == set()


def test_no_two_listed_equivalents_share_a_key():
    # a key (module, line text, column, mutation) names every mutant with that text; a second row would silently
    # replace the first one's reason
    import csv

    with (ROOT / "scripts" / "mutation_equivalents.csv").open(newline="", encoding="utf-8") as handle:
        keys = [(r["module"], r["line_text"], r["column"], r["mutation"]) for r in csv.DictReader(handle)]
    assert len(keys) == len(set(keys))

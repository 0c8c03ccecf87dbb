"""Small-cell and complementary suppression: nothing below the threshold is shown, and nothing hidden can be
worked out from what is shown -- checked by methods independent of the one the module uses."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.linalg import null_space

from leftbehind.release.suppression import COMPLEMENTARY, MIN_THRESHOLD, marker, pinned, protect


def table_system(counts: np.ndarray):
    """Cells, row totals, column totals and the grand total of a two-way table, with the sums linking them."""
    r, c = counts.shape
    values = {("cell", i, j): int(counts[i, j]) for i in range(r) for j in range(c)}
    values.update({("row", i): int(counts[i].sum()) for i in range(r)})
    values.update({("col", j): int(counts[:, j].sum()) for j in range(c)})
    values["grand"] = int(counts.sum())
    sums = [(("row", i), [("cell", i, j) for j in range(c)]) for i in range(r)]
    sums += [(("col", j), [("cell", i, j) for i in range(r)]) for j in range(c)]
    sums += [("grand", [("row", i) for i in range(r)]), ("grand", [("col", j) for j in range(c)])]
    cost = {k: 1e9 + v for k, v in values.items() if k[0] != "cell"}
    return values, sums, cost


def linearly_derivable(values, sums, hidden) -> list:
    """Hidden counts fixed by the sums alone (a null-space argument, not the module's linear programs)."""
    unknown = sorted(hidden, key=repr)
    if not unknown:
        return []
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for total, parts in sums:
        row = np.zeros(len(unknown))
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in index:
                row[index[key]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return []
    basis = null_space(np.array(rows))
    return [k for k in unknown if basis.shape[1] == 0 or np.allclose(basis[index[k]], 0, atol=1e-9)]


def test_a_small_cell_is_hidden_with_partners_in_its_row_and_column():
    counts = np.array([[2, 40, 30], [25, 35, 45], [20, 50, 60]])
    values, sums, cost = table_system(counts)
    result = protect(values, sums, 5, cost)
    assert result.primary == {("cell", 0, 0)}
    assert result.show(("cell", 0, 0)) == "<5" == marker(5)
    hidden = result.hidden
    assert sum(1 for k in hidden if k[0] == "cell" and k[1] == 0) >= 2  # row 0 has a partner
    assert sum(1 for k in hidden if k[0] == "cell" and k[2] == 0) >= 2  # column 0 has a partner
    assert all(result.show(k) == COMPLEMENTARY for k in result.complementary)
    assert not any(k[0] != "cell" for k in hidden)  # totals survive: cells were cheaper
    assert linearly_derivable(values, sums, hidden) == []


def test_the_cheapest_partner_is_chosen():
    counts = np.array([[3, 90, 20], [50, 60, 70]])
    values, sums, cost = table_system(counts)
    result = protect(values, sums, 5, cost)
    assert ("cell", 0, 2) in result.complementary  # 20 rather than 90 in row 0
    assert ("cell", 1, 0) in result.complementary  # the only other cell of column 0


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_publish_no_small_count_and_no_recoverable_cell(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
    counts = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40], size=shape, p=[.08, .1, .1, .08, .08, .14, .14, .14, .14])
    values, sums, cost = table_system(counts)
    threshold = int(rng.integers(MIN_THRESHOLD, 7))
    result = protect(values, sums, threshold, cost)
    shown = {k: result.show(k) for k in values}
    assert all(v >= threshold for v in shown.values() if isinstance(v, int)), shown
    assert {k for k, v in values.items() if v < threshold} <= result.primary
    assert linearly_derivable(values, sums, result.hidden) == []  # nothing by subtraction from the totals
    assert pinned(values, sums, set(result.hidden), threshold, set(result.primary)) == []


def brute_force_values(counts, hidden, threshold, primary):
    """Every whole-number table consistent with the shown cells, the margins and the markers (tiny tables only)."""
    r, c = counts.shape
    cells = [(i, j) for i in range(r) for j in range(c) if ("cell", i, j) in hidden]
    seen = {cell: set() for cell in cells}
    spans = [range(0, threshold) if ("cell", i, j) in primary
             else range(threshold, min(counts[i].sum(), counts[:, j].sum()) + 1) for i, j in cells]
    for guess in itertools.product(*spans):
        trial = counts.copy()
        ok = True
        for (i, j), v in zip(cells, guess):
            small = ("cell", i, j) in primary
            if (small and v >= threshold) or (not small and v < threshold):
                ok = False
                break
            trial[i, j] = v
        if ok and (trial.sum(1) == counts.sum(1)).all() and (trial.sum(0) == counts.sum(0)).all():
            for cell, v in zip(cells, guess):
                seen[cell].add(v)
    return seen


@pytest.mark.parametrize("counts", [[[1, 6], [7, 9]], [[0, 7, 2], [6, 5, 6]], [[3, 3], [10, 11]]])
def test_tiny_tables_by_enumeration(counts):
    counts = np.array(counts)
    values, sums, cost = table_system(counts)
    result = protect(values, sums, 5, cost)
    assert not any(k[0] != "cell" for k in result.hidden)
    for cell, possible in brute_force_values(counts, result.hidden, 5, result.primary).items():
        assert len(possible) >= 2, (cell, possible)


def test_a_chain_of_exclusions_keeps_its_ends():
    # read 597 -> 15 excluded -> 582 -> 0 excluded -> 582 analysed
    values = {"read": 597, "blank": 15, "valid": 582, "range": 0, "analysed": 582}
    sums = [("read", ["blank", "valid"]), ("valid", ["range", "analysed"])]
    result = protect(values, sums, 5, {"read": 1e12, "analysed": 1e12})
    assert result.primary == {"range"}
    assert not result.is_hidden("read") and not result.is_hidden("analysed")
    assert pinned(values, sums, set(result.hidden), 5, set(result.primary)) == []


def test_forced_and_bad_input():
    values = {"t": 30, "a": 10, "b": 20}
    result = protect(values, [("t", ["a", "b"])], 5, force=["a"])
    assert result.hidden == {"a", "b"} and result.primary == frozenset()
    with pytest.raises(ValueError):
        protect({"a": -1}, [], 5)
    with pytest.raises(KeyError):
        protect({"a": 1}, [("a", ["b", "c"])], 5)

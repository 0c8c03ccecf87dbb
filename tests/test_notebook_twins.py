"""The executed .ipynb twins that nbval checks are the notebooks the book builds.

nbval on an unexecuted notebook passes trivially, and nbval on a stale twin
checks old code.  These tests make both impossible.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import ROOT, toc_documents

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.md"))


def test_every_chapter_notebook_is_in_the_table_of_contents():
    listed = set(toc_documents())
    missing = [p.name for p in NOTEBOOKS if f"notebooks/{p.stem}" not in listed]
    assert not missing, f"notebooks not in _toc.yml: {missing}"


@pytest.mark.parametrize("md_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_twin_has_the_same_cells_as_its_markdown_source(md_path: Path):
    twin = md_path.with_suffix(".ipynb")
    assert twin.exists(), f"{twin.name} missing: run `make notebooks NB={md_path.relative_to(ROOT)}`"
    source = jupytext.read(md_path)
    stored = nbformat.read(twin, as_version=4)
    pairs = list(zip(source.cells, stored.cells, strict=True))
    for index, (a, b) in enumerate(pairs):
        assert (a.cell_type, a.source) == (b.cell_type, b.source), (
            f"{twin.name} cell {index} differs from {md_path.name}: run `make notebooks NB={md_path.relative_to(ROOT)}`"
        )


@pytest.mark.parametrize("md_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_twin_is_executed_in_order_without_errors(md_path: Path):
    stored = nbformat.read(md_path.with_suffix(".ipynb"), as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert code, "a notebook without code cells belongs in book/"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"not executed top to bottom in one run: {counts}"
    assert any(c.outputs for c in code), "no stored outputs: nbval would compare nothing"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", f"stored error in {md_path.name}: {output.get('ename')}"
            assert output.get("name") != "stderr", f"stderr output stored in {md_path.name}: {output.get('text')}"

"""The package's folders are its layers: each may import only the layers below it, and only the Yingshan layer
knows the Yingshan survey's column names.  The book's architecture page (``book/architecture.md``) states the
rules and the known exceptions; the last test checks that it lists every one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

PACKAGE = ROOT / "src" / "leftbehind"

#: Which subpackages each subpackage may import (besides itself).  Lower layers first.
ALLOWED = {
    "core": set(),
    "presentation": {"core"},
    "spec": {"core"},
    "plots": {"core", "presentation", "spec"},
    "stats": {"core", "presentation", "spec", "plots"},
    "survey": {"core", "presentation", "spec", "stats", "plots"},
    "yingshan": {"core", "presentation", "spec", "stats", "plots", "survey"},
    "audit": {"core", "presentation", "plots", "stats"},
    "context": {"core", "presentation", "plots", "stats", "audit"},
    "release": {"core", "presentation", "spec", "plots", "stats", "survey"},
    "paper": {"core", "presentation", "spec", "plots", "stats", "survey", "yingshan", "release"},
    "chapters": {"core", "presentation", "spec", "plots", "stats", "survey", "yingshan", "audit", "context", "paper",
                 "release"},
    "commands": {"core", "presentation", "spec", "plots", "stats", "survey", "yingshan", "audit", "context", "paper",
                 "release"},
}
#: Imports that break the layering, each with why it is still there.  The list may only shrink; it is empty.
KNOWN_LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {}

#: Modules allowed to name the Yingshan survey's columns: its contract, the Yingshan layer (its pipeline and the
#: synthetic generator) and the paper layer.  Everything else must take column names as arguments or from a spec.
YINGSHAN_MODULES = ("paper/", "yingshan/", "spec/codebook.py")
#: Names that are also ordinary words elsewhere (an evidence table's construct "nssi", its group "lbc", say).
GENERIC_WORDS = {"nssi", "lbc", "age", "grade", "gender"}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def imported_layers(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "leftbehind" and len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
                found.add(parts[1])
    return found


def layer_violations() -> set[tuple[str, str]]:
    bad = set()
    for path in modules():
        layer = layer_of(path)
        if layer not in ALLOWED:
            continue
        for other in imported_layers(path) - {layer} - ALLOWED[layer]:
            bad.add((str(path.relative_to(PACKAGE)), other))
    return bad


def test_every_subpackage_has_a_rule():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ALLOWED)


def test_each_layer_imports_only_the_layers_below_it():
    assert layer_violations() - set(KNOWN_LAYER_EXCEPTIONS) == set()


def test_known_exceptions_are_still_real():
    """Fixing an exception must remove it from the list (so the page stays true)."""
    assert set(KNOWN_LAYER_EXCEPTIONS) - layer_violations() == set()


def test_the_layer_check_notices_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "leftbehind"
    (fake / "core").mkdir(parents=True)
    (fake / "paper").mkdir()
    (fake / "core" / "x.py").write_text("from leftbehind.paper import tables\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert layer_violations() == {("core/x.py", "paper")}


def yingshan_columns() -> set[str]:
    codebook = yaml.safe_load((ROOT / "data" / "codebook.yaml").read_text(encoding="utf-8"))
    names = {column["name"] for column in codebook["columns"]}
    names |= set(codebook["derived"]) | set(codebook["coping"]["factors"]) | set(codebook["coping"]["orientations"])
    return names - GENERIC_WORDS


def yingshan_names_in(path: Path, names: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and n.value in names}


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_yingshan_layer_names_yingshan_columns(path):
    relative = str(path.relative_to(PACKAGE))
    if relative.startswith(YINGSHAN_MODULES) or (relative, "paper") in KNOWN_LAYER_EXCEPTIONS:
        return
    found = yingshan_names_in(path, yingshan_columns())
    assert not found, f"{relative} names Yingshan columns {sorted(found)}: take them from a spec or an argument"


def test_the_column_check_recognises_a_yingshan_column(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('def f(data):\n    return data["months_apart"].mean()\n')
    assert yingshan_names_in(module, yingshan_columns()) == {"months_apart"}


def test_the_architecture_page_states_every_layer_and_exception():
    page = (ROOT / "book" / "architecture.md").read_text(encoding="utf-8")
    for layer in ALLOWED:
        assert f"- **`{layer}/`**:" in page, f"the architecture page has no entry for {layer}/"
    for module, _ in KNOWN_LAYER_EXCEPTIONS:
        assert f"`{module}`" in page, f"the architecture page does not list the exception {module}"
    for module in YINGSHAN_MODULES:
        assert module.rstrip("/").split("/")[-1] in page


# --- One figure contract: a drawing function is named ``*_figure`` and returns ``(figure, alt text)``; only the
# page shows it, with ``show_figure(fig, alt, caption, tier=…, name=…)``, so captions, tiers and numbers live in
# one place and every figure can be reused, tested or saved to a file the same way.
DRAWING_CALLS = {"plt.subplots", "plt.figure", "plt.subplot_mosaic"}
#: The one module that renders a figure for a page.
SHOWS_FIGURES = "plots/figures.py"


def figure_contract_breaches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    relative = str(path.relative_to(PACKAGE))
    bad = []
    if relative != SHOWS_FIGURES:
        bad += [f"{relative}:{n.lineno} uses show_figure (return (fig, alt) and let the page show it)"
                for n in ast.walk(tree) if isinstance(n, ast.Name | ast.alias)
                and getattr(n, "id", getattr(n, "name", None)) == "show_figure"]
        bad += [f"{relative}:{n.lineno} uses show_figure (return (fig, alt) and let the page show it)"
                for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "show_figure"]
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef) or function.name.startswith("_"):
            continue
        draws = any(isinstance(c, ast.Call) and ast.unparse(c.func) in DRAWING_CALLS for c in ast.walk(function))
        if draws and not function.name.endswith("_figure"):
            bad.append(f"{relative}:{function.lineno} {function.name} draws a figure but is not named *_figure")
    return bad


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_drawing_function_follows_the_figure_contract(path):
    assert figure_contract_breaches(path) == []


def test_the_figure_contract_check_notices_a_breach(tmp_path, monkeypatch):
    fake = tmp_path / "leftbehind"
    (fake / "context").mkdir(parents=True)
    module = fake / "context" / "m.py"
    module.write_text("import matplotlib.pyplot as plt\nfrom leftbehind.plots.figures import show_figure\n\n"
                      "def plot_x(data):\n    fig, ax = plt.subplots()\n    return show_figure(fig, 'alt text here', 'c')\n\n"
                      "def x_figure(data):\n    fig, ax = plt.subplots()\n    return fig, 'alt'\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    breaches = figure_contract_breaches(module)
    assert len([b for b in breaches if "uses show_figure" in b]) == 2  # the import and the call
    assert any("plot_x draws a figure but is not named *_figure" in b for b in breaches)
    assert not any("x_figure" in b for b in breaches)

"""Checks of the built HTML that need no browser: privacy, alt text, links."""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import toc_documents

pytestmark = pytest.mark.site

GENERIC_ALT = re.compile(r"^(img|image|figure|fig|plot|chart|graph|picture|photo|png)?\.?$|\.(png|jpe?g|svg|gif)$", re.I)
# Attributes through which a page *loads* something (links a reader clicks are allowed to leave the site).
LOADING = [("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
           ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_toc_page_was_built(site):
    missing = [doc for doc in toc_documents() if not (site / f"{doc}.html").exists()]
    assert not missing


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        for tag, attribute in LOADING:
            for element in soup.find_all(tag):
                url = element.get(attribute) or ""
                if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
                    continue
                if urlsplit(url).netloc or url.startswith("//"):
                    offenders.append(f"{page.relative_to(site)}: <{tag} {attribute}={url}>")
        for url in re.findall(r"@import\s+url\(['\"]?(https?:)?//", text):
            offenders.append(f"{page.relative_to(site)}: CSS import from another host")
    assert not offenders, "\n".join(offenders[:20])


def test_no_css_or_js_asset_references_another_host(site):
    offenders = []
    for asset in list(site.rglob("*.css")) + list((site / "_static").glob("*.js")):
        text = asset.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"url\((['\"]?)(https?:)?//[^)]+\)", text):
            offenders.append(f"{asset.relative_to(site)}: {match.group(0)[:80]}")
    assert not offenders, "\n".join(offenders[:20])


def test_every_image_has_descriptive_alt_text(site):
    bad = []
    for page in pages(site):
        for img in soup_of(page).find_all("img"):
            alt = (img.get("alt") or "").strip()
            if len(alt) < 15 or GENERIC_ALT.search(alt):
                bad.append(f"{page.relative_to(site)}: alt={alt!r} src={str(img.get('src'))[:60]}")
    assert not bad, "\n".join(bad)


def test_internal_links_and_anchors_resolve(site):
    broken = []
    ids_cache: dict[Path, set] = {}

    def ids(path: Path) -> set:
        if path not in ids_cache:
            ids_cache[path] = {el["id"] for el in soup_of(path).find_all(id=True)}
        return ids_cache[path]

    for page in pages(site):
        for a in soup_of(page).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids(target):
                broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


def test_mathjax_is_served_locally(site):
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()
    for page in pages(site):
        for script in soup_of(page).find_all("script", src=True):
            if "mathjax" in script["src"].lower():
                assert "_static/mathjax/tex-chtml.js" in script["src"], script["src"]


def test_every_chapter_offers_its_executed_notebook_and_the_code_and_data(site):
    import json
    import zipfile

    for doc in toc_documents():
        if not doc.startswith("notebooks/"):
            continue
        page = site / f"{doc}.html"
        links = [a["href"] for a in soup_of(page).find_all("a", href=True) if a["href"].endswith(".ipynb")]
        assert links, f"{doc}: no .ipynb download"
        notebook = json.loads((page.parent / links[0]).resolve().read_text())
        assert any(c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code"), f"{doc}: not executed"
        prose = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        assert "{glue" not in prose and "{include}" not in prose, f"{doc}: MyST markup in the plain-Jupyter download"
    with zipfile.ZipFile(site / "_downloads" / "leftbehind-code-and-data.zip") as archive:
        names = set(archive.namelist())
    assert {"src/leftbehind/__init__.py", "data/published/yong2023.csv", "pyproject.toml", "uv.lock", "Makefile",
            "scripts/execute_notebooks.py"} <= names


def test_theme_macros_copy_differs_from_the_installed_theme_only_by_the_icon_script():
    """book/_templates/static/webpack-macros.html drops fontawesome.js; it must otherwise track the installed theme."""
    import pydata_sphinx_theme

    installed = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"
    ours = Path(__file__).resolve().parents[1] / "book" / "_templates" / "static" / "webpack-macros.html"
    keep = [line for line in installed.read_text().splitlines()
            if "fontawesome.js" not in line and "custom icons" not in line]
    body = ours.read_text().split("-#}\n", 1)[1].splitlines()
    assert body == keep


def test_no_page_loads_the_icon_script_and_mathjax_only_where_there_is_maths(site):
    for page in pages(site):
        if page.parent.name == "_static" or "_static" in page.relative_to(site).parts:
            continue  # theme assets copied verbatim, not pages
        soup = soup_of(page)
        sources = [s["src"] for s in soup.find_all("script", src=True)]
        assert not any("fontawesome.js" in s for s in sources), page.relative_to(site)
        has_math = soup.select_one("article .math, article span.math, article div.math") is not None
        loads = any("mathjax" in s.lower() for s in sources)
        assert loads == has_math, f"{page.relative_to(site)}: maths on page {has_math}, MathJax loaded {loads}"

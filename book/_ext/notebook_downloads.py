"""Offer every chapter as an executed ``.ipynb`` that reads well in plain Jupyter, and the code + data to run it.

Each ``notebooks/<page>.md`` has an executed twin ``notebooks/<page>.ipynb``.  The twin is written for the
book: its Markdown holds MyST markup (``{include}`` of the content note, ``{glue:text}`` roles, admonitions,
cross-references) that only Sphinx understands.  :func:`downloadable_notebook` turns a twin into a notebook
for plain Jupyter: included files are inlined, directives become Markdown block quotes, each glue role is
replaced by the value the twin stored (formatted as the book formats it), and references become plain text.
The code cells and their outputs are unchanged, so the notebook runs the same code when re-executed.

This extension writes those notebooks into the site's ``_sources/`` folder and sets ``ipynb_source`` so
sphinx-book-theme shows an ".ipynb" entry in each chapter's download menu.  It also writes
``_downloads/leftbehind-code-and-data.zip`` (:data:`ARCHIVE_CONTENT`, with the plain-Jupyter notebooks),
linked from "How to use this book", so a downloaded notebook can be run.  :func:`build_downloads` does all of
this without Sphinx, which is how the tests call it.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import zipfile
from pathlib import Path

ARCHIVE = "leftbehind-code-and-data.zip"
#: What the download needs to be installed and run as "How to use this book" says (``make env`` or pip).
ARCHIVE_CONTENT = ("src", "data", "notebooks", "scripts", "Makefile", "pyproject.toml", "uv.lock",
                   "environment.yml", "README.md", "LICENSE")
GLUE_PREFIX = "application/papermill.record/"
NOT_SHOWN = "(a number computed in the code below)"

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,}|~{3,})\{(?P<name>[a-zA-Z0-9_:-]+)\}[ \t]*(?P<arg>.*)$")
_ROLE = re.compile(r"\{(?P<role>[a-zA-Z0-9_:-]+)\}`(?P<content>[^`]*)`")
_TARGET = re.compile(r"^\([A-Za-z0-9_:.-]+\)=\s*$")


# --------------------------------------------------------------------------- glue values
def glued_values(notebook: dict) -> dict[str, str]:
    """``{key: text/plain repr}`` of every value the executed notebook glued (myst-nb's storage format)."""
    values = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            text = data.get(GLUE_PREFIX + "text/plain")
            if name and text is not None:
                values[name] = "".join(text) if isinstance(text, list) else text
    return values


def format_glued(text: str, spec: str) -> str:
    """Format a stored glue value as myst-nb's ``{glue:text}`` role does (``key:spec``)."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if spec == "":
        return str(value)
    kind = spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, spec)


# --------------------------------------------------------------------------- references
def bibliography(bib_text: str) -> dict[str, str]:
    """``{key: "Surname et al. 2023"}`` from a BibTeX file (first author's surname and the year)."""
    out = {}
    for match in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", bib_text, flags=re.S):
        key, body = match.group(1), match.group(2)
        author = re.search(r"author\s*=\s*\{(.*?)\}\s*,?\s*\n", body, flags=re.S)
        year = re.search(r"year\s*=\s*\{?(\d{4})", body)
        if author:
            names = [a.strip() for a in author.group(1).split(" and ")]
            surname = names[0].split(",")[0].strip("{} ")
            who = surname + (" et al." if len(names) > 2 else f" and {names[1].split(',')[0].strip('{} ')}"
                             if len(names) == 2 else "")
        else:
            who = key
        out[key] = f"{who} {year.group(1)}" if year else who
    return out


def _role_text(role: str, content: str, values: dict[str, str], refs: dict[str, str]) -> str:
    if role.startswith("glue"):
        key, _, spec = content.split("::")[-1].partition(":")
        if key not in values:
            return NOT_SHOWN
        try:
            return format_glued(values[key], spec)
        except (ValueError, TypeError):
            return values[key]
    if role.startswith("cite"):
        keys = [k.strip() for k in content.split(",")]
        names = "; ".join(refs.get(k, k) for k in keys)
        return names if role == "cite:t" else f"({names})"
    if role == "math":
        return f"${content}$"
    shown = re.match(r"^(.*?)\s*<[^>]*>$", content, flags=re.S)
    return shown.group(1) if shown else content


def replace_roles(text: str, values: dict[str, str], refs: dict[str, str] | None = None) -> str:
    """Replace every MyST role in Markdown ``text`` by plain text (glue roles by their values)."""
    refs = refs or {}
    return _ROLE.sub(lambda m: _role_text(m.group("role"), m.group("content"), values, refs), text)


# --------------------------------------------------------------------------- directives and includes
def _quote(title: str, body: str) -> str:
    lines = ([f"**{title}**", ""] if title else []) + body.strip("\n").splitlines()
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def plain_markdown(text: str, base: Path, values: dict[str, str], refs: dict[str, str] | None = None,
                   depth: int = 0) -> str:
    """MyST Markdown -> Markdown that plain Jupyter renders.

    ``{include}`` is replaced by the included file (relative to ``base``, converted too); admonitions and
    other directives become block quotes titled by their argument; ``(label)=`` targets and ``%`` comments
    are removed; roles are replaced by :func:`replace_roles`.
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line)
        if _TARGET.match(line) or line.startswith("% "):
            i += 1
            continue
        if not match:
            out.append(line)
            i += 1
            continue
        fence, name, arg = match.group("fence"), match.group("name"), match.group("arg").strip()
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        body = [b for b in lines[i + 1:j] if not re.match(r"^:[a-zA-Z_-]+:", b)]
        i = j + 1
        if name == "include" and depth < 5:
            path = (base / arg).resolve()
            included = path.read_text(encoding="utf-8") if path.is_file() else f"(see {arg} in the book)"
            out.append(plain_markdown(included, path.parent, values, refs, depth + 1))
        elif name in ("code-cell", "code"):
            out += [f"```{arg}"] + body + ["```"]
        elif name == "nb-exec-table":
            out.append("*(The table of execution times is shown in the online book.)*")
        elif name == "solution":
            out.append(_quote("Solution", plain_markdown("\n".join(body), base, values, refs, depth + 1)))
        else:
            title = arg or name.replace("-", " ").capitalize()
            out.append(_quote(title, plain_markdown("\n".join(body), base, values, refs, depth + 1)))
    converted = "\n".join(out)
    return replace_roles(converted, values, refs) if depth == 0 else converted


def downloadable_notebook(twin: Path, refs: dict[str, str] | None = None) -> dict:
    """The executed twin at ``twin`` as a notebook for plain Jupyter (a new nbformat dict)."""
    notebook = json.loads(Path(twin).read_text(encoding="utf-8"))
    values = glued_values(notebook)
    plain = copy.deepcopy(notebook)
    plain.get("metadata", {}).pop("jupytext", None)  # no pairing: the .md beside it would overwrite this text
    for cell in plain["cells"]:
        if cell.get("cell_type") == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = plain_markdown(source, Path(twin).parent, values, refs)
    plain.setdefault("metadata", {})["leftbehind"] = {
        "note": "Converted from the book for plain Jupyter: the numbers in the text are the values computed when "
                "the book was built; re-running the code cells recomputes them below."}
    return plain


# --------------------------------------------------------------------------- the artefacts
def build_downloads(srcdir: Path, outdir: Path) -> list[Path]:
    """Write the plain-Jupyter notebooks into ``outdir/_sources/notebooks/`` and the code-and-data zip into
    ``outdir/_downloads/``; return the files written."""
    src, out = Path(srcdir), Path(outdir)
    bib = src / "book" / "references.bib"
    refs = bibliography(bib.read_text(encoding="utf-8")) if bib.is_file() else {}
    written, converted = [], {}
    for twin in sorted((src / "notebooks").glob("*.ipynb")):
        text = json.dumps(downloadable_notebook(twin, refs), indent=1, ensure_ascii=False) + "\n"
        converted[f"notebooks/{twin.name}"] = text.encode("utf-8")
        target = out / "_sources" / "notebooks" / twin.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(converted[f"notebooks/{twin.name}"])
        written.append(target)
    downloads = out / "_downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(downloads / ARCHIVE, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ARCHIVE_CONTENT:
            path = src / name
            if not path.exists():
                continue
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                relative = file.relative_to(src)
                if "__pycache__" in relative.parts or any(part.startswith(".") for part in relative.parts):
                    continue
                info = zipfile.ZipInfo(str(relative), date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o755 if file.stat().st_mode & 0o111 else 0o644) << 16
                archive.writestr(info, converted.get(relative.as_posix(), file.read_bytes()))
    written.append(downloads / ARCHIVE)
    return written


def _twin(app, pagename: str) -> Path | None:
    twin = Path(app.srcdir) / f"{pagename}.ipynb"
    return twin if pagename.startswith("notebooks/") and twin.exists() else None


def _set_ipynb_source(app, pagename, templatename, context, doctree):
    if _twin(app, pagename):
        context["ipynb_source"] = pagename + ".ipynb"


def _copy_twins_and_archive(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    build_downloads(Path(app.srcdir), Path(app.outdir))


def setup(app):
    app.connect("html-page-context", _set_ipynb_source, priority=400)
    app.connect("build-finished", _copy_twins_and_archive)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

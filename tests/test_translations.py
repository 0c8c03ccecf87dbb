"""The Chinese edition's message catalogues: complete, faithful, and covering every page and output.

``book/locales/zh_CN/LC_MESSAGES/<page>.po`` translate the prose; ``data/locales/zh_CN/outputs/<page>.po`` and the
vocabulary's ``label_zh`` column translate what the code writes (leftbehind.presentation.i18n).
"""

import json
import sys

import pytest

from conftest import ROOT, toc_documents

sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402  (scripts/translations.py: the catalogue tool)

from leftbehind.presentation.i18n import outputs_catalogues  # noqa: E402
from leftbehind.presentation.vocabulary import translated_labels, vocabulary  # noqa: E402


@pytest.mark.parametrize("catalogue", translations.catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_faithful(catalogue):
    """No untranslated or fuzzy message; every glue role, reference, term, link and number kept."""
    problems = translations.problems(catalogue)
    assert not problems, "\n".join(problems[:30])


def test_every_page_has_a_prose_catalogue():
    missing = [doc for doc in toc_documents() if not (translations.PAGES / f"{doc}.po").is_file()]
    assert not missing, f"run `make translations` to create catalogues for: {missing}"


def test_every_vocabulary_label_has_a_chinese_label():
    chinese = translated_labels("zh_CN")
    missing = [label for label in vocabulary().values() if label not in chinese]
    assert not missing, f"data/vocabulary.csv: label_zh is empty for {missing}"


def test_the_outputs_catalogues_exist():
    assert outputs_catalogues("zh_CN"), "data/locales/zh_CN/outputs/ has no catalogue"


def test_stored_notebooks_have_no_untranslated_output():
    """The executed twins (what nbval compares against) hold every output in both editions, fully translated."""
    left = {}
    for twin in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(twin.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                html = output.get("data", {}).get("text/html", "")
                html = "".join(html) if isinstance(html, list) else html
                if "data-untranslated=" in html:
                    left.setdefault(twin.name, []).append(html.split("data-untranslated=", 1)[1][:120])
                missing = output.get("metadata", {}).get("leftbehind", {}).get("untranslated")
                if missing:
                    left.setdefault(twin.name, []).extend(missing)
    assert not left, json.dumps(left, ensure_ascii=False, indent=1)[:3000]

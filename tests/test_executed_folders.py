"""Where each edition's executed notebooks go, and that a missing one makes its chapter be read again."""

import sys
from pathlib import Path
from types import SimpleNamespace

from myst_nb.core.config import NbParserConfig

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import editions  # noqa: E402
import numbers_manifest  # noqa: E402


def _app(tmp_path: Path, language: str | None) -> SimpleNamespace:
    env = SimpleNamespace(mystnb_config=NbParserConfig().copy(output_folder=str(tmp_path / "html" / "jupyter_execute")))
    return SimpleNamespace(config=SimpleNamespace(language=language), doctreedir=str(tmp_path / ".doctrees-zh"),
                           outdir=str(tmp_path / "html" / "zh"), env=env)


def test_the_chinese_edition_writes_its_notebooks_beside_its_doctrees(tmp_path):
    app = _app(tmp_path, "zh_CN")
    editions._own_executed_folder(app)
    assert Path(app.env.mystnb_config.output_folder) == (tmp_path / "jupyter_execute-zh_CN").resolve()
    assert numbers_manifest._executed_dir(app) == (tmp_path / "jupyter_execute-zh_CN").resolve()


def test_the_english_edition_keeps_myst_nbs_folder(tmp_path):
    app = _app(tmp_path, "en")
    editions._own_executed_folder(app)
    assert app.env.mystnb_config.output_folder == str(tmp_path / "html" / "jupyter_execute")


def test_a_chapter_whose_executed_notebook_is_missing_is_read_again(tmp_path):
    executed = tmp_path / "jupyter_execute"
    (executed / "notebooks").mkdir(parents=True)
    (executed / "notebooks" / "a.ipynb").write_text("{}")
    docs = {"notebooks/a", "notebooks/b", numbers_manifest.PAGE}
    env = SimpleNamespace(found_docs=docs, doc2path=lambda d: str(tmp_path / f"{d}.md"),
                          mystnb_config=SimpleNamespace(output_folder=str(executed)))
    app = SimpleNamespace(env=env)
    assert numbers_manifest.reread_when_numbers_change(app, env, set(), set(), set()) == \
        [numbers_manifest.PAGE, "notebooks/b"]
    # a chapter about to be read anyway is not listed again
    assert numbers_manifest.reread_when_numbers_change(app, env, {"notebooks/b"}, set(), set()) == \
        [numbers_manifest.PAGE]

"""The environment is exact: the venv, environment.yml and uv.lock agree."""

from importlib import metadata

from leftbehind.core.environment import key_package_versions, locked_versions, render_environment_yml
from leftbehind.core.paths import repo_root


def test_environment_yml_pins_exactly_the_locked_versions():
    committed = (repo_root() / "environment.yml").read_text()
    assert committed == render_environment_yml(locked_versions()), (
        "environment.yml has drifted from uv.lock: run `python scripts/write_environment_yml.py`"
    )


def test_jupyter_book_is_version_1():
    assert locked_versions()["jupyter-book"].startswith("1.")


def test_installed_packages_are_the_locked_versions():
    locked = locked_versions()
    wrong = {}
    for name in ("jupyter-book", "sphinx", "myst-nb", "pandas", "numpy", "statsmodels", "scipy", "matplotlib", "nbval"):
        installed = metadata.version(name)
        if installed != locked[name]:
            wrong[name] = (installed, locked[name])
    assert not wrong, f"installed != locked: {wrong}"


def test_status_page_versions_come_from_the_installed_environment():
    table = key_package_versions()["version"]
    assert table["statsmodels"] == locked_versions()["statsmodels"]
    assert table["python"] == "3.11"

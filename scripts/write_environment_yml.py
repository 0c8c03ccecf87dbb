"""Regenerate environment.yml from uv.lock (run after `uv lock`)."""

from leftbehind.core.environment import locked_versions, render_environment_yml
from leftbehind.core.paths import repo_root

(repo_root() / "environment.yml").write_text(render_environment_yml(locked_versions()))
print("wrote environment.yml")

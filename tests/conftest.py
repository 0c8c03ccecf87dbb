"""Shared fixtures: the repository root, the built site, a real Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

import nbval_numbers

ROOT = Path(__file__).resolve().parents[1]
# the tests (and nbval) see outputs written for both editions, as `make` writes them
os.environ.setdefault("LEFTBEHIND_EDITIONS", "en zh_CN")
SITE = ROOT / "_build" / "html"


def toc_documents() -> list[str]:
    """Every document in ``_toc.yml``, in reading order (paths without suffix)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docs = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                docs.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return docs


@pytest.fixture(scope="session")
def site() -> Path:
    """The built HTML site; fails (never skips) when it has not been built."""
    if not (SITE / "book" / "index.html").exists():
        pytest.fail(f"No built site at {SITE}: run `make book` (or `make test`, which builds it) first.")
    return SITE


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail(
            "Chromium is required for the browser tests and was not found. Install it with "
            "`sudo apt-get install chromium` (Debian/Ubuntu), or run `make test`, which installs it when run as root."
        )
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def served_site(site):
    """Serve the built site on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's binary) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def pytest_configure(config):
    nbval_numbers.install()  # nbval compares decimals at 10 significant digits (see tests/nbval_numbers.py)

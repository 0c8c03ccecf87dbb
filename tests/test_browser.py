"""The built site in a real Chromium: loads cleanly, privately, accessibly, searchably."""

import ipaddress
from urllib.parse import urlsplit

import pytest

from conftest import toc_documents

pytestmark = pytest.mark.browser

# Console messages that are known and harmless (documented in README "Built-site checks").
CONSOLE_ALLOW = ("Got invalid theme mode",)
DOCS = toc_documents()


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname
    if urlsplit(url).scheme in ("data", "blob", "about"):
        return True
    if host in (None, "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context()
    ctx.outside = []

    def route(route):
        if is_loopback(route.request.url):
            route.continue_()
        else:
            ctx.outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", route)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("doc", DOCS)
def test_page_loads_cleanly_privately_and_accessibly(context, served_site, doc):
    """One visit per page: no console errors, no request leaves loopback, no serious axe violations."""
    from axe_playwright_python.sync_playwright import Axe

    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    before = len(context.outside)
    response = page.goto(f"{served_site}/{doc}.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert response.ok
    unexpected = [e for e in errors if not any(allowed in e for allowed in CONSOLE_ALLOW)]
    assert not unexpected, f"console errors: {unexpected}"
    assert context.outside[before:] == [], f"requests to other hosts: {context.outside[before:]}"
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.close()
    assert not serious, "accessibility violations:\n" + "\n".join(serious)


def test_site_search_finds_the_study(context, served_site):
    page = context.new_page()
    page.goto(f"{served_site}/search.html?q=Yingshan", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hrefs = [a.get_attribute("href") or "" for a in page.locator("#search-results ul.search li a").all()]
    page.close()
    assert any("study_at_a_glance" in href for href in hrefs), hrefs

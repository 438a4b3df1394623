"""The pages at 1280 px and 390 px in a real browser: no horizontal overflow, axe-core
accessibility rules (axe.js shipped by the axe-playwright-python package), the section
index, and the first preferred option on the first screen at desktop width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mbc.api.testing import CHROMIUM, CHROMIUM_ARGS, start_server
from mbc.web.views import load_examples

ARGS = list(CHROMIUM_ARGS)
WIDTHS = (1280, 390)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, fixture_kb_path: Path) -> Iterator[tuple[str, str]]:
    """A dev-mode server with one case that has options, doses and sources."""
    proc, base = start_server(tmp_path_factory.mktemp("layout") / "l.db", fixture_kb_path)
    try:
        cid = httpx.post(
            f"{base}/v1/cases", json={"record": load_examples()["her2pos-2l"]}, timeout=30
        ).json()["id"]
        yield base, cid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _pages(cid: str) -> list[str]:
    return ["/", "/cases/new", "/cases/paste", f"/cases/{cid}", f"/cases/{cid}/patient", f"/cases/{cid}/edit"]


def _axe(page: Any) -> list[dict[str, Any]]:
    axe_mod = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python ships axe.js"
    )
    results = axe_mod.Axe().run(page)
    return list(results.response.get("violations", []))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_overflow_and_no_axe_violations(site: tuple[str, str], width: int) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, cid = site
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
            for path in _pages(cid):
                page.goto(base + path)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    problems.append(f"{path}: {scroll} px wide at {width} px")
                for v in _axe(page):
                    problems.append(f"{path}: axe {v['id']} ({v.get('impact')}) x{len(v.get('nodes', []))}")
            page.goto(base + "/cases/new")  # typing must not log htmx errors
            page.get_by_label("Age (years)").fill("61")
            page.get_by_label("Age (years)").press("Tab")
            page.wait_for_timeout(1200)
            problems += [f"console: {e}" for e in errors]
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)


def test_plan_first_screen_and_sticky_index(site: tuple[str, str]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, cid = site
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/cases/{cid}")
            bottom = page.locator("section.bottom-line")  # the bottom line (issue 10) opens the plan
            assert bottom.bounding_box()["y"] < 900  # type: ignore[index]
            first = page.locator("li.option h4").first
            assert first.bounding_box()["y"] < 900  # type: ignore[index]
            page.mouse.wheel(0, 2500)
            page.wait_for_timeout(300)
            toc = page.locator("nav.toc").bounding_box()
            assert toc is not None and -1 <= toc["y"] <= 1  # stuck to the top while scrolling
            page.locator("nav.toc a[href='#h-sources']").click()
            assert page.locator("#h-sources").is_visible()
        finally:
            browser.close()


def test_api_docs_render_offline(site: tuple[str, str]) -> None:
    """Swagger UI renders the OpenAPI document from packaged assets, under the CSP, with no
    request leaving the server."""
    sync_api = pytest.importorskip("playwright.sync_api")
    base, _ = site
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith(base)
                    else (outside.append(r.request.url), r.abort())
                ),
            )
            page.goto(f"{base}/docs")
            sync_api.expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
        finally:
            browser.close()
    assert outside == []

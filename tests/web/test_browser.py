"""End to end in a real browser: fill the case form, read the plan, open the patient view."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mbc.api.testing import CHROMIUM, CHROMIUM_ARGS, start_server

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = list(CHROMIUM_ARGS)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's Chromium at {CHROMIUM}"),
]


@pytest.fixture
def server(tmp_path: Path, fixture_kb_path: Path) -> Iterator[str]:
    """`mbc serve` on a free loopback port, over a fresh database and the fixture KB."""
    proc, base = start_server(tmp_path / "browser.db", fixture_kb_path)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_fill_form_read_plan_open_patient_view(server: str, tmp_path: Path) -> None:
    """A clinician fills the form (with instant validation), reads the plan and opens the
    patient view; screenshots of each go to docs/screenshots/."""
    sync_api = pytest.importorskip("playwright.sync_api")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(server) else route.abort(),
            )  # loopback only
            page.goto(f"{server}/cases/new")
            page.get_by_label("Record id").fill("browser-case-1")
            page.get_by_label("Age (years)").fill("5")
            page.get_by_label("Age (years)").press("Tab")
            # instant validation: the htmx round trip puts the message next to the field
            sync_api.expect(page.locator("#err-age")).to_contain_text("greater than or equal to 18")
            page.get_by_label("Age (years)").fill("52")
            page.get_by_label("Age (years)").press("Tab")
            sync_api.expect(page.locator("#err-age")).to_have_text("")
            page.get_by_label("Plan date").fill("2026-11-01")
            page.get_by_label("Sex").select_option("female")
            page.get_by_label("Menopausal status").select_option("postmenopausal")
            page.get_by_label("ER (% nuclei)").fill("0")
            page.get_by_label("PR (% nuclei)").fill("0")
            page.get_by_label("HER2 IHC").select_option("3+")
            page.locator("input[name='metastases.sites'][value='lung']").check()
            page.get_by_label("Visceral crisis").select_option("no")
            page.get_by_label("Therapy 1 Drugs").fill("doxorubicin, cyclophosphamide")
            page.get_by_label("Therapy 1 Setting").select_option("adjuvant")
            page.get_by_label("Therapy 1 Start").fill("2019-01-10")
            page.get_by_label("Therapy 1 End").fill("2019-04-01")
            page.get_by_label("LVEF (%)").fill("62")
            page.screenshot(path=str(SCREENSHOTS / "case-form.png"), full_page=False)
            page.get_by_role("button", name="Save and plan").click()
            page.wait_for_url("**/cases/*")
            sync_api.expect(page.get_by_role("heading", name="Treatment options")).to_be_visible()
            assert page.get_by_text("Trastuzumab + pertuzumab + taxane (THP)").first.is_visible()
            alerts = page.locator("#h-alerts")
            options = page.locator("#h-options")
            assert alerts.bounding_box()["y"] < options.bounding_box()["y"]  # type: ignore[index]
            page.get_by_text("Sources").first.click()  # expand citations (keyboard-reachable <details>)
            page.screenshot(path=str(SCREENSHOTS / "clinician-view.png"), full_page=True)
            page.get_by_role("link", name="Patient view").click()
            sync_api.expect(page.get_by_role("heading", name="Your care plan in plain words")).to_be_visible()
            sync_api.expect(page.get_by_text("Choice 1:").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "patient-view.png"), full_page=True)
            # keyboard: the skip link is the first stop
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip"
        finally:
            browser.close()
    for name in ("case-form.png", "clinician-view.png", "patient-view.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
    shutil.rmtree(tmp_path, ignore_errors=True)

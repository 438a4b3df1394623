"""Refresh docs/screenshots/example-*.png: serve the example cases with the shipped KB on a
free loopback port and photograph the clinician view, the patient view and the case list
with Debian's Chromium. Run: python scripts/screenshots.py"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from mbc.api.testing import CHROMIUM, CHROMIUM_ARGS

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PAGES = [("/cases/example-hrpos-2l-esr1", "example-clinician-view", False),
         ("/cases/example-hrpos-2l-esr1/patient", "example-patient-view", True),
         ("/", "example-case-list", True)]  # fmt: skip


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Path(tempfile.mkdtemp()) / "shots.db"
    # local development mode (as scripts/run): the pages show the "sign-in is off" banner
    env = {**os.environ, "MBC_DATABASE_URL": f"sqlite:///{db}", "MBC_AUTH": "off"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mbc", "serve", "--examples", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            for path, name, full in PAGES:
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote {len(PAGES)} screenshots to {OUT}")


if __name__ == "__main__":
    main()

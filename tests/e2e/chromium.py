"""The system Chromium, headless, as every E2E test and the UI measurement drive it (never `playwright install`)."""

from __future__ import annotations

from playwright.sync_api import Browser, Playwright

EXECUTABLE = "/usr/bin/chromium"
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=EXECUTABLE, args=ARGS, headless=True)

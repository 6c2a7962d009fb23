"""E2E fixtures: one headless Chromium per package run; per test a fresh `vdp serve` on its own data dir, a real
local file server, and a page of the served UI that is connected to the event stream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.support.fault_server import FaultServerThread

from .chromium import VIEWPORT, launch
from .served_app import ServedApp

expect.set_options(timeout=20_000)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.fixture
def served(tmp_path: Path, out_dir: Path) -> Iterator[ServedApp]:
    with ServedApp.start(tmp_path / "data") as app:
        app.configure(download={"output_directory": str(out_dir)})
        yield app


@pytest.fixture
def files() -> Iterator[FaultServerThread]:
    with FaultServerThread() as server:
        yield server


@pytest.fixture
def page(browser: Browser, served: ServedApp) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    ui = context.new_page()
    ui.goto(served.url)
    # Pushed events only reach a page whose WebSocket is open; acting earlier would race the first snapshot.
    expect(ui.get_by_test_id("status-bar")).to_have_attribute("data-connection", "open")
    yield ui
    context.close()

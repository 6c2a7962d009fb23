"""Screenshots of the main views for the README, taken from the real app with tasks in every kind of state.

Written to test-artifacts/screenshots/ on every run (1280x800 PNGs), and to docs/screenshots/ (the README's) when
VDP_UPDATE_SCREENSHOTS=1; the assertions make sure each view is really shown.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload

from .chromium import VIEWPORT
from .served_app import ServedApp
from .ui import row_for, wait_progress_above

pytestmark = pytest.mark.e2e

_ROOT = Path(__file__).resolve().parents[2]
SHOTS = _ROOT / ("docs" if os.environ.get("VDP_UPDATE_SCREENSHOTS") == "1" else "test-artifacts") / "screenshots"
MIB = 1 << 20


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def _shoot(page: Page, name: str) -> None:
    path = SHOTS / f"{name}.png"
    # Toasts come and go on timers; leaving them out keeps the views comparable from run to run.
    page.screenshot(path=path, animations="disabled", style="[data-testid=toasts] { display: none; }")
    assert _png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])


def _tasks_in_every_state(served: ServedApp, files: FaultServerThread, sheet: Path) -> dict[str, str]:
    """status → URL: one download running, one paused, one done, one failed, one waiting, one cancelled."""
    served.configure(download={"retry_attempts": 0, "max_connections_per_download": 1})
    plan = {
        "Downloading": ("/lectures/01-intro-to-asyncio.mp4", {"rate": MIB // 2}, 64 * MIB),
        "Paused": ("/lectures/02-event-loops-in-depth.mp4", {"rate": MIB, "stall_after": 3 * MIB}, 8 * MIB),
        "Completed": ("/lectures/00-welcome.mp4", {}, MIB),
        "Failed": ("/lectures/03-missing-recording.mp4", {"status": 404}, MIB),
        "Cancelled": ("/lectures/04-draft-cut.mp4", {"stall_after": 0}, MIB),
        "Pending": ("/lectures/05-structured-concurrency.mp4", {}, MIB),
    }
    urls = {}
    for seed, (status, (path, options, size)) in enumerate(plan.items()):
        files.add_file(path, make_payload(size, seed), **options)
        urls[status] = files.url(path)
    ids = {task["url"]: task["id"] for task in served.invoke("add_urls", urls=list(urls.values()))}
    for status in ("Completed", "Failed", "Downloading", "Paused", "Cancelled"):
        served.invoke("start_download", taskId=ids[urls[status]])
    files.wait_for_bytes_sent("/lectures/02-event-loops-in-depth.mp4", 3 * MIB)
    served.invoke("pause_download", taskId=ids[urls["Paused"]])
    served.invoke("cancel_download", taskId=ids[urls["Cancelled"]])
    sheet.write_text(
        "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"
        + "".join(f"7,异步编程专栏,{n},第{n}课,{url}\n" for n, url in enumerate(urls.values(), 1)),
        encoding="utf-8-sig",
    )
    return urls


def test_screenshots_of_the_main_views(page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    urls = _tasks_in_every_state(served, files, tmp_path / "课程清单.csv")
    page.get_by_test_id("language-switch").select_option("en")
    for status, url in urls.items():
        expect(row_for(page, url)).to_have_attribute("data-status", status)
    wait_progress_above(page, row_for(page, urls["Downloading"]), 1)
    _shoot(page, "main-list")

    page.get_by_test_id("open-settings").click()
    expect(page.get_by_test_id("settings-panel")).to_be_visible()
    _shoot(page, "settings")
    page.get_by_test_id("settings-close").click()

    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    panel.get_by_test_id("import-path").fill(str(tmp_path / "课程清单.csv"))
    panel.get_by_test_id("import-preview").click()
    expect(panel.get_by_test_id("import-summary")).to_contain_text("6")
    _shoot(page, "import-panel")
    panel.get_by_test_id("import-close").click()

    page.keyboard.press("Control+Shift+D")
    debug = page.get_by_test_id("debug-panel")
    debug.get_by_test_id("debug-fetch-runtimeState").click()
    expect(debug.get_by_test_id("debug-output-runtimeState")).to_contain_text('"runtime"')
    _shoot(page, "debug-panel")
    page.keyboard.press("Control+Shift+D")

    page.get_by_test_id("theme-switch").select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    _shoot(page, "dark-theme")

    page.get_by_test_id("theme-switch").select_option("light")
    page.get_by_test_id("language-switch").select_option("zh-CN")
    expect(page.get_by_test_id("open-settings")).to_have_text("设置")
    _shoot(page, "zh-CN")

"""Issue 8: the download manager driven like a user does, against the real backend and a real file server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

from .served_app import ServedApp
from .ui import add_links, confirm, menu_action, row_button, row_for, wait_progress_above

pytestmark = pytest.mark.e2e

MIB = 1 << 20


def _file_of(served: ServedApp, url: str) -> Path:
    (task,) = [task for task in served.invoke("get_download_tasks") if task["url"] == url]
    return Path(task["file_path"])


def test_paste_start_pause_resume_cancel_and_retry(page: Page, served: ServedApp, files: FaultServerThread,
                                                   out_dir: Path) -> None:
    paused_data, cancelled_data, flaky_data = make_payload(2 * MIB, 1), make_payload(2 * MIB, 2), make_payload(MIB, 3)
    # Paced, then held at a known point until the test lets go: progress is visible and actions land mid-transfer.
    files.add_file("/lecture-1.mp4", paused_data, rate=MIB // 2, stall_after=MIB)
    files.add_file("/lecture-2.mp4", cancelled_data, rate=MIB, stall_after=MIB // 2)
    files.add_file("/lecture-3.mp4", flaky_data, status=500)
    urls = [files.url(f"/lecture-{n}.mp4") for n in (1, 2, 3)]

    # No retries, so the 500 fails the task at once (set through the settings panel, as a user would).
    page.get_by_test_id("open-settings").click()
    page.get_by_test_id("setting-retry-attempts").fill("0")
    page.get_by_test_id("setting-max-connections").fill("1")
    page.get_by_test_id("setting-total-connections").fill("6")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("toast").and_(page.locator("[data-kind=success]"))).to_be_visible()
    download = served.invoke("get_config")["download"]
    assert (download["retry_attempts"], download["max_total_connections"]) == (0, 6)
    page.get_by_test_id("settings-close").click()

    add_links(page, urls)
    paused, cancelled, flaky = (row_for(page, url) for url in urls)
    for row in (paused, cancelled, flaky):
        expect(row).to_have_attribute("data-status", "Pending")

    # Starting is harmless: no dialog (the save folder is always on screen).
    page.get_by_test_id("start-all-button").click()
    expect(paused).to_have_attribute("data-status", "Downloading")
    first = wait_progress_above(page, paused, 0)
    assert wait_progress_above(page, paused, first) > first
    expect(paused.get_by_test_id("row-percent")).not_to_have_text("0%")

    expect(flaky).to_have_attribute("data-status", "Failed")
    # Why, in the UI's language (zh-CN by default) by the task's error code; the backend's own text is the tooltip.
    expect(flaky.get_by_test_id("row-error")).to_have_text("服务器出错")
    expect(flaky.locator(".cell-status")).to_have_attribute("title", re.compile(r"HTTP 500"))

    files.wait_for_bytes_sent("/lecture-1.mp4", MIB)
    row_button(paused, "pause").click()
    expect(paused).to_have_attribute("data-status", "Paused")
    files.gate("/lecture-1.mp4").open()
    row_button(paused, "resume").click()

    files.wait_for_bytes_sent("/lecture-2.mp4", MIB // 2)
    menu_action(page, cancelled, "cancel")
    confirm(page)
    expect(cancelled).to_have_attribute("data-status", "Cancelled")

    files.add_file("/lecture-3.mp4", flaky_data)  # the server recovers: 200 from now on
    row_button(flaky, "retry").click()

    expect(paused).to_have_attribute("data-status", "Completed")
    expect(paused.get_by_test_id("row-percent")).to_have_text("100%")
    expect(flaky).to_have_attribute("data-status", "Completed")
    expect(flaky.get_by_test_id("row-error")).to_have_count(0)
    expect(page.get_by_test_id("filter-count-completed")).to_have_text("2")
    expect(page.get_by_test_id("filter-count-cancelled")).to_have_text("1")
    assert _file_of(served, urls[0]).parent == out_dir
    assert sha256_of(_file_of(served, urls[0])) == sha256_of(paused_data)
    assert sha256_of(_file_of(served, urls[2])) == sha256_of(flaky_data)

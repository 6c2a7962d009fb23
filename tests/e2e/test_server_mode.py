"""Issue 2: the built UI in server mode — a command round trip over HTTP, and events over the WebSocket."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread

from .served_app import ServedApp

pytestmark = pytest.mark.e2e


def test_ping_round_trip_over_http(page: Page) -> None:
    with page.expect_response("**/api/invoke/get_system_info") as answer:
        page.locator("#ping-button").click()
    assert answer.value.ok
    expect(page.locator("#ping-result")).to_contain_text('"active_downloads":0')
    shown = json.loads(page.locator("#ping-result").text_content() or "")
    assert set(shown) >= {"cpu_usage", "memory_usage", "disk_usage"}


def test_a_task_added_elsewhere_appears_from_its_event(page: Page, served: ServedApp, files: FaultServerThread) -> None:
    files.add_file("/clip.mp4", b"x" * 1024)
    # Added behind the page's back: only the `task_added` event over the WebSocket can bring the row in.
    (task,) = served.invoke("add_urls", urls=[files.url("/clip.mp4")])
    row = page.locator(f"[data-testid=task-row][data-task-id='{task['id']}']")
    expect(row).to_have_attribute("data-status", "Pending")
    expect(row.get_by_test_id("row-title")).to_have_text(task["title"])
    expect(page.get_by_test_id("filter-count-all")).to_have_text("1")

    served.invoke("remove_download", taskId=task["id"])
    expect(row).to_have_count(0)


def test_the_page_shows_when_the_backend_goes_away(page: Page, served: ServedApp) -> None:
    served.stop()
    expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "closed")
    page.locator("#ping-button").click()
    expect(page.locator("#ping-result")).to_contain_text("error: Network error")

"""Issues 2 and 14: the built UI in server mode — a command round trip over HTTP, events over the WebSocket, and no
control that needs the desktop window (clipboard, Browse, open or show a file)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread

from .served_app import ServedApp

pytestmark = pytest.mark.e2e


def _open_debug_panel(page: Page) -> None:
    """Ping is a support tool: it lives in the debug panel (Ctrl+Shift+D), not in the header."""
    expect(page.locator("#ping-button")).to_have_count(0)
    page.keyboard.press("Control+Shift+D")
    expect(page.get_by_test_id("debug-panel")).to_be_visible()


def test_ping_round_trip_over_http(page: Page) -> None:
    _open_debug_panel(page)
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
    _open_debug_panel(page)
    served.stop()
    expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "closed")
    page.locator("#ping-button").click()
    expect(page.locator("#ping-result")).to_contain_text("error: Network error")


def test_controls_that_need_the_desktop_window_are_not_shown(
    page: Page, served: ServedApp, files: FaultServerThread
) -> None:
    files.add_file("/done.mp4", b"x" * 2048)
    (task,) = served.invoke("add_urls", urls=[files.url("/done.mp4")])
    served.invoke("start_download", taskId=task["id"])
    row = page.locator(f"[data-testid=task-row][data-task-id='{task['id']}']")
    expect(row).to_have_attribute("data-status", "Completed")
    # A completed task in a browser: no "open file" or "show in folder" (they would act on the server's desktop).
    row.hover()  # a row's buttons exist while it is pointed at
    expect(row.get_by_test_id("row-remove")).to_be_visible()
    expect(row.get_by_test_id("row-open-file")).to_have_count(0)
    expect(row.get_by_test_id("row-reveal")).to_have_count(0)

    # The save folder is typed, not browsed; no "open folder".
    folder = page.get_by_test_id("save-folder")
    expect(folder.get_by_test_id("save-folder-path")).to_be_editable()
    expect(folder.get_by_test_id("save-folder-browse")).to_have_count(0)
    expect(folder.get_by_test_id("save-folder-open")).to_have_count(0)

    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    expect(panel.get_by_test_id("import-file-input")).to_have_count(1)  # a browser uploads the sheet instead
    expect(panel.get_by_test_id("import-browse")).to_have_count(0)

    page.get_by_test_id("open-add-links").click()
    expect(page.get_by_test_id("add-links-dialog")).to_be_visible()
    expect(page.get_by_test_id("clipboard-button")).to_have_count(0)

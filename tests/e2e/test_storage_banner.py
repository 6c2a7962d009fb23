"""Issue 14: when the task list's database is in trouble, the main screen says so, where it is, and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .chromium import VIEWPORT
from .served_app import ServedApp

pytestmark = pytest.mark.e2e


def test_a_task_list_set_aside_at_start_is_announced_with_both_paths(browser: Browser, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "tasks.sqlite").write_bytes(b"this is not an SQLite database\n" * 64)  # malformed: set aside at start
    with ServedApp.start(data) as served:
        storage = served.invoke("get_app_info")["storage"]
        assert storage["state"] == "recovered" and storage["moved_aside_to"]
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(served.url)
        banner = page.get_by_test_id("storage-banner")
        expect(banner).to_have_attribute("data-state", "recovered")
        expect(banner).to_contain_text("任务列表无法读取")  # in the user's language (zh-CN by default)
        expect(banner).to_contain_text(storage["path"])
        expect(banner).to_contain_text(storage["moved_aside_to"])
        assert Path(storage["moved_aside_to"]).read_bytes().startswith(b"this is not an SQLite database")
        banner.get_by_test_id("storage-dismiss").click()  # over and done: the user may put it away
        expect(banner).to_have_count(0)
        context.close()


def test_a_healthy_task_list_shows_no_banner(page: Page, served: ServedApp) -> None:
    expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "open")
    assert served.invoke("get_app_info")["storage"]["state"] == "ok"
    expect(page.get_by_test_id("storage-banner")).to_have_count(0)

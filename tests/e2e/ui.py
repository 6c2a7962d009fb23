"""Page helpers in the user's terms: rows by URL, their progress, and confirmed actions."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect


def row_for(page: Page, url: str) -> Locator:
    """The task row whose URL line shows `url` (rows are virtualised: only rows in view exist)."""
    exactly = re.compile(f"^{re.escape(url)}$")
    return page.get_by_test_id("task-row").filter(has=page.locator(".task-url", has_text=exactly))


def progress(row: Locator) -> float:
    return float(row.get_attribute("data-progress") or 0)


def wait_progress_above(page: Page, row: Locator, floor: float) -> float:
    """Waits for the row's progress to pass `floor` (it moves only when progress events arrive); returns it."""
    handle = row.element_handle()
    page.wait_for_function("([el, floor]) => Number(el.dataset.progress) > floor", arg=[handle, floor])
    return progress(row)


def confirm(page: Page) -> None:
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("confirm-ok").click()
    expect(dialog).to_have_count(0)

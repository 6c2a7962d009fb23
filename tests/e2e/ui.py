"""Page helpers in the user's terms: rows by URL, their progress, and confirmed actions."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def row_for(page: Page, url: str) -> Locator:
    """The task row of `url` (rows are virtualised: only rows in view exist)."""
    return page.locator(f"[data-testid=task-row][data-url='{url}']")


def add_links(page: Page, urls: list[str]) -> None:
    """Adds links as a user does: the toolbar's "Add links" dialog, pasted, added."""
    page.get_by_test_id("open-add-links").click()
    dialog = page.get_by_test_id("add-links-dialog")
    dialog.get_by_test_id("paste-box").fill("\n".join(urls))
    dialog.get_by_test_id("add-urls-button").click()
    expect(dialog).to_have_count(0)
    for url in urls:
        expect(row_for(page, url)).to_have_count(1)


def row_button(row: Locator, action: str) -> Locator:
    """A row's own button (row-<action>): they exist while the row is pointed at, focused or selected."""
    row.hover()
    return row.get_by_test_id(f"row-{action}")


def menu_action(page: Page, row: Locator, action: str) -> None:
    """Right-clicks `row` (which selects it alone) and picks `action` (menu-<action>) from its context menu."""
    row.click()
    row.click(button="right")
    page.get_by_test_id(f"menu-{action}").click()


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

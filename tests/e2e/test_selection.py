"""Multi-select as in a file manager: Shift+click for a range, the header checkbox for everything shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread

from .served_app import ServedApp

pytestmark = pytest.mark.e2e


def test_shift_click_and_the_header_checkbox(page: Page, served: ServedApp, files: FaultServerThread) -> None:
    urls = [files.url(f"/part-{n}.mp4") for n in range(4)]
    served.invoke("add_urls", urls=urls)
    boxes = page.get_by_test_id("row-select")
    expect(boxes).to_have_count(4)
    boxes.nth(0).click()
    boxes.nth(2).click(modifiers=["Shift"])
    expect(page.get_by_test_id("selection-count")).to_contain_text("3")
    header = page.get_by_test_id("select-all-checkbox")
    assert header.evaluate("box => box.indeterminate") is True
    header.click()
    expect(page.get_by_test_id("selection-count")).to_contain_text("4")
    expect(header).to_be_checked()
    # Bulk actions name the tasks they touch before they act.
    page.get_by_test_id("remove-selected-button").click()
    expect(page.get_by_test_id("confirm-items").locator("li")).to_have_count(4)
    expect(page.get_by_test_id("confirm-items")).to_contain_text("part-0.mp4")
    page.get_by_test_id("confirm-cancel").click()
    # The toolbar says what it acts on: the selection ("Start 4 selected", in either language).
    expect(page.get_by_test_id("start-all-button")).to_have_accessible_name(re.compile("4"))
    header.click()
    expect(page.get_by_test_id("selection-count")).to_have_count(0)
    expect(page.get_by_test_id("remove-selected-button")).to_be_disabled()

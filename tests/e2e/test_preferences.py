"""Issue 8: language and theme switch live and are saved; the debug panel opens with Ctrl+Shift+D."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .served_app import ServedApp

pytestmark = pytest.mark.e2e


def test_language_switches_live_and_is_saved(page: Page, served: ServedApp) -> None:
    settings = page.get_by_test_id("open-settings")
    expect(settings).to_have_text("设置")  # the original's default language
    page.get_by_test_id("language-switch").select_option("en")
    expect(settings).to_have_text("Settings")
    expect(page.get_by_test_id("filter-all")).to_contain_text("All")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert served.invoke("get_config")["ui"]["language"] == "en"

    page.get_by_test_id("language-switch").select_option("zh-CN")
    expect(settings).to_have_text("设置")


def test_theme_switches_live_and_is_saved(page: Page, served: ServedApp) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")  # "system" follows the browser's light scheme
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_test_id("theme-switch").select_option("dark")
    expect(html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    assert served.invoke("get_config")["ui"]["theme"] == "dark"

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")

    # Two quick changes in a row both stick (each is saved on top of the one before).
    page.get_by_test_id("theme-switch").select_option("light")
    page.get_by_test_id("language-switch").select_option("en")
    expect(page.get_by_test_id("open-settings")).to_have_text("Settings")
    expect(html).to_have_attribute("data-theme", "light")
    saved = served.invoke("get_config")["ui"]
    assert (saved["theme"], saved["language"]) == ("light", "en")


def test_debug_panel_shows_the_runtime_state(page: Page) -> None:
    page.keyboard.press("Control+Shift+D")
    panel = page.get_by_test_id("debug-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("debug-transport")).to_have_text("server")
    expect(panel.get_by_test_id("debug-runtime")).to_have_text("v2")

    panel.get_by_test_id("debug-fetch-runtimeState").click()
    output = panel.get_by_test_id("debug-output-runtimeState")
    expect(output).to_contain_text('"runtime"')
    state = json.loads(output.text_content() or "")
    assert state["runtime"] == "v2" and state["active"] == 0

    panel.get_by_test_id("debug-fetch-health").click()
    expect(panel.get_by_test_id("debug-output-health")).not_to_be_empty()

    page.keyboard.press("Control+Shift+D")
    expect(panel).to_have_count(0)

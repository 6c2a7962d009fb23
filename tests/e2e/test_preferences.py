"""Issues 8 and 14: language and theme switch live and are saved; the debug panel opens with Ctrl+Shift+D; settings
ask before they drop or reset anything and speak the user's language; the save folder and the queue switch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .axe import serious_violations
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


def test_reset_to_defaults_asks_and_keeping_keeps(page: Page, served: ServedApp) -> None:
    served.configure(download={"concurrent_downloads": 7})
    page.reload()
    page.get_by_test_id("open-settings").click()
    panel = page.get_by_test_id("settings-panel")
    expect(panel.get_by_test_id("setting-concurrent-downloads")).to_have_value("7")

    panel.get_by_test_id("settings-reset").click()
    dialog = page.get_by_test_id("confirm-dialog")
    # The buttons name the action, and the safe one has the focus: Enter keeps the settings.
    expect(dialog.get_by_test_id("confirm-ok")).to_have_text("恢复默认设置")
    expect(dialog.get_by_test_id("confirm-cancel")).to_have_text("保留我的设置")
    expect(dialog.get_by_test_id("confirm-cancel")).to_be_focused()
    assert serious_violations(page) == []  # the settings panel under the dialog, and the dialog
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    assert served.invoke("get_config")["download"]["concurrent_downloads"] == 7

    panel.get_by_test_id("settings-reset").click()
    dialog.get_by_test_id("confirm-ok").click()
    expect(panel.get_by_test_id("setting-concurrent-downloads")).to_have_value("3")
    assert served.invoke("get_config")["download"]["concurrent_downloads"] == 3


def test_closing_settings_with_unsaved_edits_asks(page: Page, served: ServedApp) -> None:
    page.get_by_test_id("open-settings").click()
    panel = page.get_by_test_id("settings-panel")
    panel.get_by_test_id("setting-retry-attempts").fill("5")

    panel.get_by_test_id("setting-retry-attempts").press("Escape")  # Escape closes the panel: it asks first
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog.get_by_test_id("confirm-cancel")).to_have_text("继续编辑")
    dialog.get_by_test_id("confirm-cancel").click()
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("setting-retry-attempts")).to_have_value("5")  # the edit is still there
    panel.get_by_test_id("settings-close").click()  # so does the Close button
    dialog.get_by_test_id("confirm-cancel").click()

    page.get_by_test_id("open-settings").click()  # the header button closes too, through the same question
    dialog.get_by_test_id("confirm-ok").click()
    expect(panel).to_have_count(0)
    assert served.invoke("get_config")["download"]["retry_attempts"] == 3  # discarded, never sent

    # Without edits, closing asks nothing; a saved edit leaves nothing to ask about.
    page.get_by_test_id("open-settings").click()
    panel.get_by_test_id("setting-retry-attempts").fill("4")
    panel.get_by_test_id("settings-save").click()
    expect(panel.get_by_test_id("settings-save")).to_be_disabled()
    panel.get_by_test_id("settings-close").click()
    expect(panel).to_have_count(0)
    expect(dialog).to_have_count(0)
    assert served.invoke("get_config")["download"]["retry_attempts"] == 4


def test_settings_validation_speaks_the_users_language(page: Page, served: ServedApp) -> None:
    page.get_by_test_id("open-settings").click()
    panel = page.get_by_test_id("settings-panel")
    panel.get_by_test_id("setting-concurrent-downloads").fill("0")
    expect(panel.get_by_test_id("setting-concurrent-downloads-problem")).to_have_text("请输入 1 到 64 之间的整数")
    panel.get_by_test_id("setting-proxy").fill("localhost:8080")
    panel.get_by_test_id("settings-save").click()
    expect(panel.get_by_test_id("setting-proxy-problem")).to_contain_text("socks5://")
    expect(panel.get_by_test_id("setting-proxy")).to_have_attribute("aria-invalid", "true")
    assert served.invoke("get_config")["download"]["concurrent_downloads"] == 3  # nothing invalid was sent

    page.get_by_test_id("language-switch").select_option("en")
    problem = panel.get_by_test_id("setting-concurrent-downloads-problem")
    expect(problem).to_have_text("Enter a whole number from 1 to 64")


def test_a_save_folder_typed_in_settings_is_checked_before_saving(page: Page, served: ServedApp, out_dir: Path) -> None:
    page.get_by_test_id("open-settings").click()
    panel = page.get_by_test_id("settings-panel")
    panel.get_by_test_id("setting-output-directory").fill("videos")  # relative: where would that be?
    panel.get_by_test_id("settings-save").click()
    expect(panel.get_by_test_id("setting-output-directory-problem")).to_contain_text("此文件夹不能用于保存下载")
    assert served.invoke("get_config")["download"]["output_directory"] == str(out_dir)

    panel.get_by_test_id("setting-output-directory").fill(str(out_dir / "课程"))
    expect(panel.get_by_test_id("setting-output-directory-problem")).to_have_count(0)
    panel.get_by_test_id("settings-save").click()
    expect(panel.get_by_test_id("settings-save")).to_be_disabled()
    assert served.invoke("get_config")["download"]["output_directory"] == str(out_dir / "课程")
    header = page.get_by_test_id("save-folder-path")  # the header follows: the path's end, all of it in the tooltip
    expect(header).to_have_value("…/out/课程")
    expect(header).to_have_attribute("title", str(out_dir / "课程"))


def test_a_backend_error_is_translated_by_its_code_with_the_text_as_detail(page: Page, tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件.csv"
    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    panel.get_by_test_id("import-path").fill(str(missing))
    panel.get_by_test_id("import-preview").click()
    toast = page.get_by_test_id("toast").filter(has_text="找不到文件")
    expect(toast.get_by_test_id("toast-message")).to_have_text("找不到文件")
    # The backend's own (English) words stay as the detail, for a bug report.
    expect(toast.get_by_test_id("toast-detail")).to_contain_text("No such file")


def test_the_save_folder_is_shown_checked_and_saved(
    page: Page, served: ServedApp, out_dir: Path, tmp_path: Path
) -> None:
    folder = page.get_by_test_id("save-folder")
    path = folder.get_by_test_id("save-folder-path")
    # A long path shows its last folder names; the tooltip and the accessible name hold all of it.
    expect(path).to_have_value(re.compile(r"^…/(\S+/)?out$"))
    expect(path).to_have_attribute("title", str(out_dir))
    expect(path).to_have_accessible_name(f"保存到：{out_dir}")
    path.focus()  # a browser types the path (no native dialog): in the field it is whole
    expect(path).to_have_value(str(out_dir))
    expect(folder.get_by_test_id("save-folder-browse")).to_have_count(0)

    path.fill("relative/videos")
    folder.get_by_test_id("save-folder-apply").click()
    expect(folder.get_by_test_id("save-folder-problem")).to_contain_text("此文件夹不能用于保存下载")
    assert served.invoke("get_config")["download"]["output_directory"] == str(out_dir)

    chosen = tmp_path / "课程" / "新文件夹"  # not there yet: created when the first download needs it
    path.fill(str(chosen))
    path.press("Enter")
    expect(folder.get_by_test_id("save-folder-apply")).to_have_count(0)
    expect(folder.get_by_test_id("save-folder-problem")).to_have_count(0)
    assert served.invoke("get_config")["download"]["output_directory"] == str(chosen)


def test_the_queue_switch_says_what_it_does(page: Page, served: ServedApp) -> None:
    toggle = page.get_by_test_id("queue-toggle")
    expect(toggle).to_have_attribute("data-running", "false")
    expect(toggle.get_by_test_id("queue-explanation")).to_contain_text("不会自动开始任何任务")
    toggle.get_by_test_id("queue-switch").click()
    expect(toggle).to_have_attribute("data-running", "true")
    expect(toggle.get_by_test_id("queue-switch")).to_have_attribute("aria-checked", "true")
    expect(toggle.get_by_test_id("queue-explanation")).to_contain_text("之后添加的也一样")
    assert served.invoke("get_queue_state")["running"] is True

    served.invoke("set_queue_running", running=False)  # changed elsewhere: the event brings it here
    expect(toggle).to_have_attribute("data-running", "false")


def test_the_scheduler_times_are_saved(page: Page, served: ServedApp) -> None:
    page.get_by_test_id("open-settings").click()
    panel = page.get_by_test_id("settings-panel")
    panel.get_by_test_id("setting-schedule-start").fill("01:30")
    panel.get_by_test_id("setting-schedule-pause").fill("07:00")
    panel.get_by_test_id("settings-save").click()
    expect(panel.get_by_test_id("settings-save")).to_be_disabled()
    saved = served.invoke("get_config")["ui"]
    assert (saved["schedule_start_time"], saved["schedule_pause_time"]) == ("01:30", "07:00")
    expect(page.get_by_test_id("queue-explanation")).to_contain_text("按计划")

"""Issue 8: a CSV with Chinese headers imported through the import panel, then downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

from .served_app import ServedApp
from .ui import confirm, row_for

pytestmark = pytest.mark.e2e

HEADERS = "专栏ID,专栏名称,课程ID,课程名称,视频链接"
COURSES = ["第一课 导论", "第二课 进阶"]


def test_import_a_csv_with_chinese_headers(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path, out_dir: Path
) -> None:
    payloads = [make_payload(256 << 10, seed) for seed in (11, 12)]
    urls = []
    for n, data in enumerate(payloads, 1):
        files.add_file(f"/course/{n}.mp4", data)
        urls.append(files.url(f"/course/{n}.mp4"))
    sheet = tmp_path / "课程清单.csv"
    rows = [f"1001,Python 专栏,{2000 + n},{title},{url}" for n, (title, url) in enumerate(zip(COURSES, urls))]
    sheet.write_text("\n".join([HEADERS, *rows]) + "\n", encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"

    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    panel.get_by_test_id("import-path").fill(str(sheet))
    panel.get_by_test_id("import-preview").click()
    expect(panel.get_by_test_id("import-summary")).to_contain_text("2")
    expect(panel.locator("th")).to_have_text(HEADERS.split(","))
    # The headers are recognised: the link column feeds the URL, the course name the title.
    expect(panel.get_by_test_id("import-map-4")).to_have_value("video_url")
    expect(panel.get_by_test_id("import-map-3")).to_have_value("course_name")

    panel.get_by_test_id("import-output-dir").fill(str(out_dir))
    panel.get_by_test_id("import-run").click()
    outcome = panel.get_by_test_id("import-reconciliation")
    expect(outcome).to_have_attribute("data-new", "2")
    expect(outcome).to_have_attribute("data-known", "0")
    imported = [row_for(page, url) for url in urls]
    for row, title in zip(imported, COURSES):
        expect(row.get_by_test_id("row-title")).to_have_text(title)
        expect(row).to_have_attribute("data-status", "Pending")

    page.get_by_test_id("start-all-button").click()
    confirm(page)  # the start dialog: the folder stays as imported
    for row in imported:
        expect(row).to_have_attribute("data-status", "Completed")
    tasks = {task["url"]: task for task in served.invoke("get_download_tasks")}
    for url, data in zip(urls, payloads):
        saved = Path(tasks[url]["file_path"])
        assert saved.is_relative_to(out_dir)
        assert sha256_of(saved) == sha256_of(data)


def test_a_sheet_dropped_on_the_panel_or_uploaded_is_previewed(page: Page, served: ServedApp, tmp_path: Path) -> None:
    sheet = "\n".join([HEADERS, "1001,专栏,2001,第一课,https://example.test/1.mp4"]) + "\n"
    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    # A drop as the browser delivers it: a DataTransfer holding the file (no path on disk: its bytes are staged).
    panel.evaluate(
        """(panel, text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], '拖放.csv', { type: 'text/csv' }));
            panel.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        }""",
        sheet,
    )
    expect(panel.get_by_test_id("import-summary")).to_contain_text("1")
    expect(panel.locator("th")).to_have_text(HEADERS.split(","))
    staged = panel.get_by_test_id("import-path").input_value()
    assert staged.endswith("-拖放.csv") and staged.startswith(served.invoke("get_app_info")["data_dir"])

    upload = tmp_path / "upload.csv"
    upload.write_text(sheet.replace("第一课", "第二课"), encoding="gbk")
    panel.get_by_test_id("import-file-input").set_input_files(str(upload))
    expect(panel.locator("td").filter(has_text="第二课")).to_have_count(1)

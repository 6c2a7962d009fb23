"""Screenshots of the main views for the README, taken from the real app: three imported courses (one done), pasted
links in every kind of state, at 1280x800 and 1024x700, light, dark and zh-CN.

Written to test-artifacts/screenshots/ on every run, and to docs/screenshots/ (the README's) when
VDP_UPDATE_SCREENSHOTS=1; the assertions make sure each view is really shown.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload

from .served_app import ServedApp
from .ui import row_for, wait_progress_above

pytestmark = pytest.mark.e2e

_ROOT = Path(__file__).resolve().parents[2]
SHOTS = _ROOT / ("docs" if os.environ.get("VDP_UPDATE_SCREENSHOTS") == "1" else "test-artifacts") / "screenshots"
MIB = 1 << 20
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 1024, "height": 700}
COURSES = {
    "Python 异步编程": ["课程介绍", "事件循环", "协程与任务", "结构化并发", "实战：爬虫"],
    "数据分析入门": ["课程介绍", "NumPy 基础", "Pandas 数据清洗", "可视化", "案例：销售报表"],
    "机器学习实战": ["课程介绍", "线性回归", "决策树", "模型评估"],
}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def _shoot(page: Page, name: str) -> None:
    path = SHOTS / f"{name}.png"
    page.mouse.move(1, 1)  # no row under the pointer: hover actions would show on one row only
    # Toasts come and go on timers; leaving them out keeps the views comparable from run to run.
    page.screenshot(path=path, animations="disabled", style="[data-testid=toasts] { display: none; }")
    size = page.viewport_size
    assert size is not None and _png_size(path) == (size["width"], size["height"])


def _pasted_links_in_every_state(served: ServedApp, files: FaultServerThread) -> dict[str, str]:
    """status → URL: one download running, one paused, one done, one failed, one waiting, one cancelled."""
    plan = {
        "Downloading": ("/lectures/01-intro-to-asyncio.mp4", {"rate": MIB // 2}, 64 * MIB),
        "Paused": ("/lectures/02-event-loops-in-depth.mp4", {"rate": MIB, "stall_after": 3 * MIB}, 8 * MIB),
        "Completed": ("/lectures/00-welcome.mp4", {}, MIB),
        "Failed": ("/lectures/03-missing-recording.mp4", {"status": 404}, MIB),
        "Cancelled": ("/lectures/04-draft-cut.mp4", {"stall_after": 0}, MIB),
        "Pending": ("/lectures/05-structured-concurrency.mp4", {}, MIB),
    }
    urls = {}
    for seed, (status, (path, options, size)) in enumerate(plan.items()):
        files.add_file(path, make_payload(size, seed), **options)
        urls[status] = files.url(path)
    ids = {task["url"]: task["id"] for task in served.invoke("add_urls", urls=list(urls.values()))}
    for status in ("Completed", "Failed", "Downloading", "Paused", "Cancelled"):
        served.invoke("start_download", taskId=ids[urls[status]])
    files.wait_for_bytes_sent("/lectures/02-event-loops-in-depth.mp4", 3 * MIB)
    served.invoke("pause_download", taskId=ids[urls["Paused"]])
    served.invoke("cancel_download", taskId=ids[urls["Cancelled"]])
    return urls


def _course_sheet(files: FaultServerThread, sheet: Path) -> None:
    rows = ["专栏ID,专栏名称,课程ID,课程名称,视频链接"]
    for c, (course, lessons) in enumerate(COURSES.items(), 1):
        for n, lesson in enumerate(lessons, 1):
            path = f"/courses/{c}/{n}.mp4"
            files.add_file(path, make_payload(256 << 10, 100 + c * 10 + n))
            rows.append(f"{c},{course},{c * 100 + n},{lesson},{files.url(path)}")
    sheet.write_text("\n".join(rows) + "\n", encoding="gbk")


def _import_courses(served: ServedApp, sheet: Path) -> None:
    """Imported by course; the first course downloaded, the others waiting for the queue."""
    served.invoke("import_and_reconcile", filePath=str(sheet), layout="by_course")
    first = next(iter(COURSES))
    for task in served.invoke("get_download_tasks"):
        if (task.get("video_info") or {}).get("zl_name") == first:
            served.invoke("start_download", taskId=task["id"])


@pytest.fixture
def save_folder() -> Iterator[Path]:
    """A save folder named as a user's would be (the default's last part), not pytest's long temporary path."""
    root = Path(tempfile.mkdtemp(prefix="vdp-"))
    yield root / "Video Downloader Pro"
    shutil.rmtree(root)


def test_screenshots_of_the_main_views(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path, save_folder: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    served.configure(
        download={"retry_attempts": 0, "max_connections_per_download": 1, "output_directory": str(save_folder)}
    )
    sheet = tmp_path / "课程清单.csv"
    _course_sheet(files, sheet)
    _import_courses(served, sheet)
    urls = _pasted_links_in_every_state(served, files)
    page.reload()  # the settings changed behind the page's back
    expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "open")

    page.get_by_test_id("language-switch").select_option("en")
    for status, url in urls.items():
        expect(row_for(page, url)).to_have_attribute("data-status", status)
    first = page.get_by_test_id("group-row").first
    expect(first).to_have_attribute("data-completed", str(len(next(iter(COURSES.values())))))
    wait_progress_above(page, row_for(page, urls["Downloading"]), 1)
    # The list is the screen: at 1280x800, with the details pane closed, at least 18 rows (tasks, and the course
    # rows between them) are wholly in view.
    in_view = page.evaluate(
        """() => {
            const list = document.querySelector('[data-testid=task-list]').getBoundingClientRect();
            return [...document.querySelectorAll('[data-testid=task-row], [data-testid=group-row]')]
                .map((row) => row.getBoundingClientRect())
                .filter((box) => box.top >= list.top && box.bottom <= list.bottom).length;
        }"""
    )
    _shoot(page, "main-list")
    assert in_view >= 18, in_view

    running = row_for(page, urls["Downloading"])
    running.click()
    page.get_by_test_id("details-toggle").click()
    details = page.get_by_test_id("details-pane")
    expect(details).to_have_attribute("data-task-id", running.get_attribute("data-task-id") or "")
    expect(details.get_by_test_id("details-history")).to_be_visible()
    _shoot(page, "details-pane")
    details.get_by_test_id("details-close").click()
    expect(details).to_have_count(0)
    running.get_by_test_id("row-select").click()  # nothing selected in the views that follow
    expect(page.get_by_test_id("task-row").and_(page.locator("[aria-selected=true]"))).to_have_count(0)

    page.get_by_test_id("open-settings").click()
    expect(page.get_by_test_id("settings-panel")).to_be_visible()
    _shoot(page, "settings")
    page.get_by_test_id("settings-close").click()

    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    panel.get_by_test_id("import-path").fill(str(sheet))
    panel.get_by_test_id("import-preview").click()
    expect(panel.get_by_test_id("import-summary")).to_contain_text("14")
    expect(panel.get_by_test_id("import-paths-entry").first).to_have_text("Python 异步编程/01 课程介绍.mp4")
    _shoot(page, "import-panel")
    panel.get_by_test_id("import-close").click()

    page.keyboard.press("Control+Shift+D")
    debug = page.get_by_test_id("debug-panel")
    debug.get_by_test_id("debug-fetch-runtimeState").click()
    expect(debug.get_by_test_id("debug-output-runtimeState")).to_contain_text('"runtime"')
    _shoot(page, "debug-panel")
    page.keyboard.press("Control+Shift+D")

    page.set_viewport_size(NARROW)
    _shoot(page, "main-list-1024")

    page.get_by_test_id("theme-switch").select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    _shoot(page, "dark-theme-1024")
    page.set_viewport_size(WIDE)
    _shoot(page, "dark-theme")

    page.get_by_test_id("theme-switch").select_option("light")
    page.get_by_test_id("language-switch").select_option("zh-CN")
    expect(page.get_by_test_id("open-settings")).to_have_text("设置")
    _shoot(page, "zh-CN")
    page.set_viewport_size(NARROW)
    _shoot(page, "zh-CN-1024")

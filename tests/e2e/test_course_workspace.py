"""Issue 14: the task list as a course workspace, driven in Chromium against a real `vdp serve` and file server —
course groups in sheet order, the keyboard, the details pane, every live change without a reload, a server
restart, and an axe-core check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import FloatRect, Locator, Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload

from .axe import serious_violations
from .served_app import ServedApp
from .ui import confirm, menu_action, row_button, row_for

pytestmark = pytest.mark.e2e

MIB = 1 << 20
# Three courses, lesson names repeated across them, in an order that is neither by name nor by id.
SHEET = [
    ("200", "Python 入门", "第1课 安装"),
    ("200", "Python 入门", "第2课 变量"),
    ("100", "数据分析", "第1课 安装"),
    ("100", "数据分析", "第2课 清洗"),
    ("300", "机器学习", "第1课 安装"),
]


def _import_courses(served: ServedApp, files: FaultServerThread, tmp_path: Path, out_dir: Path) -> list[str]:
    urls = []
    for n, _row in enumerate(SHEET):
        files.add_file(f"/c/{n}.mp4", make_payload(64 << 10, n))
        urls.append(files.url(f"/c/{n}.mp4"))
    sheet = tmp_path / "courses.csv"
    lines = ["专栏ID,专栏名称,课程ID,课程名称,视频链接"]
    lines += [f"{zl},{name},{n},{lesson},{url}" for n, ((zl, name, lesson), url) in enumerate(zip(SHEET, urls))]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    served.invoke("import_and_reconcile", filePath=str(sheet), outputDir=str(out_dir), layout="by_course")
    return urls


def _rows_match_the_backend(page: Page, served: ServedApp, *, bytes_of_running: bool = False) -> None:
    """Every task's row shows what get_download_tasks holds (no reload: the page lives on events)."""
    for task in served.invoke("get_download_tasks"):
        row = page.locator(f"[data-testid=task-row][data-task-id='{task['id']}']")
        expect(row).to_have_attribute("data-status", task["status"])
        expect(row).to_have_attribute("data-queued", json.dumps(task["queued"]))
        expect(row).to_have_attribute("data-file", task["file_path"] or "")
        if bytes_of_running or task["status"] not in ("Downloading", "Scheduled"):
            expect(row).to_have_attribute("data-downloaded", str(task["downloaded_size"]))


def test_courses_are_groups_in_sheet_order_with_their_totals_and_actions(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path, out_dir: Path
) -> None:
    urls = _import_courses(served, files, tmp_path, out_dir)
    groups = page.get_by_test_id("group-row")
    expect(groups.get_by_test_id("group-title")).to_have_text(["Python 入门", "数据分析", "机器学习"])
    expect(groups.nth(0)).to_have_attribute("data-total", "2")
    # Rows keep the sheet order inside each course, and the same lesson name stays itself in every course.
    expect(page.get_by_test_id("row-title")).to_have_text([lesson for _zl, _name, lesson in SHEET])
    expect(page.get_by_test_id("row-engine").first).to_have_text("HTTP")

    # Start one course only: its lessons complete, the others stay where they were.
    groups.nth(1).get_by_test_id("group-start").click()
    expect(groups.nth(1)).to_have_attribute("data-completed", "2")
    expect(groups.nth(1).get_by_test_id("group-counts")).to_contain_text("2/2")
    for url in (urls[0], urls[1], urls[4]):
        expect(row_for(page, url)).to_have_attribute("data-status", "Pending")
    for task in served.invoke("get_download_tasks"):
        assert task["status"] == ("Completed" if task["url"] in urls[2:4] else "Pending")

    assert serious_violations(page) == []

    # A course folds away; the flat view shows every task with its course.
    groups.nth(0).click()
    expect(groups.nth(0)).to_have_attribute("aria-expanded", "false")
    expect(row_for(page, urls[0])).to_have_count(0)
    page.get_by_test_id("group-toggle").click()
    expect(groups).to_have_count(0)
    expect(page.get_by_test_id("task-row")).to_have_count(5)
    expect(row_for(page, urls[4]).locator(".cell-course")).to_have_text("机器学习")


def test_a_finished_course_starts_folded_and_a_search_still_finds_its_lessons(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path, out_dir: Path
) -> None:
    urls = _import_courses(served, files, tmp_path, out_dir)
    groups = page.get_by_test_id("group-row")
    groups.nth(1).get_by_test_id("group-start").click()
    expect(groups.nth(1)).to_have_attribute("data-completed", "2")
    expect(row_for(page, urls[3])).to_be_visible()  # it finished while shown: it stays open

    page.reload()  # the next start: the finished course is folded, the others are not
    expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "open")
    expect(groups.nth(1)).to_have_attribute("aria-expanded", "false")
    expect(groups.nth(0)).to_have_attribute("aria-expanded", "true")
    expect(row_for(page, urls[3])).to_have_count(0)
    expect(row_for(page, urls[4])).to_be_visible()

    search = page.get_by_test_id("search-input")
    search.fill("清洗")  # a lesson of the folded course
    expect(row_for(page, urls[3])).to_be_visible()
    search.fill("")
    expect(row_for(page, urls[3])).to_have_count(0)
    page.get_by_test_id("filter-completed").click()  # the finished lessons are what this view is for
    expect(row_for(page, urls[3])).to_be_visible()
    page.get_by_test_id("filter-all").click()
    expect(row_for(page, urls[3])).to_have_count(0)
    groups.nth(1).click()
    expect(row_for(page, urls[3])).to_be_visible()
    groups.nth(1).click()  # the user's own fold holds in every view but a search
    page.get_by_test_id("filter-completed").click()
    expect(row_for(page, urls[3])).to_have_count(0)


def _box(element: Locator) -> FloatRect:
    box = element.bounding_box()
    assert box is not None, "not rendered"
    return box


def _focus_row(page: Page, row: Locator) -> None:
    row.click()
    expect(row).to_be_focused()


def test_the_keyboard_selects_pauses_resumes_and_removes(
    page: Page, served: ServedApp, files: FaultServerThread
) -> None:
    for n in range(3):
        files.add_file(f"/k/{n}.mp4", make_payload(4 * MIB, n), rate=MIB // 4)
    urls = [files.url(f"/k/{n}.mp4") for n in range(3)]
    served.invoke("add_urls", urls=urls)
    rows = [row_for(page, url) for url in urls]
    expect(rows[2]).to_have_count(1)

    # One tab stop for the whole list; the row's buttons are reached by the row, and named after its task.
    grid = page.get_by_test_id("task-list")
    expect(grid.locator("[role=row][tabindex='0']")).to_have_count(1)
    expect(rows[0].locator("button[tabindex='0'], input[tabindex='0']")).to_have_count(0)
    expect(row_button(rows[0], "start")).to_have_accessible_name(re.compile("0.mp4"))
    expect(row_button(rows[0], "remove")).to_have_accessible_name(re.compile("0.mp4"))
    expect(rows[0].get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")

    rows[0].focus()  # as Tab enters the list: the first row has the focus, no row was chosen yet
    page.keyboard.press("ArrowDown")
    expect(rows[1]).to_be_focused()  # the first arrow moves on from it, not onto it
    _focus_row(page, rows[0])
    page.keyboard.press("ArrowDown")
    expect(rows[1]).to_be_focused()
    page.keyboard.press("Shift+ArrowDown")
    expect(grid.locator("[role=row][aria-selected=true]")).to_have_count(2)
    page.keyboard.press("Control+a")
    expect(grid.locator("[role=row][aria-selected=true]")).to_have_count(3)
    assert page.evaluate("() => String(window.getSelection())") == ""  # tasks, not the page's text
    page.keyboard.press("Escape")
    expect(grid.locator("[role=row][aria-selected=true]")).to_have_count(0)

    _focus_row(page, rows[1])
    page.keyboard.press("Space")  # not running: Space starts it
    expect(rows[1]).to_have_attribute("data-status", "Downloading")
    page.keyboard.press("Space")
    expect(rows[1]).to_have_attribute("data-status", "Paused")
    page.keyboard.press("Space")
    expect(rows[1]).to_have_attribute("data-status", re.compile("Scheduled|Downloading"))
    page.keyboard.press("Space")
    expect(rows[1]).to_have_attribute("data-status", "Paused")
    for task in served.invoke("get_download_tasks"):
        assert task["status"] == ("Paused" if task["url"] == urls[1] else "Pending")

    # Delete asks first, and keeping the tasks keeps them.
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("confirm-items")).to_contain_text("1.mp4")
    page.get_by_test_id("confirm-cancel").click()
    expect(rows[1]).to_have_count(1)
    _focus_row(page, rows[1])
    page.keyboard.press("Delete")
    confirm(page)
    expect(rows[1]).to_have_count(0)
    assert [task["url"] for task in served.invoke("get_download_tasks")] == [urls[0], urls[2]]


def test_the_details_pane_shows_the_piece_map_of_a_running_task(
    page: Page, served: ServedApp, files: FaultServerThread
) -> None:
    served.configure(download={"max_connections_per_download": 4})
    files.add_file("/big.mp4", make_payload(32 * MIB, 7), rate=2 * MIB, stall_after=2 * MIB)
    url = files.url("/big.mp4")
    (task,) = served.invoke("add_urls", urls=[url])
    served.invoke("start_download", taskId=task["id"])
    files.wait_for_bytes_sent("/big.mp4", 2 * MIB)
    row = row_for(page, url)
    expect(row).to_have_attribute("data-status", "Downloading")
    row.click()
    page.get_by_test_id("details-toggle").click()
    pane = page.get_by_test_id("details-pane")
    expect(pane).to_have_attribute("data-task-id", task["id"])
    expect(pane.get_by_test_id("details-url")).to_contain_text(url)
    expect(pane.get_by_test_id("details-engine")).to_contain_text("HTTP")
    pieces = pane.get_by_test_id("piece-map")
    expect(pieces).to_have_attribute("data-kind", "ranges")
    expect(pieces).to_have_attribute("data-done", re.compile(r"^[1-9]\d*$"))
    assert int(pieces.get_attribute("data-done") or 0) <= 32 * MIB
    expect(pane.get_by_test_id("speed-chart")).to_be_visible()
    assert serious_violations(page) == []

    # The task's own speed limit, in the global setting's unit (Mbit/s: 1.5 Mbit/s = 187,500 bytes/s).
    pane.get_by_test_id("task-rate-limit").fill("1.5")
    pane.get_by_test_id("task-rate-limit-apply").click()
    expect(page.get_by_test_id("toast").and_(page.locator("[data-kind=success]"))).to_be_visible()
    assert served.invoke("get_task_rate_limit", taskId=task["id"]) == 187_500
    pane.get_by_test_id("details-close").click()
    expect(pane).to_have_count(0)


def test_each_live_change_reaches_its_row_without_a_reload(
    page: Page, served: ServedApp, files: FaultServerThread
) -> None:
    served.configure(download={"concurrent_downloads": 1, "retry_attempts": 0})
    files.add_file("/live/quick.mp4", make_payload(256 << 10, 1))
    files.add_file("/live/held.mp4", make_payload(8 * MIB, 2), rate=2 * MIB, stall_after=MIB)
    files.add_file("/live/later.mp4", make_payload(256 << 10, 3))
    quick, held, later = (files.url(f"/live/{name}.mp4") for name in ("quick", "held", "later"))
    served.invoke("add_urls", urls=[quick, held, later])
    _rows_match_the_backend(page, served, bytes_of_running=True)

    page.get_by_test_id("start-all-button").click()
    expect(row_for(page, quick)).to_have_attribute("data-status", "Completed")  # completion: its file, at once
    files.wait_for_bytes_sent("/live/held.mp4", MIB)
    expect(row_for(page, held)).to_have_attribute("data-status", "Downloading")
    expect(row_for(page, later)).to_have_attribute("data-queued", "true")  # waiting for the only slot
    _rows_match_the_backend(page, served)

    menu_action(page, row_for(page, held), "cancel")  # the partial file goes, and with it the bytes
    confirm(page)
    expect(row_for(page, held)).to_have_attribute("data-status", "Cancelled")
    expect(row_for(page, later)).to_have_attribute("data-status", "Completed")
    _rows_match_the_backend(page, served, bytes_of_running=True)
    expect(page.get_by_test_id("filter-count-completed")).to_have_text("2")

    _focus_row(page, row_for(page, held))
    page.keyboard.press("Space")  # a cancelled lesson: Space tries it again, as the row's own button does
    expect(row_for(page, held)).to_have_attribute("data-status", re.compile("Scheduled|Downloading"))


def test_a_server_restart_shows_disconnected_then_live_again(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path
) -> None:
    files.add_file("/r/a.mp4", make_payload(64 << 10, 1))
    served.invoke("add_urls", urls=[files.url("/r/a.mp4")])
    list_ = page.get_by_test_id("task-list")
    expect(list_).to_have_attribute("data-connected", "true")
    expect(page.get_by_test_id("list-disconnected")).to_have_count(0)
    start = page.get_by_test_id("start-all-button")
    expect(start).to_be_enabled()

    served.stop()
    expect(list_).to_have_attribute("data-connected", "false")
    expect(page.get_by_test_id("list-disconnected")).to_be_visible()
    expect(page.get_by_test_id("row-speed")).to_have_text(["—"])
    expect(start).to_be_disabled()  # every action would fail while the bridge is down

    with ServedApp.start(tmp_path / "data", port=served.port, token=served.token) as again:
        expect(list_).to_have_attribute("data-connected", "true")
        expect(page.get_by_test_id("list-disconnected")).to_have_count(0)
        expect(start).to_be_enabled()
        files.add_file("/r/b.mp4", make_payload(64 << 10, 2))
        again.invoke("add_urls", urls=[files.url("/r/b.mp4")])  # live again: the new task arrives by its event
        expect(row_for(page, files.url("/r/b.mp4"))).to_have_count(1)


def test_eighteen_task_rows_fit_a_1280x800_window(page: Page, served: ServedApp, files: FaultServerThread) -> None:
    served.invoke("add_urls", urls=[files.url(f"/many/{n:02d}.mp4") for n in range(40)])
    expect(page.get_by_test_id("filter-count-all")).to_have_text("40")
    assert page.viewport_size == {"width": 1280, "height": 800}
    whole_rows = page.evaluate(
        """() => {
          const body = document.querySelector('[data-testid=task-list] .table-body').getBoundingClientRect();
          return [...document.querySelectorAll('[data-testid=task-row]')]
            .map((row) => row.getBoundingClientRect())
            .filter((r) => r.top >= body.top && r.bottom <= body.bottom && r.bottom <= innerHeight).length;
        }"""
    )
    assert whole_rows >= 18


def test_headers_sort_and_resize_and_ctrl_v_in_the_list_adds_links(
    page: Page, served: ServedApp, files: FaultServerThread
) -> None:
    names = ["b-lesson.mp4", "c-lesson.mp4", "a-lesson.mp4"]
    served.invoke("add_urls", urls=[files.url(f"/s/{name}") for name in names])
    titles = page.get_by_test_id("row-title")
    expect(titles).to_have_text(names)  # the order they were added in
    page.get_by_test_id("sort-name").click()
    expect(titles).to_have_text(sorted(names))
    expect(page.locator("[role=columnheader][aria-sort=ascending]")).to_contain_text(re.compile("Name|名称"))
    page.get_by_test_id("sort-name").click()
    expect(titles).to_have_text(sorted(names, reverse=True))
    page.get_by_test_id("sort-name").click()  # third click: back to the user's order
    expect(titles).to_have_text(names)

    # Dragging a column's edge widens it, and every row's cell with it.
    size_cell = page.locator("[data-testid=task-row] .cell-size").first
    before = _box(size_cell)["width"]
    edge = _box(page.locator("[role=columnheader].cell-size .resizer"))
    page.mouse.move(edge["x"] + 2, edge["y"] + 4)
    page.mouse.down()
    page.mouse.move(edge["x"] + 62, edge["y"] + 4, steps=4)
    page.mouse.up()
    assert _box(size_cell)["width"] > before + 40

    # Ctrl+V on the list: the links in the pasted text become tasks.
    page.get_by_test_id("task-row").first.click()
    pasted = files.url("/s/pasted.mp4")
    page.evaluate(
        """(text) => {
          const data = new DataTransfer();
          data.setData('text/plain', 'see ' + text + ' please');
          document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
        }""",
        pasted,
    )
    expect(row_for(page, pasted)).to_have_count(1)
    assert pasted in [task["url"] for task in served.invoke("get_download_tasks")]

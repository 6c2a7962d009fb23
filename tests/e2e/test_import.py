"""Issues 8 and 14: course sheets imported through the import panel — dropped on the window, uploaded or typed as a
path — into one folder per course with numbered lessons, shown as course groups, and started one course at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

from .axe import serious_violations
from .served_app import ServedApp

pytestmark = pytest.mark.e2e

HEADERS = "专栏ID,专栏名称,课程ID,课程名称,视频链接"
# Three courses in sheet order; every course has lessons named like the others' ("第1课 安装" three times).
COURSES = {course: ["第1课 安装", "第2课 变量"] for course in ("Python 入门", "数据分析", "机器学习")}
# Where by_course puts them: <course>/<NN lesson>.<ext>, numbered in sheet order within the course.
SHEET_PATHS = [
    f"{course}/{n:02d} {lesson}.mp4" for course, lessons in COURSES.items() for n, lesson in enumerate(lessons, 1)
]


def _drop_on_window(page: Page, *, file: tuple[str, bytes] | None = None, text: str | None = None) -> None:
    """A drop on the window as the browser delivers it: a DataTransfer holding a file (its bytes, no path) or text."""
    page.evaluate(
        """([file, text]) => {
            const data = new DataTransfer();
            if (file) data.items.add(new File([new Uint8Array(file[1])], file[0], { type: 'text/csv' }));
            if (text) data.setData('text/plain', text);
            for (const type of ['dragenter', 'dragover', 'drop']) {
                const event = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true });
                document.body.dispatchEvent(event);
            }
        }""",
        [[file[0], list(file[1])] if file else None, text],
    )


def _course_sheet(files: FaultServerThread) -> tuple[bytes, dict[tuple[str, str], tuple[str, bytes]]]:
    """The sheet (GBK, as Excel saves "CSV" on a Chinese Windows) and (course, lesson) → (URL, bytes)."""
    lessons: dict[tuple[str, str], tuple[str, bytes]] = {}
    rows = []
    for c, (course, titles) in enumerate(COURSES.items(), 1):
        for n, title in enumerate(titles, 1):
            data = make_payload(96 << 10, c * 10 + n)
            path = f"/course{c}/lesson{n}.mp4"  # the same file name in every course, as course sites serve them
            files.add_file(path, data)
            lessons[(course, title)] = (files.url(path), data)
            rows.append(f"{c},{course},{c * 100 + n},{title},{files.url(path)}")
    return ("\n".join([HEADERS, *rows]) + "\n").encode("gbk"), lessons


def _group(page: Page, course: str) -> Locator:
    title = page.get_by_test_id("group-title").get_by_text(course, exact=True)
    return page.get_by_test_id("group-row").filter(has=title)


def test_a_gbk_course_sheet_becomes_one_numbered_folder_per_course(
    page: Page, served: ServedApp, files: FaultServerThread, out_dir: Path
) -> None:
    sheet, lessons = _course_sheet(files)
    _drop_on_window(page, file=("课程清单.csv", sheet))

    panel = page.get_by_test_id("import-panel")  # the drop opened the panel with the sheet in it
    expect(panel.get_by_test_id("import-summary")).to_contain_text("6")
    expect(panel.get_by_test_id("import-layout-by_course")).to_be_checked()  # the default layout
    entries = panel.get_by_test_id("import-paths-entry")
    expect(entries).to_have_text(SHEET_PATHS)
    expect(panel.get_by_test_id("import-paths-summary")).to_contain_text(str(out_dir))

    assert serious_violations(page) == []
    expect(panel.get_by_test_id("import-paths-clashes")).to_have_count(0)
    panel.get_by_test_id("import-layout-flat").check()  # the preview follows the choice...
    expect(entries.first).to_have_text("lesson1.mp4")
    # ...and says that in one folder four of the six files would be renamed (lesson1.mp4, lesson2.mp4 per course)
    expect(panel.get_by_test_id("import-paths-clashes")).to_contain_text("4")
    panel.get_by_test_id("import-layout-by_course").check()  # ...and back
    expect(entries).to_have_text(SHEET_PATHS)
    expect(panel.get_by_test_id("import-paths-clashes")).to_have_count(0)

    panel.get_by_test_id("import-run").click()
    expect(panel.get_by_test_id("import-reconciliation")).to_have_attribute("data-new", "6")
    expect(page.get_by_test_id("toast").and_(page.locator("[data-kind=success]"))).to_be_visible()
    panel.get_by_test_id("import-run").click()  # the same sheet again: nothing new, and no success said
    expect(panel.get_by_test_id("import-reconciliation")).to_have_attribute("data-new", "0")
    expect(page.get_by_test_id("toast").and_(page.locator("[data-kind=info]"))).to_be_visible()
    panel.get_by_test_id("import-close").click()

    # Three course groups, in sheet order; nothing started (the queue is paused).
    expect(page.get_by_test_id("group-title")).to_have_text(list(COURSES))
    expect(page.get_by_test_id("queue-toggle")).to_have_attribute("data-running", "false")

    # Start one course only: its lessons download, the other courses wait.
    _group(page, "数据分析").get_by_test_id("group-start").click()
    expect(_group(page, "数据分析")).to_have_attribute("data-completed", "2")
    for course in ("Python 入门", "机器学习"):
        expect(_group(page, course)).to_have_attribute("data-completed", "0")
    statuses = {(t["video_info"]["zl_name"], t["title"]): t["status"] for t in served.invoke("get_download_tasks")}
    assert {key: status for key, status in statuses.items() if key[0] != "数据分析"} == {
        (course, title): "Pending" for course, titles in COURSES.items() if course != "数据分析" for title in titles
    }

    # The queue switch starts the rest.
    page.get_by_test_id("queue-switch").click()
    for course in COURSES:
        expect(_group(page, course)).to_have_attribute("data-completed", "2")

    tasks = served.invoke("get_download_tasks")
    saved = {Path(task["file_path"]) for task in tasks}
    assert saved == {out_dir / path for path in SHEET_PATHS}
    assert not any("(2)" in task["title"] or "(2)" in task["file_path"] for task in tasks)
    for task in tasks:
        _url, data = lessons[(task["video_info"]["zl_name"], task["title"])]
        assert sha256_of(Path(task["file_path"])) == sha256_of(data)


def test_a_sheet_typed_as_a_path_imports_into_the_chosen_folder(
    page: Page, served: ServedApp, files: FaultServerThread, tmp_path: Path, out_dir: Path
) -> None:
    """A path the backend can read (the desktop dialog's answer, or typed), flat layout, another folder."""
    data = make_payload(64 << 10, 7)
    files.add_file("/single/intro.mp4", data)
    sheet = tmp_path / "课程清单.csv"
    row = f"1001,Python 专栏,2001,第一课 导论,{files.url('/single/intro.mp4')}"
    sheet.write_text(f"{HEADERS}\n{row}\n", encoding="utf-8-sig")
    elsewhere = tmp_path / "elsewhere"

    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
    panel.get_by_test_id("import-path").fill(str(sheet))
    panel.get_by_test_id("import-preview").click()
    expect(panel.locator("th")).to_have_text(HEADERS.split(","))
    # The headers are recognised: the link column feeds the URL, the course name the title.
    expect(panel.get_by_test_id("import-map-4")).to_have_value("video_url")
    expect(panel.get_by_test_id("import-map-3")).to_have_value("course_name")
    panel.get_by_test_id("import-layout-flat").check()
    panel.get_by_test_id("import-output-dir").fill(str(elsewhere))
    expect(panel.get_by_test_id("import-paths-entry")).to_have_text(["intro.mp4"])
    expect(panel.get_by_test_id("import-paths-summary")).to_contain_text(str(elsewhere))
    panel.get_by_test_id("import-run").click()
    expect(panel.get_by_test_id("import-reconciliation")).to_have_attribute("data-new", "1")

    (task,) = served.invoke("get_download_tasks")
    served.invoke("start_download", taskId=task["id"])
    expect(page.get_by_test_id("filter-count-completed")).to_have_text("1")
    (task,) = served.invoke("get_download_tasks")
    assert Path(task["file_path"]) == elsewhere / "intro.mp4" and not out_dir.joinpath("intro.mp4").exists()
    assert sha256_of(Path(task["file_path"])) == sha256_of(data)


def test_a_sheet_uploaded_or_dropped_on_the_panel_is_previewed(page: Page, served: ServedApp, tmp_path: Path) -> None:
    sheet = "\n".join([HEADERS, "1001,专栏,2001,第一课,https://example.test/1.mp4"]) + "\n"
    page.get_by_test_id("open-import").click()
    panel = page.get_by_test_id("import-panel")
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


def test_links_dropped_on_the_window_become_tasks(page: Page, served: ServedApp) -> None:
    urls = ["http://127.0.0.1:9/a.mp4", "http://127.0.0.1:9/b.mp4"]  # never started: nothing is fetched
    _drop_on_window(page, text="see " + "\n".join(urls))
    expect(page.get_by_test_id("filter-count-all")).to_have_text("2")
    assert sorted(task["url"] for task in served.invoke("get_download_tasks")) == urls
    expect(page.get_by_test_id("drop-overlay")).to_have_count(0)

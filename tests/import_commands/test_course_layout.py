"""The course layout: a GBK sheet of three courses whose lessons share names becomes one folder per course with
`NN 课程名称.<ext>` files in sheet order, never a "(2)"; the path preview shows those paths before the import."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload

HEADER = "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"
COURSES = [("1", "Python入门"), ("2", "数据结构"), ("3", "算法/进阶")]  # a slash in a course name
LESSONS = ["第1课 简介", "第2课 变量", "第3课 循环"]  # the same three names in every course


def _sheet(path: Path, server: FaultServer) -> tuple[Path, dict[str, bytes]]:
    """Three courses × three lessons; each course's third lesson has a URL without an extension (the server's
    Content-Type names it). Returns the sheet and the bytes each URL serves."""
    rows, bodies = [], {}
    for n, (course_id, course) in enumerate(COURSES):
        for m, lesson in enumerate(LESSONS):
            url_path = f"/c{course_id}/lesson0{m + 1}" + ("" if m == 2 else ".mp4")
            data = make_payload(20_000 + 1000 * (3 * n + m), seed=3 * n + m)
            server.add_file(url_path, data, content_type="video/mp4")
            bodies[server.url(url_path)] = data
            rows.append(f"{course_id},{course},{course_id}{m},{lesson},{server.url(url_path)}\n")
    path.write_bytes((HEADER + "".join(rows)).encode("gbk"))
    return path, bodies


def _expected(out: Path) -> list[tuple[str, str]]:
    folders = {"1": "Python入门", "2": "数据结构", "3": "算法_进阶"}
    return [(str(out / folders[cid]), f"0{m + 1} {lesson}") for cid, _ in COURSES for m, lesson in enumerate(LESSONS)]


async def test_three_courses_become_three_folders_of_numbered_lessons(kit: AppKit, server: FaultServer,
                                                                      tmp_path: Path) -> None:
    sheet, bodies = _sheet(tmp_path / "课程表.csv", server)
    out = tmp_path / "保存"

    result = await kit.call("import_and_reconcile", filePath=str(sheet), encoding="GBK", outputDir=str(out),
                            layout="by_course")

    tasks = result["tasks"]
    assert [(t["output_path"], t["engine_options"]["file_stem"]) for t in tasks] == _expected(out)
    assert [t["title"] for t in tasks] == LESSONS * 3  # the lesson's own name: no "(2)" across courses

    await kit.call("start_all_downloads")
    for task in tasks:
        assert (await kit.finish(task["id"])).status == "Completed"

    for task, (folder, stem) in zip(tasks, _expected(out)):
        path = Path(kit.task(task["id"]).file_path)
        assert path == Path(folder) / f"{stem}.mp4"  # the third lesson's extension came from Content-Type
        assert path.read_bytes() == bodies[task["url"]]
    names = sorted(name for _, _, files in os.walk(out) for name in files)
    assert len(names) == 9 and not any("(" in name for name in names)


async def test_the_preview_shows_the_paths_the_import_then_uses(kit: AppKit, server: FaultServer,
                                                               tmp_path: Path) -> None:
    sheet, _ = _sheet(tmp_path / "课程表.csv", server)
    out = tmp_path / "保存"

    preview = await kit.call("preview_import_paths", filePath=str(sheet), outputDir=str(out))

    summary = (preview["layout"], preview["output_dir"], preview["total"], preview["courses"], preview["name_clashes"])
    assert summary == ("by_course", str(out), 9, 3, 0)
    entries = preview["entries"]
    assert [(e["folder"], e["file_name"]) for e in entries] == [
        (folder, f"{stem}.mp4" if n % 3 != 2 else stem) for n, (folder, stem) in enumerate(_expected(out))]
    assert [e["extension_known"] for e in entries] == [True, True, False] * 3
    assert [e["course"] for e in entries[::3]] == [name for _, name in COURSES]
    assert entries[0]["path"] == os.path.join(entries[0]["folder"], entries[0]["file_name"])

    imported = await kit.call("import_and_reconcile", filePath=str(sheet), outputDir=str(out), layout="by_course")
    made = [(t["output_path"], t["engine_options"]["file_stem"]) for t in imported["tasks"]]
    assert made == [(e["folder"], e["file_name"].removesuffix(".mp4")) for e in entries]


async def test_other_layouts_and_the_preview_limit(kit: AppKit, server: FaultServer, tmp_path: Path) -> None:
    sheet, _ = _sheet(tmp_path / "课程表.csv", server)
    out = tmp_path / "out"

    flat = await kit.call("preview_import_paths", filePath=str(sheet), outputDir=str(out), layout="flat", maxRows=2)
    by_column = await kit.call("preview_import_paths", filePath=str(sheet), outputDir=str(out), layout="by_column")

    assert (flat["total"], flat["courses"], len(flat["entries"])) == (9, 1, 2)
    assert [(e["folder"], e["file_name"]) for e in flat["entries"]] == [(str(out), "lesson01.mp4"),
                                                                         (str(out), "lesson02.mp4")]
    assert by_column["courses"] == 3
    # In one folder the three courses' first two lessons share two names (lesson01.mp4, lesson02.mp4): four files
    # would download as `name (n)`, counted over the whole sheet, not only the rows shown. The third lessons' URLs
    # name no file type, so the server names them: not counted.
    assert (flat["name_clashes"], by_column["name_clashes"]) == (4, 0)
    folders = {e["folder"] for e in by_column["entries"]}
    assert folders == {str(out / "Python入门"), str(out / "数据结构"), str(out / "算法_进阶")}
    # a URL without an extension: the title names the file until the server's answer gives the extension
    assert (by_column["entries"][2]["file_name"], by_column["entries"][2]["extension_known"]) == ("第3课 循环", False)


async def test_importing_the_sheet_again_adds_nothing(kit: AppKit, server: FaultServer, tmp_path: Path) -> None:
    sheet, _ = _sheet(tmp_path / "课程表.csv", server)
    common = {"filePath": str(sheet), "outputDir": str(tmp_path / "out"), "layout": "by_course"}

    first = await kit.call("import_and_reconcile", **common)
    again = await kit.call("import_and_reconcile", **common)

    assert len(first["tasks"]) == 9
    assert (again["tasks"], again["reconciliation"]["new"], again["reconciliation"]["already_known"]) == ([], 0, 9)


async def test_new_lessons_among_known_ones_get_their_places_in_the_sheet(kit: AppKit, server: FaultServer,
                                                                         tmp_path: Path) -> None:
    """A sheet imported again with lessons added between known ones: each new lesson is numbered by its row in the
    whole sheet (as if the sheet had been imported at once); the known lessons keep their files."""
    sheet, _ = _sheet(tmp_path / "课程表.csv", server)
    header, *rows = sheet.read_bytes().decode("gbk").splitlines(keepends=True)
    earlier = tmp_path / "上周.csv"
    earlier.write_bytes((header + rows[1] + rows[3] + rows[5] + rows[6]).encode("gbk"))
    common = {"outputDir": str(tmp_path / "保存"), "layout": "by_course"}
    expected = _expected(tmp_path / "保存")

    first = await kit.call("import_and_reconcile", filePath=str(earlier), **common)
    again = await kit.call("import_and_reconcile", filePath=str(sheet), **common)

    def stems(result: dict) -> list[tuple[str, str]]:
        return [(t["output_path"], t["engine_options"]["file_stem"]) for t in result["tasks"]]

    assert stems(first) == [(expected[1][0], "01 第2课 变量"), (expected[3][0], "01 第1课 简介"),
                            (expected[5][0], "02 第3课 循环"), (expected[6][0], "01 第1课 简介")]
    assert stems(again) == [expected[n] for n in (0, 2, 4, 7, 8)]
    assert (again["reconciliation"]["new"], again["reconciliation"]["already_known"]) == (5, 4)

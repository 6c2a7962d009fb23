"""build_tasks: titles, folder layouts, and folder names from hostile sheet text that stay inside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.importers.importer_samples import record
from vdp.contract import VideoInfo
from vdp.engines.naming import name_from_stem
from vdp.importers import Layout, build_tasks, supported_formats
from vdp.importers.reconcile import SheetPlanner
from vdp.intake import task_for_row

ROWS = [
    record("1", "Python入门", "11", "第一课 变量", "https://e.com/1.mp4"),
    record("1", "Python入门", None, None, "https://e.com/2.mp4"),
    record(None, None, None, None, "https://e.com/3.mp4"),
]


def test_titles_fall_back_from_course_to_column_to_a_number(tmp_path):
    tasks = build_tasks(ROWS, output_dir=str(tmp_path))

    assert [task.title for task in tasks] == ["第一课 变量", "Python入门", "Imported Video 3"]
    assert [task.url for task in tasks] == ["https://e.com/1.mp4", "https://e.com/2.mp4", "https://e.com/3.mp4"]
    assert [task.video_info for task in tasks] == ROWS
    assert isinstance(tasks[0].video_info, VideoInfo)


def test_legacy_fields_are_read_when_the_new_ones_are_empty(tmp_path):
    legacy = record(None, None, None, None, "https://e.com/x.mp4").model_copy(
        update={"record_url": None, "course_name": "旧课程"}
    )

    (task,) = build_tasks([legacy], output_dir=str(tmp_path))

    assert (task.title, task.url) == ("旧课程", "https://e.com/x.mp4")


def test_rows_without_a_url_are_left_out(tmp_path):
    no_url = record("1", "A", None, "B", "https://e.com/1.mp4").model_copy(update={"record_url": None, "url": None})

    tasks = build_tasks([no_url, ROWS[0]], output_dir=str(tmp_path))

    assert [(task.title, task.url) for task in tasks] == [("第一课 变量", "https://e.com/1.mp4")]


@pytest.mark.parametrize(
    ("layout", "folders", "stems"),
    [
        (Layout.FLAT, ["", "", ""], [None, None, None]),
        ("by_column", ["Python入门", "Python入门", ""], [None, None, None]),
        # one folder per course; the lessons numbered in sheet order within it (the row without a course is alone)
        ("by_course", ["Python入门", "Python入门", ""], ["01 第一课 变量", "02 Python入门", "01 Imported Video 3"]),
    ],
)
def test_layouts(tmp_path, layout, folders, stems):
    tasks = build_tasks(ROWS, output_dir=str(tmp_path), layout=layout)

    expected = [os.path.join(str(tmp_path), f) if f else str(tmp_path) for f in folders]
    assert [task.output_path for task in tasks] == expected
    assert [task.file_stem for task in tasks] == stems


def test_course_numbers_follow_the_sheet_and_are_padded_to_the_course_width(tmp_path):
    big = [record("1", "大课", str(n), f"第{n}课", f"https://e.com/big/{n}.mp4") for n in range(1, 101)]
    small = [record("2", "小课", "1", "唯一", "https://e.com/small/1.mp4")]
    rows = big[:50] + small + big[50:]

    tasks = build_tasks(rows, output_dir=str(tmp_path), layout=Layout.BY_COURSE)

    stems = [task.file_stem for task in tasks]
    assert stems[0] == "001 第1课" and stems[49] == "050 第50课" and stems[51] == "051 第51课"
    assert stems[-1] == "100 第100课"
    assert stems[50] == "01 唯一"  # its own course, its own width (at least two digits)
    assert len(set(stems)) == len(stems)


def test_two_courses_with_one_name_share_a_folder_and_its_numbering(tmp_path):
    rows = [record("1", "同名", "1", "第1课", "https://e.com/a/1.mp4"),
            record("2", "同名", "1", "第1课", "https://e.com/b/1.mp4")]

    tasks = build_tasks(rows, output_dir=str(tmp_path), layout=Layout.BY_COURSE)

    assert [task.file_stem for task in tasks] == ["01 第1课", "02 第1课"]


@pytest.mark.parametrize(("titles", "stems"), [
    (["01 基础", "2. 进阶", "3、实战"], ["01 基础", "02 进阶", "03 实战"]),  # their own numbers, carried once
    (["05 复习", "2024 回顾", "3D 建模"], ["01 05 复习", "02 2024 回顾", "03 3D 建模"]),  # other numbers stay
    # numbers that are not the lesson's place: a section, a range, an amount, a file name
    (["1.1 简介", "2-3 进阶", "3.5小时入门", "4,000 单词", "05.mp4"],
     ["01 1.1 简介", "02 2-3 进阶", "03 3.5小时入门", "04 4,000 单词", "05 05.mp4"]),
])
def test_a_lesson_numbered_in_its_title_is_not_numbered_twice(tmp_path, titles, stems):
    rows = [record("1", "课", str(n), title, f"https://e.com/{n}.mp4") for n, title in enumerate(titles, start=1)]

    tasks = build_tasks(rows, output_dir=str(tmp_path), layout=Layout.BY_COURSE)

    assert [task.file_stem for task in tasks] == stems


def test_an_unknown_layout_is_refused(tmp_path):
    with pytest.raises(ValueError):
        build_tasks(ROWS, output_dir=str(tmp_path), layout="by_mood")


HOSTILE_NAMES = [
    "..",
    "../../etc",
    "..\\..\\Windows\\System32",
    "/absolute/path",
    "C:\\Users",
    "a/b\\c",
    "CON",
    "com1.txt",
    "lpt9 ",
    "nul.tar.gz",
    "trailing dots...",
    "  spaced  ",
    "bell\x07and\x00nul",
    "\u202egnp.exe",  # right-to-left override
    'quote"star*pipe|<less>?colon:',
    "中" * 300,
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_folder_names_from_the_sheet_never_escape_the_output_folder(tmp_path, name):
    output_dir = tmp_path / "out"
    row = record("1", name, "2", name, "https://e.com/1.mp4")

    (task,) = build_tasks([row], output_dir=str(output_dir), layout=Layout.BY_COURSE)

    relative = os.path.relpath(task.output_path, output_dir)
    parts = [] if relative == "." else relative.split(os.sep)
    assert len(parts) in (0, 1)
    # the file name the engines make of the stem (the extension comes from the URL or the server)
    parts.append(name_from_stem(task.file_stem, ".mp4"))
    for part in parts:
        assert part not in ("", ".", "..")
        assert not set(part) & set('<>:"/\\|?*')
        assert part.isprintable() and "\u202e" not in part
        assert part == part.strip(". ")
        assert part.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT9")
        assert len(part.encode()) <= 200
    os.makedirs(task.output_path)  # a real folder, and it is inside the output folder
    assert os.path.realpath(task.output_path).startswith(os.path.realpath(output_dir))
    (Path(task.output_path) / parts[-1]).write_bytes(b"")  # and a real file in it


def test_sanitised_names_keep_what_they_can(tmp_path):
    rows = [record("1", "../专栏: 第一期", "2", "CON", "https://e.com/1.mp4")]

    (task,) = build_tasks(rows, output_dir=str(tmp_path), layout=Layout.BY_COURSE)

    assert task.output_path == os.path.join(str(tmp_path), "_专栏_ 第一期")
    assert name_from_stem(task.file_stem, ".mp4") == "01 CON.mp4"  # reserved only as a whole name


def test_a_row_repeats_another_by_column_id_and_url_or_by_url_and_folder(tmp_path):
    """The planner's two keys: (column id, URL) wherever the file goes, and (URL, folder) without a column id."""
    rows = [
        record("1", "Python入门", None, "a", "https://e.com/1.mp4"),
        record("1", "改名的专栏", None, "b", "https://e.com/1.mp4"),  # same column id and URL, another folder
        record(None, "Python入门", None, "c", "https://e.com/1.mp4"),  # no column id, same URL and folder
        record(None, "别处", None, "d", "https://e.com/1.mp4"),  # no column id, same URL, another folder: new
        record("2", "Python入门", None, "e", "https://e.com/1.mp4"),  # another column id, but the same URL and folder
    ]
    planner = SheetPlanner([])
    for row in build_tasks(rows, output_dir=str(tmp_path), layout=Layout.BY_COLUMN):
        planner.offer(row)

    plan = planner.finish(task_for_row)

    assert [task.title for task in plan.new] == ["a", "d"]
    assert (plan.duplicate_rows, plan.known) == (3, [])


def test_supported_formats_are_the_originals():
    formats = supported_formats()

    assert [(f.name, f.extensions, f.supports_multiple_sheets) for f in formats.formats] == [
        ("CSV", ["csv", "tsv", "txt"], False),
        ("Excel", ["xlsx", "xls", "ods"], True),
    ]
    assert formats.encodings == ["UTF-8", "GBK", "GB18030", "Big5", "Shift-JIS", "UTF-16LE", "UTF-16BE"]

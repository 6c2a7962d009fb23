"""What each imported row becomes as a download: its title, its folder under the output folder, its URL, and (in the
course layout) the name its file gets: `NN 课程名称`, numbered in sheet order within its course folder."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Optional, Sequence

from ..contract import ImportedData, VideoInfo
from ._paths import folder_name


class Layout(str, Enum):
    FLAT = "flat"
    """Every file straight in the output folder, named by the server or the URL (the original's naming)."""
    BY_COLUMN = "by_column"
    """output/<专栏名称>/, files named by the server or the URL."""
    BY_COURSE = "by_course"
    """output/<专栏名称>/<NN 课程名称>.<ext>: one folder per course, its lessons numbered in sheet order (the UI's
    default). The extension still comes from the response or the URL; the engines add it to `file_stem`."""


@dataclass(frozen=True, slots=True)
class ImportTask:
    title: str
    output_path: str
    """The folder the file goes to (the file name comes from the URL, as in the original)."""
    url: str
    video_info: VideoInfo
    file_stem: Optional[str] = None
    """The file's name without its extension (`NN 课程名称`), or None to let the server or the URL name it."""


def build_tasks(rows: Sequence[ImportedData], *, output_dir: str,
                layout: Layout | str = Layout.FLAT) -> list[ImportTask]:
    """One task per row with a URL. Title: course name, then column name, else `Imported Video {n}` (n counts
    rows from 1). A folder name that sanitises to nothing puts the file one level up instead."""
    make = TaskMaker(output_dir=output_dir, layout=layout)
    tasks = [task for task in map(make, rows) if task is not None]
    if make.layout is not Layout.BY_COURSE:
        return tasks
    numbers = CourseNumbers()
    counted = [numbers.count(task) for task in tasks]
    return [numbers.numbered(task, number) for task, number in zip(tasks, counted)]


class TaskMaker:
    """`build_tasks` one row at a time, without the course numbering (`CourseNumbers`, which needs the whole sheet):
    a re-import decides about each row as it is read, and keeps only the new ones."""

    def __init__(self, *, output_dir: str, layout: Layout | str = Layout.FLAT) -> None:
        self.layout = Layout(layout)
        self._output_dir = output_dir
        self._folders: dict[str, str] = {}
        self._rows = 0

    def __call__(self, row: ImportedData) -> Optional[ImportTask]:
        self._rows += 1
        url = row.record_url or row.url
        if not url:
            return None
        names = (row.kc_name, row.course_name, row.zl_name, row.name)
        title = next((name.strip() for name in names if name and name.strip()), f"Imported Video {self._rows}")
        # an ImportedData is a VideoInfo; sharing it halves the memory of a big import
        folder = _folder(row, self._output_dir, self.layout, self._folders)
        return ImportTask(title=title, output_path=folder, url=url, video_info=row)


class CourseNumbers:
    """`NN title` per folder, in sheet order. Numbering per folder (not per column id) means two columns that share
    a name, and so a folder, still never produce the same file name. Every row of the sheet is counted (`count`,
    in sheet order), known or new, so a row's number never depends on which rows the task list already holds; the
    width (at least two digits) comes from the folder's final count, so a stem is made once the sheet is read."""

    def __init__(self) -> None:
        self._sizes: Counter[str] = Counter()

    def count(self, task: ImportTask) -> int:
        """The task's number in its folder."""
        folder = os.path.normpath(task.output_path)
        self._sizes[folder] += 1
        return self._sizes[folder]

    def numbered(self, task: ImportTask, number: int) -> ImportTask:
        width = max(2, len(str(self._sizes[os.path.normpath(task.output_path)])))
        return ImportTask(task.title, task.output_path, task.url, task.video_info,
                          file_stem=f"{number:0{width}d} {_without_number(task.title, number)}")


# A lesson title that starts with a number of its own: the number, then a separator (or a space), then the name, which
# starts with no digit ("1.2 安装", "1-2 进阶", "3.5小时", "1,000 单词" are not numbered so) and is more than an
# extension ("01.mp4").
_OWN_NUMBER = re.compile(r"\s*(\d+)(?:\s*[.、,，:：)）_-]\s*|\s+)(?!\d)(?![A-Za-z0-9]{1,4}$)(\S.*)", re.DOTALL)


def _without_number(title: str, number: int) -> str:
    """The title without the number it starts with when that is the lesson's own place in the sheet ("01 基础",
    "1. 基础" as lesson 1), which its file name then carries once ("01 基础"), not twice ("01 01 基础"). Any other
    number stays: it says something the sheet order does not ("05 复习" as lesson 1, "2024 回顾", "3D 建模")."""
    own = _OWN_NUMBER.fullmatch(title)
    return own.group(2) if own and int(own.group(1)) == number else title


def _folder(row: ImportedData, output_dir: str, layout: Layout, folders: dict[str, str]) -> str:
    """`folders`: the path of each column's folder, made once (a string per row came to some 20 MB at 200,000)."""
    if layout is Layout.FLAT:
        return output_dir
    column = folder_name(row.zl_name or row.name)
    if not column:
        return output_dir
    path = folders.get(column)
    if path is None:
        path = folders[column] = os.path.join(output_dir, column)
    return path

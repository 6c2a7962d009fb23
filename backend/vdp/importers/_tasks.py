"""What each imported row becomes as a download: its title, its folder under the output folder, its URL, and (in the
course layout) the name its file gets: `NN 课程名称`, numbered in sheet order within its course folder."""

from __future__ import annotations

import os
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

    @property
    def business_key(self) -> Optional[tuple[str, str]]:
        """(column id, URL): the same video of the same column, wherever it was saved. None without a column id."""
        return (self.video_info.zl_id, self.url) if self.video_info.zl_id else None

    @property
    def path_key(self) -> tuple[str, str]:
        """(URL, folder): the same download to the same place."""
        return (self.url, self.output_path)


def build_tasks(rows: Sequence[ImportedData], *, output_dir: str,
                layout: Layout | str = Layout.FLAT) -> list[ImportTask]:
    """One task per row with a URL. Title: course name, then column name, else `Imported Video {n}` (n counts
    rows from 1). A folder name that sanitises to nothing puts the file one level up instead."""
    layout = Layout(layout)
    tasks = []
    for n, row in enumerate(rows, start=1):
        url = row.record_url or row.url
        if not url:
            continue
        names = (row.kc_name, row.course_name, row.zl_name, row.name)
        title = next((name.strip() for name in names if name and name.strip()), f"Imported Video {n}")
        tasks.append(
            ImportTask(
                title=title,
                output_path=_folder(row, output_dir, layout),
                url=url,
                video_info=row,  # an ImportedData is a VideoInfo; sharing it halves the memory of a big import
            )
        )
    return _numbered(tasks) if layout is Layout.BY_COURSE else tasks


def _numbered(tasks: list[ImportTask]) -> list[ImportTask]:
    """`NN title` per folder, in sheet order. Numbering per folder (not per column id) means two columns that share
    a name, and so a folder, still never produce the same file name."""
    sizes = Counter(os.path.normpath(task.output_path) for task in tasks)
    seen: Counter[str] = Counter()
    numbered = []
    for task in tasks:
        folder = os.path.normpath(task.output_path)
        seen[folder] += 1
        width = max(2, len(str(sizes[folder])))
        numbered.append(ImportTask(task.title, task.output_path, task.url, task.video_info,
                                   file_stem=f"{seen[folder]:0{width}d} {task.title}"))
    return numbered


def _folder(row: ImportedData, output_dir: str, layout: Layout) -> str:
    if layout is Layout.FLAT:
        return output_dir
    column = folder_name(row.zl_name or row.name)
    return os.path.join(output_dir, column) if column else output_dir

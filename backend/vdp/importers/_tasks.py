"""What each imported row becomes as a download: its title, its folder under the output folder, and its URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from typing import Optional, Sequence

from ..contract import ImportedData, VideoInfo
from ._paths import folder_name


class Layout(str, Enum):
    FLAT = "flat"
    """Every file straight in the output folder."""
    BY_COLUMN = "by_column"
    """output/<column name>/"""
    BY_COURSE = "by_course"
    """output/<column name>/<course name>/"""


@dataclass(frozen=True, slots=True)
class ImportTask:
    title: str
    output_path: str
    """The folder the file goes to (the file name comes from the URL, as in the original)."""
    url: str
    video_info: VideoInfo

    @property
    def business_key(self) -> Optional[tuple[str, str]]:
        """(column id, URL): the same video of the same column, wherever it was saved. None without a column id."""
        return (self.video_info.zl_id, self.url) if self.video_info.zl_id else None

    @property
    def path_key(self) -> tuple[str, str]:
        """(URL, folder): the same download to the same place."""
        return (self.url, self.output_path)


def build_tasks(rows: Sequence[ImportedData], *, output_dir: str, layout: Layout | str = Layout.FLAT) -> list[ImportTask]:
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
    return tasks


def _folder(row: ImportedData, output_dir: str, layout: Layout) -> str:
    if layout is Layout.FLAT:
        return output_dir
    parts = [folder_name(row.zl_name or row.name)]
    if layout is Layout.BY_COURSE:
        parts.append(folder_name(row.kc_name or row.course_name))
    return os.path.join(output_dir, *(part for part in parts if part))

"""Where each row of a sheet would be saved, before anything is imported: the path preview of the import panel.

The folder is exact; the file name is exact when the URL carries an extension. Otherwise only the server's answer
(Content-Disposition, Content-Type) can name it, so the entry says the extension is not known yet."""

from __future__ import annotations

import os
from typing import Sequence

from ..contract import DownloaderType
from ..contract.workspace import ImportLayout, ImportPathEntry, ImportPathPreview
from ..engines.naming import file_extension, filename_from_url, name_from_stem, sanitize_filename
from ..engines.routing import route_by_url
from ..errors import VdpError
from ._tasks import ImportTask


def preview_paths(tasks: Sequence[ImportTask], *, output_dir: str, layout: ImportLayout,
                  limit: int) -> ImportPathPreview:
    """`tasks` from `build_tasks(..., output_dir=output_dir)` with an absolute `output_dir`; `limit` 0 lists all."""
    shown = tasks if limit == 0 else tasks[:limit]
    return ImportPathPreview(
        layout=layout, output_dir=output_dir, total=len(tasks),
        courses=len({os.path.normpath(task.output_path) for task in tasks}),
        name_clashes=_name_clashes(tasks),
        entries=[_entry(n, task, *_file_name(task)) for n, task in enumerate(shown, start=1)],
    )


def _name_clashes(tasks: Sequence[ImportTask]) -> int:
    """Rows whose file would take the path an earlier row's file takes, and so download as `name (1).ext`. Only direct
    file links count: their name comes from the URL, and a site's files often share one (`index.mp4`). A numbered
    lesson is unique in its folder, and an HLS or video-site download is named by its title. Paths are told apart
    as the file system does (case-blind on Windows)."""
    paths = [os.path.normcase(os.path.join(task.output_path, _file_name(task)[0])) for task in tasks
             if not task.file_stem and _direct_file(task.url)]
    return len(paths) - len(set(paths))


def _direct_file(url: str) -> bool:
    try:
        decision = route_by_url(url)
    except VdpError:
        return False
    return decision is not None and decision.downloader_type is DownloaderType.HTTP


def _file_name(task: ImportTask) -> tuple[str, bool]:
    """The file's name, and whether its extension is known before the server answers."""
    extension = file_extension(url=task.url)
    if task.file_stem:
        return name_from_stem(task.file_stem, extension), bool(extension)
    # as the HTTP engine names it when the server sends no Content-Disposition
    from_url = filename_from_url(task.url)
    return sanitize_filename(from_url if extension and from_url else task.title), bool(extension)


def _entry(row: int, task: ImportTask, name: str, extension_known: bool) -> ImportPathEntry:
    info = task.video_info
    course = (info.zl_name or info.name or "").strip() or None
    return ImportPathEntry(row=row, course=course, title=task.title, folder=task.output_path, file_name=name,
                           path=os.path.join(task.output_path, name), extension_known=extension_known, url=task.url)

"""Which paths the system opener may be handed: the app's own downloads and the download folders, nothing else.

`open_path` launches the program the desktop associates with a file, so a path from the caller (`/bin/sh`, a
`.desktop` file, a script) could run anything. Only files a completed download produced (recorded by the runtime,
`runtime/files.py`) may be opened, and not those whose type would run a program; folders may be opened or shown
when they are a download folder: the configured one, a task's, or one holding a downloaded file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ErrorCode, ErrorKind, VdpError
from ..runtime.files import owned_files
from .context import AppContext

# Types a desktop runs instead of opening: launchers, scripts, executables, shortcuts.
RUNNABLE_SUFFIXES = frozenset({
    ".desktop", ".sh", ".bash", ".command", ".app", ".exe", ".com", ".bat", ".cmd", ".msi", ".ps1", ".scr",
    ".vbs", ".vbe", ".js", ".jse", ".wsf", ".hta", ".jar", ".lnk", ".url", ".pif", ".cpl", ".reg", ".appimage",
})


def normalised(text: str) -> Path:
    if "\x00" in text:
        raise _refused("Invalid path: it contains a NUL character")
    return Path(os.path.normpath(os.path.abspath(os.path.expanduser(text))))


def _download_folders(app: AppContext, files: set[Path]) -> set[Path]:
    folders = {normalised(app.config.download.output_directory)}
    folders.update(normalised(task.output_path) for task in app.runtime.tasks() if task.output_path)
    folders.update(path.parent for path in files)
    return folders


def _owned(app: AppContext) -> set[Path]:
    return {normalised(str(path)) for path in owned_files(app.runtime.tasks())}


def file_to_open(app: AppContext, text: str) -> Path:
    """A downloaded file to open with its program, or a download folder to open; refused otherwise."""
    target = normalised(text)
    files = _owned(app)
    if target in files:
        info = _lstat(target, text)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(f"Not the downloaded file any more: {text}")
        if target.suffix.lower() in RUNNABLE_SUFFIXES or info.st_mode & 0o111:
            raise _refused(f"{target.name} could run a program; use Show file to see it in its folder")
        return target
    if target in _download_folders(app, files):
        if not stat.S_ISDIR(_lstat(target, text).st_mode):
            raise _refused(f"Not a folder: {text}")
        return target
    raise _refused(f"Only downloaded files and download folders can be opened: {text}")


def path_to_reveal(app: AppContext, text: str) -> Path:
    """A downloaded file or a download folder, to show in the file manager."""
    target = normalised(text)
    files = _owned(app)
    if target in files or target in _download_folders(app, files):
        _lstat(target, text)
        return target
    raise _refused(f"Only downloaded files and download folders can be shown: {text}")


def _lstat(target: Path, text: str) -> os.stat_result:
    try:
        return os.lstat(target)
    except OSError:
        raise VdpError(ErrorCode.FILE_NOT_FOUND, f"File does not exist: {text}", kind=ErrorKind.SYSTEM) from None


def _refused(message: str) -> VdpError:
    return VdpError(ErrorCode.INVALID_ARGUMENT, message, kind=ErrorKind.SYSTEM)

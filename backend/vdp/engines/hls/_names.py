"""File names: a task title made safe for every OS, the work folder's name, and `name (1).ext` on collision."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from posixpath import basename
from urllib.parse import unquote, urlsplit

from ...contract import ErrorCode
from ...errors import VdpError
from ..portable_io import BINARY

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_PLAYLIST_SUFFIX = re.compile(r"\.m3u8?$", re.IGNORECASE)
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_MAX_STEM_BYTES = 150  # leaves room for " (123).audio.mp4" and the work folder's decorations under 255
_MAX_COPIES = 10_000


def safe_stem(title: str, url: str) -> str:
    """The file name (without extension) for a task: its title, else the URL's file name, never `.m3u8`."""
    return _clean(title) or _clean(unquote(basename(urlsplit(url).path))) or "video"


def work_dir_name(stem: str, task_id: str) -> str:
    # The task id keeps two tasks with the same title in one folder apart.
    return f".{stem}.{hashlib.sha1(task_id.encode()).hexdigest()[:8]}.hls"


def is_work_dir_name(name: str) -> bool:
    # One component, so it can never point outside the output folder.
    return name.startswith(".") and name.endswith(".hls") and "/" not in name and "\\" not in name


def reserve_unique(folder: Path, stem: str, extension: str) -> Path:
    """Create an empty `stem.ext` (or `stem (n).ext`) that did not exist, atomically, and return its path."""
    for copy in range(_MAX_COPIES):
        candidate = folder / (f"{stem}{extension}" if copy == 0 else f"{stem} ({copy}){extension}")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY | BINARY, 0o644))
        except FileExistsError:
            continue
        return candidate
    raise VdpError(ErrorCode.IO_ERROR, f"{_MAX_COPIES} files named {stem}{extension} already exist in {folder}")


def _clean(name: str) -> str:
    name = _PLAYLIST_SUFFIX.sub("", _SPACES.sub(" ", _UNSAFE.sub("_", name))).strip(" .")
    if name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    encoded = name.encode("utf-8")[:_MAX_STEM_BYTES]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .")

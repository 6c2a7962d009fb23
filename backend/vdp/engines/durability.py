"""Making bytes and renames durable: the fsync calls every engine makes before it claims anything."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable


def fsync_files(paths: Iterable[Path]) -> None:
    """Flush each file's data to disk (a read-only descriptor is enough on POSIX)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make the renames into `folder` durable (POSIX only: Windows cannot open a folder to fsync it)."""
    if os.name != "posix":
        return
    fsync_files([folder])

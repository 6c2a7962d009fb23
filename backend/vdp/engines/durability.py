"""Making bytes and renames durable: the fsync calls every engine makes before it claims anything."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
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


@dataclass
class _FolderSync:
    done: threading.Condition
    requested: int = 0  # callers so far
    covered: int = 0  # callers whose renames a finished fsync made durable
    running: bool = False


_lock = threading.Lock()
_folders: dict[Path, _FolderSync] = {}


def fsync_folder(folder: Path) -> None:
    """Make the renames into `folder` durable (POSIX only: Windows cannot open a folder to fsync it).

    Group commit: an fsync covers every rename made before it began, so callers that arrive while one runs wait
    for the next one, which a single caller runs for all of them (a batch of small downloads finishing together
    pays one journal commit, not one each). Blocks; call it from a worker thread."""
    if os.name != "posix":
        return
    with _lock:
        state = _folders.setdefault(folder, _FolderSync(threading.Condition(_lock)))
        state.requested += 1
        ticket = state.requested
        while state.covered < ticket:
            if state.running:
                state.done.wait()
                continue
            state.running, covers = True, state.requested
            _lock.release()
            try:
                fsync_files([folder])
            finally:
                _lock.acquire()
                state.running = False
                state.done.notify_all()  # on failure a waiter runs its own fsync
            state.covered = covers
        if not state.running and state.covered == state.requested:
            _folders.pop(folder, None)

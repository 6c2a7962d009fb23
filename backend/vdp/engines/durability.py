"""Making bytes and renames durable: the fsync calls every engine makes before it claims anything."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Optional

from .portable_io import BINARY

_SYNC_FILE_RANGE_WRITE = 2


# A read-only descriptor is enough to fsync on POSIX (and a folder can only be opened so); Windows flushes a file
# only through a descriptor that may write to it.
_SYNC_FLAGS = os.O_RDWR | BINARY if os.name == "nt" else os.O_RDONLY


def fsync_files(paths: Iterable[Path]) -> None:
    """Flush each file's data to disk."""
    for path in paths:
        fd = os.open(path, _SYNC_FLAGS)
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


_writeback: Optional[ThreadPoolExecutor] = None


def start_writeback(fd: int) -> Optional[Future[None]]:
    """Ask the kernel to start writing the file's dirty pages now, without waiting for them (Linux
    `sync_file_range(SYNC_FILE_RANGE_WRITE)`; nothing elsewhere). A hint, not a promise: only fsync makes bytes
    durable. Left to the kernel, a large download is written out by its final fsync, after its last byte arrived;
    started while bytes still arrive, the disk works alongside the network. The call blocks while the disk's queue
    is full, so it runs on one thread of its own (never holding up a checkpoint's fsync), on a duplicate of `fd`
    that the caller may close meanwhile. Never raises: a hint that cannot be given is skipped (None)."""
    global _writeback
    if _sync_file_range() is None:
        return None
    try:
        duplicate = os.dup(fd)
    except OSError:
        return None
    try:
        if _writeback is None:
            _writeback = ThreadPoolExecutor(max_workers=1, thread_name_prefix="writeback")
        return _writeback.submit(_write_back, duplicate)
    except RuntimeError:  # the interpreter is shutting down
        os.close(duplicate)
        return None


def _write_back(fd: int) -> None:
    try:
        call = _sync_file_range()
        assert call is not None
        if call(fd, 0, 0, _SYNC_FILE_RANGE_WRITE) != 0:  # 0, 0: the whole file
            import ctypes

            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error))
    finally:
        os.close(fd)


@cache
def _sync_file_range() -> Optional[Callable[[int, int, int, int], int]]:
    if sys.platform != "linux":
        return None
    import ctypes  # only here: ≈ 5 ms of start-up that most runs never need

    try:
        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_uint]
    return call

"""One running app per data folder.

Two processes on one task list would each take the other's running downloads for interrupted ones, and fetch them
again into the same partial files. So the first to start holds an exclusive lock on `<data folder>/app.lock` for as
long as it runs, and a second start on the same folder is refused, naming the process that holds it. The system
drops the lock when the process ends, however it ends: a crash leaves no stale lock to clear by hand.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

from ..contract.errors import ErrorCode
from ..engines.portable_io import BINARY, pread, pwrite
from .faults import StorageUnavailable

LOCK_FILE = "app.lock"
# The lock covers the file's first byte only; the holder's process id follows it, where others may read it (Windows
# locks are mandatory: a locked byte cannot be read either).
_PID_AT = 1


class InstanceLock:
    """Held from `acquire` until `release` (or the process's end)."""

    def __init__(self, fd: int) -> None:
        self._fd: Optional[int] = fd

    @classmethod
    def acquire(cls, folder: Path) -> "InstanceLock":
        """The data folder's lock, or StorageUnavailable (DATABASE_LOCKED) while another process holds it."""
        path = folder / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | BINARY, 0o644)
        except OSError as exc:
            raise StorageUnavailable(ErrorCode.DATABASE_READ_ONLY, (
                f"The data folder {folder} cannot be used ({exc.strerror or exc}). Make it writable or choose "
                "another one with --data-dir or VDP_DATA_DIR. Nothing in it was changed.")) from None
        try:
            _lock(fd)
        except OSError:
            holder = pread(fd, 32, _PID_AT).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StorageUnavailable(ErrorCode.DATABASE_LOCKED, (
                f"Video Downloader Pro is already running with the data folder {folder} (process {holder}). "
                "Use that window, or close it (or the command using this folder) and start again; or choose "
                "another folder with --data-dir or VDP_DATA_DIR. Nothing was changed.")) from None
        try:
            pid = f"{os.getpid()}\n".encode()
            os.ftruncate(fd, _PID_AT + len(pid))
            pwrite(fd, pid, _PID_AT)
        except OSError:
            pass  # the lock is what counts; its holder's id is only for the message
        return cls(fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the lock


def _lock(fd: int) -> None:
    """An exclusive lock on the file's first byte without waiting; OSError if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

"""One running app per data folder.

Two processes on one task list would each take the other's running downloads for interrupted ones, and fetch them
again into the same partial files. So the first to start holds an exclusive lock on `<data folder>/app.lock` for as
long as it runs, and a second start on the same folder is refused, naming the process that holds it. The system
drops the lock when the process ends, however it ends: a crash leaves no stale lock to clear by hand (on a network
share the server may hold it a while longer). Where the file system cannot lock at all, the app starts unguarded and
logs a warning.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path
from typing import Optional

from ..contract.errors import ErrorCode
from ..engines.portable_io import BINARY, pread, pwrite
from .faults import StorageUnavailable

log = logging.getLogger(__name__)

LOCK_FILE = "app.lock"
# What a lock held by another process answers (flock: EWOULDBLOCK; msvcrt: EACCES, or EDEADLOCK once it gave up).
_HELD = frozenset({errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)})
# The lock covers the file's first byte only; the holder's process id follows it, where others may read it (Windows
# locks are mandatory: a locked byte cannot be read either).
_PID_AT = 1


class AlreadyRunning(StorageUnavailable):
    """Another process holds the folder; `knock_port`: where it takes a request to show its window, if it said."""

    def __init__(self, message: str, knock_port: Optional[int]) -> None:
        super().__init__(ErrorCode.DATABASE_LOCKED, message)
        self.knock_port = knock_port


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
        except OSError as exc:
            if exc.errno not in _HELD:
                # A file system that cannot lock (NFS without its lock service, some SMB and FUSE mounts): refusing
                # every start there would lock the user out for good. The app starts, unguarded, and says so.
                log.warning("the data folder %s cannot be locked (%s): nothing keeps a second app off it", folder, exc)
                return cls(fd)
            pid, _, port = pread(fd, 64, _PID_AT).decode("ascii", "replace").strip().partition(" ")
            os.close(fd)
            raise AlreadyRunning((
                f"Video Downloader Pro is already running with the data folder {folder} (process {pid or 'unknown'}). "
                "Use that window, or close it (or the command using this folder) and start again; or choose "
                "another folder with --data-dir or VDP_DATA_DIR. Nothing was changed."),
                int(port) if port.isdigit() else None) from None
        lock = cls(fd)
        lock._note(str(os.getpid()))
        return lock

    def advertise(self, knock_port: int) -> None:
        """Tell a second start where this app takes a request to show its window (desktop/second_start.py)."""
        self._note(f"{os.getpid()} {knock_port}")

    def _note(self, holder: str) -> None:
        """The holder's process id (and knock port) after the locked byte, for a refused start to read."""
        if self._fd is None:
            return
        try:
            line = f"{holder}\n".encode()
            os.ftruncate(self._fd, _PID_AT + len(line))
            pwrite(self._fd, line, _PID_AT)
        except OSError:
            pass  # the lock is what counts; what follows it only helps a refused start

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)  # at once: Windows drops a lock some time after the close only
        except OSError:
            pass  # never locked (a file system without locks), or the close below drops it
        finally:
            os.close(fd)


def _lock(fd: int) -> None:
    """An exclusive lock on the file's first byte without waiting; OSError (errno in _HELD) if another process holds
    it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)

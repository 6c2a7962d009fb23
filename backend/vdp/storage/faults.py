"""What went wrong with the task database, decided from SQLite's own error codes, never from a guess.

Only `CORRUPT` (SQLite says the file is malformed or not a database) ever leads to moving a file aside; every other
fault leaves the file exactly as it was and refuses the start with a message that says what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from enum import Enum
from pathlib import Path
from typing import Optional

from ..contract.errors import ErrorCode
from ..errors import VdpError

# Primary result codes (https://sqlite.org/rescode.html); extended codes carry these in their low byte.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
_LOW_SPACE = 1 << 20


class Fault(Enum):
    CORRUPT = "corrupt"
    LOCKED = "locked"
    FULL = "full"
    READ_ONLY = "read_only"
    UNAVAILABLE = "unavailable"


class StorageUnavailable(VdpError):
    """The task database cannot be used, and was left untouched. `code` is stable; the text says what to do."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(code, message)


class MalformedDatabase(sqlite3.DatabaseError):
    """`PRAGMA quick_check` found damage: SQLite itself says the file is malformed."""


_STORAGE_CODES = frozenset({_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR,
                            _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB})


def is_storage_fault(exc: BaseException) -> bool:
    """A failure of the file or its disk, as opposed to one of the statement (a constraint, a misuse)."""
    if isinstance(exc, (OSError, MalformedDatabase)):
        return True
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _STORAGE_CODES


def classify(exc: BaseException, path: Path) -> Fault:
    if isinstance(exc, MalformedDatabase):
        return Fault.CORRUPT
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return Fault.CORRUPT
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return Fault.LOCKED
    if primary == _SQLITE_FULL or (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)):
        return Fault.FULL
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or (
            isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)):
        return Fault.READ_ONLY
    # "unable to open" and I/O errors: the folder's state says more than SQLite's code does.
    if not _writable(path.parent):
        return Fault.READ_ONLY
    free = _free_bytes(path.parent)
    if free is not None and free < _LOW_SPACE:
        return Fault.FULL
    return Fault.UNAVAILABLE


def refusal(fault: Fault, exc: BaseException, path: Path) -> StorageUnavailable:
    """The start-up error for a fault that must not touch the file."""
    detail = str(exc) or type(exc).__name__
    if fault is Fault.LOCKED:
        return StorageUnavailable(ErrorCode.DATABASE_LOCKED, (
            f"The task list {path} is locked by another process ({detail}). Close the other "
            "Video Downloader Pro window or command using this data folder, then start again. "
            "The file was not changed."))
    if fault is Fault.FULL:
        return StorageUnavailable(ErrorCode.DISK_FULL, (
            f"The disk holding {path.parent} is full ({detail}). Free some space, then start again. "
            f"The task list was not changed."))
    if fault is Fault.READ_ONLY:
        return StorageUnavailable(ErrorCode.DATABASE_READ_ONLY, (
            f"The data folder {path.parent} cannot be written ({detail}). Make it writable or choose "
            f"another one with --data-dir or VDP_DATA_DIR. The task list was not changed."))
    return StorageUnavailable(ErrorCode.DATABASE_UNAVAILABLE, (
        f"The task list {path} cannot be opened ({detail}). Check the disk and the folder's "
        f"permissions, then start again. The file was not changed."))


def create_data_dir(folder: Path) -> None:
    """Make the data folder (and its parents), or refuse the start saying why."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(ErrorCode.DATABASE_READ_ONLY, (
            f"The data folder {folder} cannot be created ({exc.strerror or exc}). Choose another one with "
            f"--data-dir or VDP_DATA_DIR.")) from None


def require_writable_data_dir(folder: Path) -> None:
    """Refuse a start in a data folder the app cannot write, before anything tries to (settings, task list)."""
    if not _writable(folder):
        raise StorageUnavailable(ErrorCode.DATABASE_READ_ONLY, (
            f"The data folder {folder} cannot be written. Make it writable or choose another one with "
            f"--data-dir or VDP_DATA_DIR. Nothing in it was changed."))


def _writable(folder: Path) -> bool:
    # access() sees a read-only mount (EROFS) even as root; a probe file sees permissions root ignores too.
    if not os.access(folder, os.W_OK):
        return False
    try:
        probe = folder / f".vdp-write-probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def _free_bytes(folder: Path) -> Optional[int]:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None

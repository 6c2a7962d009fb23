"""The file calls the engines make at an offset, the same on every platform.

POSIX has `pwrite` and `pread`, which leave the descriptor's file position alone. Windows has neither in Python's
`os`: there the transfer is an `lseek` and a `write` (or `read`), and a lock makes the two one step, so that no
other thread's seek on the same descriptor can come between them. (The engines give each thread descriptors of its
own today, so the lock is rarely waited for; it keeps the promise of these functions whoever calls them.)
`posix_fallocate`, where there is one, reserves a file's blocks up front; without it (Windows, macOS) the
free-space check made before a download starts is the only guard.

`BINARY` belongs in every `os.open` of a file whose bytes matter: on Windows a descriptor opened without it is in
text mode, and the C runtime turns each LF written into CRLF and stops reading at the first 0x1A. Elsewhere it is 0.
"""

from __future__ import annotations

import errno
import os
import threading
from typing import Callable, TypeVar

BINARY: int = getattr(os, "O_BINARY", 0)
T = TypeVar("T")

_position = threading.Lock()  # only where there is no pwrite/pread: one seek and its transfer at a time


def pwrite(fd: int, data: bytes | memoryview, offset: int) -> int:
    """Write `data` at `offset`; how many bytes were written (the kernel may take fewer: the caller writes the rest)."""
    positional = getattr(os, "pwrite", None)
    if positional is not None:
        return int(positional(fd, data, offset))
    return _at(fd, offset, lambda: os.write(fd, data))


def pread(fd: int, size: int, offset: int) -> bytes:
    """At most `size` bytes from `offset` (fewer at the end of the file)."""
    positional = getattr(os, "pread", None)
    if positional is not None:
        return bytes(positional(fd, size, offset))
    return _at(fd, offset, lambda: os.read(fd, size))


def _at(fd: int, offset: int, transfer: Callable[[], T]) -> T:
    with _position:
        os.lseek(fd, offset, os.SEEK_SET)
        return transfer()


def preallocate(fd: int, size: int) -> None:
    """Reserve `size` bytes of blocks for the file, so a full disk fails here and not midway, where the system and
    the file system can; elsewhere nothing is reserved."""
    reserve = getattr(os, "posix_fallocate", None)
    if reserve is None or not size:
        return
    try:
        reserve(fd, 0, size)
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            raise

"""Opening a file the user named for reading, refusing anything that is not a regular file.

A device (`/dev/zero`), a FIFO or a socket can block a reader forever or feed it endlessly. The file is opened
with O_NONBLOCK, so opening a FIFO returns at once instead of waiting for a writer, and is then checked with fstat
on the very descriptor that will be read — there is no moment at which another file can be put in its place.
"""

from __future__ import annotations

import errno
import io
import os
import stat

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The path names a folder, device, FIFO or socket; `strerror` says which, for a person."""


def open_regular(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> io.BufferedReader:
    """`path` opened for binary reading; OSError (FileNotFoundError, PermissionError, NotRegularFile, and a link
    without `follow_symlinks` where the system can tell) otherwise."""
    fd = os.open(path, _OPEN_FLAGS | (0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise NotRegularFile(errno.EISDIR, "Is a directory", os.fspath(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"Not a regular file ({describe_kind(mode)})", os.fspath(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        return open(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def describe_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The whole of a small regular file; OSError when it is not one, ValueError when it is larger than `max_bytes`."""
    with open_regular(path) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"{os.fspath(path)} is larger than {max_bytes:,} bytes")
    return data

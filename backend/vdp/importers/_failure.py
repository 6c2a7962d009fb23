"""One internal failure type for "this file cannot be read", worded by the public operation that hit it."""

from __future__ import annotations

import errno
import os

from ..errors import CommandError


class ParseFailure(Exception):
    """Why a file could not be parsed, in words a user can act on (no prefix; the operation adds it)."""


def io_error(exc: OSError, path: str | os.PathLike[str]) -> CommandError:
    """The original's wire text for a file that cannot be opened (original-contract.md §2.2)."""
    if exc.errno == errno.ENOENT:
        return CommandError(f"IO error: File not found: {os.fspath(path)}")
    return CommandError(f"IO error: {exc.strerror or exc}: {os.fspath(path)}")


def file_size(path: str | os.PathLike[str]) -> int:
    """The size of a regular file, or the wire error for a path that is missing or not a file."""
    try:
        with open(path, "rb") as probe:  # opening (not stat) also reports directories and unreadable files
            return os.fstat(probe.fileno()).st_size
    except OSError as exc:
        raise io_error(exc, path) from None

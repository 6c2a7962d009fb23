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


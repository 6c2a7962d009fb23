"""One internal failure type for "this file cannot be read", worded by the public operation that hit it."""

from __future__ import annotations

import errno
import os

from ..errors import ErrorCode, ErrorKind, VdpError


class ParseFailure(Exception):
    """Why a file could not be parsed, in words a user can act on (no prefix; the operation adds it)."""


def io_error(exc: OSError, path: str | os.PathLike[str]) -> VdpError:
    """The original's wire text for a file that cannot be opened (docs/contract.md, import commands)."""
    if exc.errno == errno.ENOENT:
        return VdpError(ErrorCode.FILE_NOT_FOUND, f"File not found: {os.fspath(path)}", kind=ErrorKind.IO)
    return VdpError(ErrorCode.IO_ERROR, f"{exc.strerror or exc}: {os.fspath(path)}", kind=ErrorKind.IO)


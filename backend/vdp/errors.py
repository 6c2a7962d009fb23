"""Errors as values: a code, a human message, and whether a retry can help — decided here, once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .contract.errors import RETRYABLE_CODES, ErrorCode

if TYPE_CHECKING:
    from pydantic import ValidationError


class VdpError(Exception):
    """A classified failure. `str(err)` is the human message shown on the task."""

    def __init__(self, code: ErrorCode, message: str, *, retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES

    def __repr__(self) -> str:
        return f"VdpError({self.code.value!r}, {self.message!r})"


class CommandError(Exception):
    """A command failure whose text is the wire error string (original-contract.md §1)."""


def describe_validation_error(exc: "ValidationError") -> str:
    """A pydantic validation failure as one line a person can act on: `where: what; ...` (first five)."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "value"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def classify_os_error(exc: OSError, what: str) -> VdpError:
    """Map an OS error raised while touching `what` (a path) to its code."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return VdpError(ErrorCode.DISK_FULL, f"Disk full while writing {what}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return VdpError(ErrorCode.PERMISSION_DENIED, f"Permission denied: {what}")
    return VdpError(ErrorCode.IO_ERROR, f"IO error: {exc.strerror or exc} ({what})")

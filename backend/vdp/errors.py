"""Errors as values: one exception type, `VdpError`, with a stable code, a human message and (for the original's
command errors) the kind that names it — decided here, once.

The wire text of a failed command is built in two steps (docs/contract.md, "Errors"):
  * the error's kind adds the original's category prefix (`Download error: `, `IO error: `, ...) — `VdpError.text`;
  * `bridge/invoke.py` adds the command's own prefix (`Failed to start download: `) declared on its `@command`.
So `Failed to start download: Download error: Task not found: t1` is raised as
`VdpError(ErrorCode.TASK_NOT_FOUND, "Task not found: t1", kind=ErrorKind.DOWNLOAD)`.
"""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING, Optional

from .contract.errors import RETRYABLE_CODES, ErrorCode, ErrorKind

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["ErrorCode", "ErrorKind", "VdpError", "classify_os_error", "task_not_found", "describe_validation_error"]


class VdpError(Exception):
    """A classified failure. `message` is the detail; `str(err)` (= `text`) adds the kind's prefix, and is what a task
    shows as its error and what a command answers (after its own prefix)."""

    def __init__(self, code: ErrorCode, message: str, *, kind: Optional[ErrorKind] = None,
                 retry_after: Optional[float] = None) -> None:
        self.code = code
        self.message = message
        self.kind = kind
        self.retry_after = retry_after
        super().__init__(self.text)

    @property
    def text(self) -> str:
        return f"{self.kind.value}: {self.message}" if self.kind else self.message

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES

    def in_command(self, prefix: Optional[str]) -> "VdpError":
        """The same failure as a command answers it: `<prefix>: <text>` (the one place prefixes are joined)."""
        return VdpError(self.code, f"{prefix}: {self.text}" if prefix else self.text)

    def __repr__(self) -> str:
        return f"VdpError({self.code.value!r}, {self.text!r})"


def task_not_found(task_id: str) -> VdpError:
    """The refusal of a command about a task the runtime does not hold (both runtimes answer it alike)."""
    return VdpError(ErrorCode.TASK_NOT_FOUND, f"Task not found: {task_id}", kind=ErrorKind.DOWNLOAD)


def describe_validation_error(exc: "ValidationError") -> str:
    """A pydantic validation failure as one line a person can act on: `where: what; ...` (first five)."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "value"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def classify_os_error(exc: OSError, what: str) -> VdpError:
    """Map an OS error raised while touching `what` (a path) to its code."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return VdpError(ErrorCode.DISK_FULL, f"Disk full while writing {what}")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return VdpError(ErrorCode.PERMISSION_DENIED, f"Permission denied: {what}")
    return VdpError(ErrorCode.IO_ERROR, f"IO error: {exc.strerror or exc} ({what})")

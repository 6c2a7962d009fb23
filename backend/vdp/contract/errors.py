"""Error and warning codes: every failure is classified once, by code, into retryable or fatal.

The codes travel on the wire: in `runtime_warning.code`, and beside the text of every failed command
(`{"error": "<text>", "code": "<code>"}`, docs/contract.md "Errors"). They are stable; the texts are not.
"""

from __future__ import annotations

from enum import Enum

from ._wire import WireModel


class ErrorCode(str, Enum):
    # runtime_warning codes (docs/contract.md, "Events")
    STALLED = "stalled"
    RETRYING = "retrying"
    RETRY_EXHAUSTED = "retry_exhausted"
    DISK_FULL = "disk_full"
    PERMISSION_DENIED = "permission_denied"
    RESUME_INVALIDATED = "resume_invalidated"
    LAGGED = "lagged"
    # transfer failures
    NETWORK = "network"
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHORIZED = "unauthorized"
    HTTP_ERROR = "http_error"
    INVALID_RESPONSE = "invalid_response"
    PROTOCOL_ERROR = "protocol_error"  # the answer broke HTTP (bad header, framing, hang-up mid-answer): retryable
    GOT_HTML_PAGE = "got_html_page"
    SIZE_MISMATCH = "size_mismatch"
    HASH_MISMATCH = "hash_mismatch"
    INVALID_URL = "invalid_url"
    INVALID_PLAYLIST = "invalid_playlist"
    DRM_PROTECTED = "drm_protected"
    LIVE_STREAM = "live_stream"
    UNSUPPORTED_SITE = "unsupported_site"
    LOGIN_REQUIRED = "login_required"
    GEO_RESTRICTED = "geo_restricted"
    UNAVAILABLE = "unavailable"
    FFMPEG_MISSING = "ffmpeg_missing"
    IO_ERROR = "io_error"
    INTERNAL = "internal"
    # command failures (the task list and its statuses)
    TASK_NOT_FOUND = "task_not_found"
    INVALID_STATUS = "invalid_status"
    NOT_ACTIVE = "not_active"
    CONCURRENCY_LIMIT = "concurrency_limit"
    TASK_ACTIVE = "task_active"
    PARTIAL_FAILURE = "partial_failure"
    # command failures (files, settings, the system)
    FILE_NOT_FOUND = "file_not_found"
    FILE_TOO_LARGE = "file_too_large"
    PARSE_ERROR = "parse_error"
    INVALID_CONFIG = "invalid_config"
    INVALID_ARGUMENT = "invalid_argument"
    SYSTEM_ERROR = "system_error"
    DESKTOP_ONLY = "desktop_only"
    MIGRATION_FAILED = "migration_failed"
    DATABASE_TOO_NEW = "database_too_new"
    STORAGE_ERROR = "storage_error"
    # the task database (docs/security.md, "The task list"): start refused, the file left untouched
    DATABASE_LOCKED = "database_locked"
    DATABASE_READ_ONLY = "database_read_only"
    DATABASE_UNAVAILABLE = "database_unavailable"
    # ... and runtime_warning codes: a malformed file kept aside at start; changes not saved; the file gone/replaced
    DATABASE_RECOVERED = "database_recovered"
    DATABASE_UNWRITABLE = "database_unwritable"
    DATABASE_VANISHED = "database_vanished"
    # the bridge itself
    UNKNOWN_COMMAND = "unknown_command"
    NOT_IMPLEMENTED = "not_implemented"
    REQUEST_TOO_LARGE = "request_too_large"
    INVALID_JSON = "invalid_json"
    BACKEND_UNREACHABLE = "backend_unreachable"


class ErrorKind(str, Enum):
    """The original's error categories (its `AppError` variants): the value is the prefix its text starts with."""

    IO = "IO error"
    NETWORK = "Network error"
    PARSE = "Parsing error"
    CONFIG = "Configuration error"
    DOWNLOAD = "Download error"
    YOUTUBE = "YouTube error"
    SYSTEM = "System error"


RETRYABLE_CODES = frozenset(
    {ErrorCode.NETWORK, ErrorCode.TIMEOUT, ErrorCode.SERVER_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.STALLED,
     ErrorCode.PROTOCOL_ERROR}
)


class CommandErrorBody(WireModel):
    """A failed command in server mode (HTTP 4xx/5xx); the desktop bridge rejects with `{message, code}`."""

    error: str
    code: ErrorCode

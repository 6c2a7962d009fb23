"""Error and warning codes: every failure is classified once, by code, into retryable or fatal."""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    # runtime_warning codes named by contract-decisions.md §4
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


RETRYABLE_CODES = frozenset(
    {ErrorCode.NETWORK, ErrorCode.TIMEOUT, ErrorCode.SERVER_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.STALLED}
)

"""Reading what an HTTP server answered, for every engine: status → error, Retry-After, Content-Range, validators and
web-page detection. Its sibling `request_errors.py` classifies the requests that got no usable answer at all.

Every status maps to one code here, so the HTTP and HLS engines fail alike; whether a code is worth another try is
the contract's `RETRYABLE_CODES`. 408 (the server gave up waiting for the request) and 425 (too early) are passing
conditions, so both are retryable, like 5xx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Optional

import httpx

from ..contract import ErrorCode
from ..errors import VdpError

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp")


@dataclass(frozen=True, slots=True)
class ContentRange:
    start: int
    end: int
    total: Optional[int]


def parse_content_range(value: Optional[str]) -> Optional[ContentRange]:
    """`bytes <start>-<end>/<total or *>`; anything else is None (the caller treats it as a wrong range)."""
    match = _CONTENT_RANGE.fullmatch(value.strip()) if value else None
    if not match:
        return None
    total = None if match.group(3) == "*" else int(match.group(3))
    return ContentRange(int(match.group(1)), int(match.group(2)), total)


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP date (a date in the past is 0)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" dates parse naive; HTTP dates are always UTC
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def error_for_status(response: httpx.Response, what: str = "") -> VdpError:
    """The failure an error status (>= 400) means. `what` names the request in front of the message (an HLS segment,
    a key, the playlist); the HTTP engine's single file needs none."""
    error = _classify_status(response)
    return VdpError(error.code, f"{what}: {error.message}", retry_after=error.retry_after) if what else error


def _classify_status(response: httpx.Response) -> VdpError:
    status = response.status_code
    reason = response.reason_phrase or ""
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status == 429:
        return VdpError(ErrorCode.RATE_LIMITED, "The server is rate limiting downloads (HTTP 429)",
                        retry_after=retry_after)
    if status == 408:
        return VdpError(ErrorCode.TIMEOUT, f"The server timed out waiting for the request: HTTP 408 {reason}".rstrip(),
                        retry_after=retry_after)
    if status == 425 or status >= 500:
        return VdpError(ErrorCode.SERVER_ERROR, f"Server error: HTTP {status} {reason}".rstrip(),
                        retry_after=retry_after)
    if status in (404, 410):
        return VdpError(ErrorCode.NOT_FOUND, f"File not found on the server (HTTP {status}); the link may have expired")
    if status == 403:
        return VdpError(ErrorCode.FORBIDDEN, "Access denied by the server (HTTP 403); the link may have expired")
    if status == 401:
        return VdpError(ErrorCode.UNAUTHORIZED, "The server requires a login (HTTP 401)")
    return VdpError(ErrorCode.HTTP_ERROR, f"Unexpected server answer: HTTP {status} {reason}".rstrip())


def validators(response: httpx.Response) -> dict[str, str]:
    """ETag (strong only: a weak one cannot validate a byte range) and Last-Modified."""
    found: dict[str, str] = {}
    etag = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        found["etag"] = etag
    modified = response.headers.get("last-modified")
    if modified:
        found["last_modified"] = modified
    return found


def if_range_value(meta: dict[str, str]) -> Optional[str]:
    return meta.get("etag") or meta.get("last_modified")


def is_web_page(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "").lower()
    return content_type.startswith(("text/html", "application/xhtml"))


def looks_like_web_page(response: httpx.Response, url: str) -> bool:
    """A server that answers a file request with an HTML page (login wall, expired link, error page); a URL that names
    a page is taken at its word."""
    return is_web_page(response) and not httpx.URL(url).path.lower().endswith(_PAGE_SUFFIXES)

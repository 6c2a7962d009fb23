"""Reading what an HTTP server said: status classification, Content-Range, validators, web-page detection."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Optional

import httpx

from ...contract import ErrorCode
from ...errors import VdpError

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.I)


@dataclass(frozen=True, slots=True)
class ContentRange:
    start: int
    end: int
    total: Optional[int]


def parse_content_range(value: Optional[str]) -> Optional[ContentRange]:
    match = _CONTENT_RANGE.fullmatch(value.strip()) if value else None
    if not match:
        return None
    total = None if match.group(3) == "*" else int(match.group(3))
    return ContentRange(int(match.group(1)), int(match.group(2)), total)


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


def retry_after_seconds(response: httpx.Response) -> Optional[float]:
    value = response.headers.get("retry-after")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        from datetime import datetime, timezone

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None


def error_for_status(response: httpx.Response) -> VdpError:
    status = response.status_code
    reason = response.reason_phrase or ""
    if status == 429:
        return VdpError(ErrorCode.RATE_LIMITED, "The server is rate limiting downloads (HTTP 429)",
                        retry_after=retry_after_seconds(response))
    if status in (408, 425) or status >= 500:
        return VdpError(ErrorCode.SERVER_ERROR, f"Server error: HTTP {status} {reason}".rstrip(),
                        retry_after=retry_after_seconds(response))
    if status in (404, 410):
        return VdpError(ErrorCode.NOT_FOUND, f"File not found on the server (HTTP {status}); the link may have expired")
    if status == 403:
        return VdpError(ErrorCode.FORBIDDEN, "Access denied by the server (HTTP 403); the link may have expired")
    if status == 401:
        return VdpError(ErrorCode.UNAUTHORIZED, "The server requires a login (HTTP 401)")
    return VdpError(ErrorCode.HTTP_ERROR, f"Unexpected server answer: HTTP {status} {reason}".rstrip())


def looks_like_web_page(response: httpx.Response, url: str) -> bool:
    """A server that answers a file request with an HTML page (login wall, expired link, error page)."""
    content_type = response.headers.get("content-type", "").lower()
    if not content_type.startswith(("text/html", "application/xhtml")):
        return False
    path = httpx.URL(url).path.lower()
    return not path.endswith((".html", ".htm", ".xhtml", ".php", ".asp", ".aspx", ".jsp"))

"""yt-dlp's exceptions and messages mapped to our error codes — the only place that knows their shapes."""

from __future__ import annotations

import re
import socket
from typing import Iterator, Optional

from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import ContentTooShortError, DownloadError, ExtractorError, GeoRestrictedError, UnsupportedError

from ...contract import ErrorCode
from ...errors import VdpError, classify_os_error

# yt-dlp wording, matched case-insensitively against the whole message chain. First match wins.
_MESSAGE_RULES: tuple[tuple[re.Pattern[str], ErrorCode], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), code)
    for pattern, code in (
        (r"unsupported url", ErrorCode.UNSUPPORTED_SITE),
        (r"ffmpeg (?:is )?not (?:found|installed)|ffprobe (?:is )?not found|requested merging",
         ErrorCode.FFMPEG_MISSING),
        (r"not available (?:in|from) your (?:country|location)|geo.?restrict", ErrorCode.GEO_RESTRICTED),
        (r"\bdrm\b", ErrorCode.DRM_PROTECTED),
        (r"\bsign in\b|\blog ?in\b|\blogged.in\b|--cookies|private video|members.only|registered users"
         r"|confirm your age|age.restricted|authenticat", ErrorCode.LOGIN_REQUIRED),
        (r"\bis (?:currently )?live\b|live event will begin|premieres in", ErrorCode.LIVE_STREAM),
        (r"unavailable|not available|has been removed|no longer available|does not exist|requested format",
         ErrorCode.UNAVAILABLE),
    )
)  # fmt: skip

_REPORT_SUFFIX = re.compile(r";\s*please report this issue.*$", re.IGNORECASE | re.DOTALL)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything behind it: DownloadError.exc_info, ExtractorError.cause, __cause__, __context__."""
    seen: set[int] = set()
    pending: list[Optional[BaseException]] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None)
        if isinstance(exc_info, tuple) and len(exc_info) == 3:
            pending.append(exc_info[1])
        cause = getattr(current, "cause", None)
        pending.extend([cause if isinstance(cause, BaseException) else None, current.__cause__, current.__context__])


def _texts(chain: list[BaseException]) -> list[str]:
    """The messages to match: an extractor's own text without its `[site] video_id:` prefix (an id such as
    `login` must not read as "login required"); a DownloadError's text only when no extractor error explains it."""
    has_extractor_error = any(isinstance(e, ExtractorError) for e in chain)
    return [
        getattr(e, "orig_msg", None) or str(e)
        for e in chain
        if not (has_extractor_error and isinstance(e, DownloadError))
    ]


def human_message(exc: BaseException) -> str:
    """yt-dlp's message without its `ERROR:` prefix and bug-report boilerplate."""
    text = str(exc).strip()
    text = re.sub(r"^(?:ERROR:\s*)+", "", text)
    return _REPORT_SUFFIX.sub("", text).strip() or type(exc).__name__


def _from_http_status(status: int, message: str) -> VdpError:
    if status in (404, 410):
        return VdpError(ErrorCode.UNAVAILABLE, f"Media not found (HTTP {status}): {message}")
    if status in (401, 403):
        return VdpError(ErrorCode.FORBIDDEN, f"Access denied (HTTP {status}): {message}")
    if status == 429:
        return VdpError(ErrorCode.RATE_LIMITED, f"Too many requests (HTTP 429): {message}")
    if status >= 500:
        return VdpError(ErrorCode.SERVER_ERROR, f"Server error (HTTP {status}): {message}")
    return VdpError(ErrorCode.HTTP_ERROR, f"HTTP {status}: {message}")


def classify_ytdlp_error(exc: BaseException) -> VdpError:
    """Map anything yt-dlp raised (usually a DownloadError wrapping the real cause) to a classified VdpError."""
    if isinstance(exc, VdpError):
        return exc
    chain = list(_chain(exc))
    message = human_message(exc)
    if any(isinstance(e, UnsupportedError) for e in chain):
        return VdpError(ErrorCode.UNSUPPORTED_SITE, f"No video found on this page (unsupported site): {message}")
    if any(isinstance(e, GeoRestrictedError) for e in chain):
        return VdpError(ErrorCode.GEO_RESTRICTED, f"Not available in your region: {message}")
    for e in chain:
        if isinstance(e, HTTPError):
            return _from_http_status(e.status, message)
    texts = _texts(chain)
    for pattern, code in _MESSAGE_RULES:
        if any(pattern.search(text) for text in texts):
            return VdpError(code, message)
    for e in chain:
        if isinstance(e, (TimeoutError, socket.timeout)):
            return VdpError(ErrorCode.TIMEOUT, f"Timed out: {message}")
        if isinstance(e, (TransportError, ContentTooShortError, ConnectionError)):
            return VdpError(ErrorCode.NETWORK, f"Network error: {message}")
        if isinstance(e, OSError) and e.errno is not None:
            return classify_os_error(e, getattr(e, "filename", None) or "the output file")
    if any(isinstance(e, (ExtractorError, DownloadError)) for e in chain):
        return VdpError(ErrorCode.UNAVAILABLE, message)
    return VdpError(ErrorCode.INTERNAL, f"yt-dlp failed unexpectedly: {message}")

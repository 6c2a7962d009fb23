"""Which engine downloads a URL: HLS, yt-dlp or plain HTTP — decided here, once, with a reason for the UI.

The rules, in order: only http(s); a user-forced engine wins; an `.m3u8`/`.m3u` path is HLS; a known video site
goes to yt-dlp; a path with a media or file extension is a direct HTTP download (even if the server answers with
an HTML error page — the HTTP engine detects that and fails clearly); anything else is probed (HEAD, falling back
to a ranged GET) and decided from the content type and the final URL after redirects.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Awaitable, Callable, Optional, Sequence
from urllib.parse import SplitResult, unquote, urlsplit

import httpx

from ..contract import DownloaderType, ErrorCode
from ..contract.config import DEFAULT_USER_AGENT
from ..errors import VdpError
from .request_errors import error_for_exception

# Sites yt-dlp has dedicated extractors for: the original's list (docs/contract.md, "System commands") plus a few.
KNOWN_VIDEO_SITES = (
    "youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "dailymotion.com", "twitch.tv",
    "bilibili.com", "b23.tv", "nicovideo.jp", "facebook.com", "fb.watch", "instagram.com", "twitter.com",
    "x.com", "tiktok.com", "reddit.com", "soundcloud.com", "rumble.com", "streamable.com",
)  # fmt: skip

HLS_EXTENSIONS = frozenset({".m3u8", ".m3u"})
HLS_CONTENT_TYPES = frozenset(
    {"application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl"})
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# The original `validate_url` accepted exactly these video extensions.
ORIGINAL_VIDEO_EXTENSIONS = frozenset({".mp4", ".avi", ".mkv", ".mov", ".wmv", ".flv", ".webm", ".m4v"})
DIRECT_FILE_EXTENSIONS = ORIGINAL_VIDEO_EXTENSIONS | frozenset(
    {
        ".mpg", ".mpeg", ".ts", ".m2ts", ".3gp", ".ogv", ".f4v",
        ".mp3", ".m4a", ".aac", ".flac", ".wav", ".ogg", ".oga", ".opus", ".wma",
        ".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".iso", ".dmg", ".exe", ".msi", ".apk", ".bin",
        ".pdf", ".epub", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".srt", ".vtt",
        ".jpg", ".jpeg", ".png", ".gif", ".webp",
    }
)  # fmt: skip

PROBE_TIMEOUT = httpx.Timeout(8.0, connect=5.0)


@dataclass(frozen=True, slots=True)
class RouteDecision:
    downloader_type: DownloaderType
    reason: str


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What a probe learned: the media type (lowercase, no parameters; "" if none) and the URL after redirects."""

    content_type: str
    final_url: str


Probe = Callable[[str], Awaitable[ProbeResult]]


def require_http_url(url: str) -> SplitResult:
    """The parsed URL, or VdpError(INVALID_URL) unless it is an http(s) link with a host."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        host = None
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise VdpError(ErrorCode.INVALID_URL, f"Only http(s) links can be downloaded: {url!r}")
    return parts


def _extension(path: str) -> str:
    if path.endswith("/"):
        return ""  # `/video.mp4/` names a folder-like resource, not a file
    return PurePosixPath(unquote(path)).suffix.lower()


def _known_site(host: str) -> Optional[str]:
    """The known site `host` belongs to (exact domain or a subdomain of it), never a mere substring match."""
    host = host.lower().rstrip(".")
    return next((site for site in KNOWN_VIDEO_SITES if host == site or host.endswith("." + site)), None)


def route_by_url(url: str) -> Optional[RouteDecision]:
    """The decision the URL alone settles, or None when only a probe can tell. Raises INVALID_URL."""
    parts = require_http_url(url)
    ext = _extension(parts.path)
    if ext in HLS_EXTENSIONS:
        return RouteDecision(DownloaderType.M3U8, f"HLS playlist link ({ext})")
    site = _known_site(parts.hostname or "")
    if site:
        return RouteDecision(DownloaderType.YOUTUBE, f"known video site ({site}): yt-dlp")
    return _DIRECT_FILE_DECISIONS.get(ext)


# One decision (and one reason string) per extension: each task keeps its reason, 200,000 after a big import.
_DIRECT_FILE_DECISIONS = {ext: RouteDecision(DownloaderType.HTTP, f"direct file link ({ext})")
                          for ext in DIRECT_FILE_EXTENSIONS}


def decide_from_probe(result: ProbeResult) -> RouteDecision:
    """Route on what the server said about a URL whose path did not settle it."""
    if result.content_type in HLS_CONTENT_TYPES:
        return RouteDecision(DownloaderType.M3U8, f"server sent an HLS playlist ({result.content_type})")
    final = urlsplit(result.final_url)
    if _extension(final.path) in HLS_EXTENSIONS:
        return RouteDecision(DownloaderType.M3U8, "redirected to an HLS playlist")
    if result.content_type in HTML_CONTENT_TYPES:
        return RouteDecision(DownloaderType.YOUTUBE, "web page: yt-dlp looks for the video in it")
    shown = result.content_type or "no content type"
    return RouteDecision(DownloaderType.HTTP, f"server sent a file ({shown}): direct download")


async def http_probe(url: str, client: Optional[httpx.AsyncClient] = None) -> ProbeResult:
    """HEAD the URL following redirects; if HEAD is refused or fails, GET its first bytes instead. With `client`,
    the app's own (its proxy, user agent and headers apply); else a short-lived one."""
    if client is None:
        headers = {"User-Agent": DEFAULT_USER_AGENT}
        async with httpx.AsyncClient(follow_redirects=True, timeout=PROBE_TIMEOUT, headers=headers) as own:
            return await _probe_with(own, url)
    return await _probe_with(client, url)


async def _probe_with(client: httpx.AsyncClient, url: str) -> ProbeResult:
    try:
        response = await client.head(url, timeout=PROBE_TIMEOUT, follow_redirects=True)
        if response.status_code < 400:
            return _probe_result(response)
    except httpx.HTTPError:
        pass  # some servers reset HEAD; the ranged GET below decides
    async with client.stream("GET", url, headers={"Range": "bytes=0-1023"}, timeout=PROBE_TIMEOUT,
                             follow_redirects=True) as response:
        return _probe_result(response)


def _probe_result(response: httpx.Response) -> ProbeResult:
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return ProbeResult(content_type=media_type, final_url=str(response.url))


async def route(url: str, *, probe: Probe = http_probe, forced: Optional[DownloaderType] = None) -> RouteDecision:
    """Choose the engine for `url`. Raises VdpError(INVALID_URL) for anything but an http(s) link."""
    require_http_url(url)
    if forced is not None:
        return RouteDecision(forced, f"chosen by the user ({forced.value})")
    decided = route_by_url(url)
    if decided is not None:
        return decided
    try:
        return decide_from_probe(await probe(url))
    except httpx.HTTPError as exc:
        # Unreachable or malformed now does not mean unroutable: the HTTP engine retries and classifies the failure.
        problem = error_for_exception(exc)
        return RouteDecision(DownloaderType.HTTP,
                             f"could not inspect the link ({problem.code.value}: {problem.message}): direct download")
    except (httpx.InvalidURL, OSError) as exc:
        return RouteDecision(DownloaderType.HTTP, f"could not inspect the link ({type(exc).__name__}): direct download")


class ProbePool:
    """Routes many pasted links with at most `max_concurrency` probes in flight (coroutines, no thread per link)."""

    def __init__(self, max_concurrency: int = 4, *, probe: Probe = http_probe) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._slots = asyncio.Semaphore(max_concurrency)
        self._probe = probe

    async def _bounded_probe(self, url: str) -> ProbeResult:
        async with self._slots:
            return await self._probe(url)

    async def route(self, url: str, *, forced: Optional[DownloaderType] = None) -> RouteDecision:
        return await route(url, probe=self._bounded_probe, forced=forced)

    async def route_many(self, urls: Sequence[str]) -> list[RouteDecision | VdpError]:
        """One result per URL, in order; an invalid link yields its VdpError instead of failing the batch."""

        async def one(url: str) -> RouteDecision | VdpError:
            try:
                return await self.route(url)
            except VdpError as exc:
                return exc

        return list(await asyncio.gather(*(one(url) for url in urls)))


def validate_url(url: str) -> bool:
    """An http(s) link to a known site, a video file or an m3u8 playlist; sites match by domain or subdomain, not by
    substring. (The `validate_url` command answers the original's looser rule: bridge/original_urls.py.)"""
    try:
        parts = require_http_url(url)
    except VdpError:
        return False
    return bool(
        _known_site(parts.hostname or "")
        or _extension(parts.path) in ORIGINAL_VIDEO_EXTENSIONS
        or "m3u8" in url.lower()
    )

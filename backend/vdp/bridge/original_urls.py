"""The original app's own URL rules, for the commands that answer as it did (docs/contract.md, "YouTube commands" and
validate_url). They are deliberately naive (substring matches); our routing (engines/routing.py) decides downloads.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit

from ..contract import VideoFormat, YoutubeVideoInfo

_VIDEO_DOMAINS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "twitch.tv", "bilibili.com",
                  "nicovideo.jp", "facebook.com", "instagram.com", "twitter.com", "tiktok.com", "reddit.com")
_VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov", ".wmv", ".flv", ".webm", ".m4v")


def validate_url(url: str) -> bool:
    """An http(s) URL with a known video site *somewhere in its host*, a video file extension, or `m3u8`."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    path = parts.path.lower()
    return (any(domain in host for domain in _VIDEO_DOMAINS) or path.endswith(_VIDEO_EXTENSIONS)
            or ".m3u8" in path or "m3u8" in url)


def is_youtube_url(url: str) -> bool:
    return "youtube.com/watch" in url or "youtu.be/" in url or "youtube.com/embed/" in url


def is_youtube_playlist_url(url: str) -> bool:
    return "youtube.com/playlist" in url or ("youtube.com/watch" in url and "list=" in url)


def _after(url: str, marker: str, end: str) -> Optional[str]:
    start = url.find(marker)
    if start < 0:
        return None
    rest = url[start + len(marker):]
    return rest.split(end, 1)[0]


def youtube_id(url: str) -> Optional[str]:
    """The video id as the original cuts it out: after `v=`, `youtu.be/` or `embed/`."""
    for marker, end in (("v=", "&"), ("youtu.be/", "?"), ("embed/", "?")):
        found = _after(url, marker, end)
        if found is not None:
            return found
    return None


def playlist_id(url: str) -> Optional[str]:
    return _after(url, "list=", "&")


def default_formats() -> list[VideoFormat]:
    """What the original answers when yt-dlp cannot list the formats."""
    return [VideoFormat(format_id="best", ext="mp4", quality="Best Quality"),
            VideoFormat(format_id="worst", ext="mp4", quality="Worst Quality")]


def fallback_info(video_id: str) -> YoutubeVideoInfo:
    """What the original answers when yt-dlp cannot read the video."""
    return YoutubeVideoInfo(id=video_id, title=f"YouTube Video {video_id}",
                            description="Description not available (fallback mode)", duration=0,
                            thumbnail=f"https://img.youtube.com/vi/{video_id}/maxresdefault.jpg",
                            formats=default_formats(), subtitles=[])

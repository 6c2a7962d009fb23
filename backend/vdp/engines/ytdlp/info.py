"""Metadata commands backed by yt-dlp's extractors (docs/contract.md, "YouTube commands", "System commands"), for
any supported site.

Extraction runs in the bounded extraction pool; every failure is a classified VdpError, never a placeholder.
"""

from __future__ import annotations

from typing import Any, Optional

from yt_dlp import YoutubeDL
from yt_dlp.postprocessor import FFmpegPostProcessor

from ...contract import DownloadConfig, ErrorCode, ImportedData, SubtitleTrack, VideoFormat, YoutubeVideoInfo
from ...errors import VdpError
from ..routing import require_http_url
from ._errors import classify_ytdlp_error
from ._options import base_params, in_extraction_pool, quiet_params

# The fields of yt-dlp's info dict that `get_video_info` passes on: plain JSON, stable across extractors.
VIDEO_INFO_FIELDS = (
    "id", "title", "description", "duration", "thumbnail", "uploader", "channel", "upload_date", "view_count",
    "extractor", "extractor_key", "webpage_url", "original_url", "ext", "format_id", "width", "height", "fps",
    "filesize", "filesize_approx", "is_live", "was_live", "_type", "playlist_count",
)  # fmt: skip


def quality_label(height: Optional[int], format_id: str) -> str:
    if not height:
        return format_id
    return "4K" if height == 2160 else f"{height}p"


def _number(value: Any, kind: type) -> Any:
    return kind(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def to_video_format(fmt: dict[str, Any]) -> Optional[VideoFormat]:
    """One downloadable format, or None for entries that are neither video nor audio (storyboards, images)."""
    format_id = str(fmt.get("format_id") or "")
    if not format_id or (fmt.get("vcodec") == "none" and fmt.get("acodec") == "none"):
        return None
    height = _number(fmt.get("height"), int)
    return VideoFormat(
        format_id=format_id,
        ext=str(fmt.get("ext") or "unknown"),
        width=_number(fmt.get("width"), int),
        height=height,
        fps=_number(fmt.get("fps"), float),
        vbr=_number(fmt.get("vbr"), float),
        abr=_number(fmt.get("abr"), float),
        filesize=_number(fmt.get("filesize") or fmt.get("filesize_approx"), int),
        quality=quality_label(height, format_id),
    )


def _formats(info: dict[str, Any]) -> list[VideoFormat]:
    # A page with one direct media URL has no `formats` list: the info dict itself is the format.
    candidates = info.get("formats") or ([info] if info.get("url") else [])
    return [f for f in map(to_video_format, candidates) if f is not None]


def _subtitles(info: dict[str, Any]) -> list[SubtitleTrack]:
    tracks = []
    for language, variants in (info.get("subtitles") or {}).items():
        usable = [v for v in variants or () if v.get("url")]
        if usable:
            best = next((v for v in usable if v.get("ext") == "vtt"), usable[0])
            tracks.append(SubtitleTrack(language=language, language_code=language, url=best["url"],
                                        ext=best.get("ext") or "vtt"))
    return tracks


def _extract_blocking(url: str, params: dict[str, Any]) -> dict[str, Any]:
    with YoutubeDL(params) as ydl:
        info = ydl.extract_info(url, download=False)
        return ydl.sanitize_info(info)


async def _extract(url: str, config: Optional[DownloadConfig], **overrides: Any) -> dict[str, Any]:
    require_http_url(url)
    params = {**base_params(config), **overrides}
    try:
        return await in_extraction_pool(_extract_blocking, url, params)
    except Exception as exc:
        raise classify_ytdlp_error(exc) from exc


async def _extract_video(url: str, config: Optional[DownloadConfig]) -> dict[str, Any]:
    """The single video behind `url`; a page holding several gives its first."""
    info = await _extract(url, config, playlist_items="1")
    if info.get("_type") == "playlist":
        entries = info.get("entries") or []
        if not entries:
            raise VdpError(ErrorCode.UNAVAILABLE, f"No video found at {url}")
        return entries[0]
    return info


async def get_youtube_info(url: str, config: Optional[DownloadConfig] = None) -> YoutubeVideoInfo:
    info = await _extract_video(url, config)
    return YoutubeVideoInfo(
        id=str(info.get("id") or ""),
        title=str(info.get("title") or info.get("id") or url),
        description=str(info.get("description") or ""),
        duration=int(_number(info.get("duration"), float) or 0),
        thumbnail=str(info.get("thumbnail") or ""),
        formats=_formats(info),
        subtitles=_subtitles(info),
    )


async def get_youtube_formats(url: str, config: Optional[DownloadConfig] = None) -> list[VideoFormat]:
    return _formats(await _extract_video(url, config))


async def get_video_info(url: str, config: Optional[DownloadConfig] = None) -> dict[str, Any]:
    """The JSON-safe part of yt-dlp's info dict for `url` (the UI reads `.title`), with the formats mapped."""
    info = await _extract_video(url, config)
    result = {key: info[key] for key in VIDEO_INFO_FIELDS if info.get(key) is not None}
    result["url"] = url
    result["formats"] = [f.model_dump() for f in _formats(info)]
    return result


def _site_name(info: dict[str, Any]) -> str:
    key = str(info.get("ie_key") or info.get("extractor_key") or "")
    return "YouTube" if key.startswith("Youtube") else key or str(info.get("webpage_url_domain") or "")


def _imported(entry: dict[str, Any], link: str, site: str) -> ImportedData:
    video_id = str(entry.get("id") or link)
    title = str(entry.get("title") or video_id)
    return ImportedData(
        zl_id=video_id, zl_name=site, record_url=link, kc_id=video_id, kc_name=title,
        id=video_id, name=title, url=link, course_id=video_id, course_name=None,
    )  # fmt: skip


async def expand_playlist(
    url: str, max_videos: Optional[int] = None, config: Optional[DownloadConfig] = None
) -> list[ImportedData]:
    """The videos of a playlist (or of a page holding several) as import rows; nothing is downloaded."""
    if max_videos is not None and max_videos < 1:
        raise VdpError(ErrorCode.INVALID_URL, f"max_videos must be at least 1, got {max_videos}")
    limit = {"playlistend": max_videos} if max_videos else {}
    info = await _extract(url, config, noplaylist=False, extract_flat="in_playlist", **limit)
    site = _site_name(info)
    if info.get("_type") != "playlist":
        return [_imported(info, str(info.get("webpage_url") or url), site)]
    entries = [e for e in info.get("entries") or () if e][: max_videos or None]
    # A flat entry's `url` is its watch page; a fully extracted entry (generic pages) carries its media URL.
    return [_imported(e, str(e.get("url") or e.get("webpage_url") or url), _site_name(e) or site) for e in entries]


def _yt_dlp_works() -> bool:
    with YoutubeDL(quiet_params()) as ydl:
        return ydl.get_info_extractor("Generic") is not None


def _ffmpeg_available(location: Optional[str]) -> bool:
    params = quiet_params()
    if location:
        params["ffmpeg_location"] = location
    with YoutubeDL(params) as ydl:
        # The same detection yt-dlp runs before merging, so this answer and the engine's behaviour agree.
        return FFmpegPostProcessor(ydl).available


async def check_yt_dlp() -> bool:
    try:
        return await in_extraction_pool(_yt_dlp_works)
    except Exception:
        return False


async def check_ffmpeg(config_path: Optional[str] = None) -> bool:
    """Whether ffmpeg runs, at `config_path` (a binary or its folder) or else on PATH."""
    try:
        return await in_extraction_pool(_ffmpeg_available, config_path)
    except Exception:
        return False

"""yt-dlp backed commands (docs/contract.md, "YouTube commands"; get_video_info, the tool checks) and URL validation.

The three YouTube commands answer as the original did: its URL checks first (`YouTube error: Invalid YouTube URL`),
then yt-dlp, and when yt-dlp fails its fallbacks (default info, default formats, an empty playlist)."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, TypeVar

from ... import intake
from ...contract import (
    ErrorCode,
    ImportedData,
    NoArgs,
    PlaylistArgs,
    UrlArgs,
    ValidateUrlArgs,
    VideoFormat,
    YoutubeVideoInfo,
    utc_now,
)
from ...engines import routing
from ...errors import ErrorKind, VdpError
from ...runtime import commands
from .. import original_urls
from ..context import AppContext
from ..registry import command

T = TypeVar("T")
log = logging.getLogger(__name__)


def _ytdlp() -> Any:
    """yt-dlp takes ~0.4 s to import; only these commands need it, so it is imported on their first use."""
    from ...engines import ytdlp

    return ytdlp


async def _youtube(call: Awaitable[T], fallback: T) -> T:
    """yt-dlp's answer, or the original's fallback when yt-dlp fails (logged, never an error)."""
    try:
        return await call
    except VdpError as exc:
        log.info("yt-dlp failed (%s): answering the original's fallback", exc)
        return fallback


def _youtube_url(url: str, *, playlist: bool = False) -> None:
    valid = original_urls.is_youtube_playlist_url(url) if playlist else original_urls.is_youtube_url(url)
    if not valid:
        what = "YouTube playlist URL" if playlist else "YouTube URL"
        raise VdpError(ErrorCode.INVALID_PLAYLIST if playlist else ErrorCode.INVALID_URL, f"Invalid {what}: {url}",
                       kind=ErrorKind.YOUTUBE)


@command("get_youtube_info", UrlArgs)
async def get_youtube_info(app: AppContext, args: UrlArgs) -> YoutubeVideoInfo:
    _youtube_url(args.url)
    video_id = original_urls.youtube_id(args.url)
    if video_id is None:
        raise VdpError(ErrorCode.INVALID_URL, "Could not extract video ID from URL", kind=ErrorKind.YOUTUBE)
    return await _youtube(_ytdlp().get_youtube_info(args.url, app.config.download),
                          original_urls.fallback_info(video_id))


@command("get_youtube_formats", UrlArgs)
async def get_youtube_formats(app: AppContext, args: UrlArgs) -> list[VideoFormat]:
    _youtube_url(args.url)
    return await _youtube(_ytdlp().get_youtube_formats(args.url, app.config.download), original_urls.default_formats())


@command("download_youtube_playlist", PlaylistArgs)
async def download_youtube_playlist(app: AppContext, args: PlaylistArgs) -> list[ImportedData]:
    """Expands a playlist into rows. As the original: YouTube playlist URLs only, `[]` when yt-dlp fails. With
    `enqueue` (ours) any page yt-dlp reads as a playlist works, a failure is an error, and each entry becomes a task."""
    if not args.enqueue:
        _youtube_url(args.playlist_url, playlist=True)
        if original_urls.playlist_id(args.playlist_url) is None:
            raise VdpError(ErrorCode.INVALID_PLAYLIST, "Could not extract playlist ID from URL",
                           kind=ErrorKind.YOUTUBE)
    expanded = _ytdlp().expand_playlist(args.playlist_url, args.max_videos or None, config=app.config.download)
    rows = await expanded if args.enqueue else await _youtube(expanded, [])
    if args.enqueue:
        output = args.output_path or app.config.download.output_directory
        now = utc_now()
        tasks = [task for row in rows if (task := intake.task_for_playlist_entry(row, output, at=now)) is not None]
        await app.runtime.submit(commands.AddTasks(tasks, cause="playlist"))
    return rows


@command("get_video_info", UrlArgs)
async def get_video_info(app: AppContext, args: UrlArgs) -> dict[str, Any]:
    """yt-dlp's facts about a link the original's `validate_url` accepts (it refused the others the same way)."""
    if not original_urls.validate_url(args.url):
        raise VdpError(ErrorCode.INVALID_URL, "Invalid URL for video extraction", kind=ErrorKind.SYSTEM)
    routing.require_http_url(args.url)  # ours on top: never a private scheme, whatever the original let through
    return await _ytdlp().get_video_info(args.url, app.config.download)


@command("check_yt_dlp")
async def check_yt_dlp(app: AppContext, _: NoArgs) -> bool:
    return await _ytdlp().check_yt_dlp()


@command("check_ffmpeg")
async def check_ffmpeg(app: AppContext, _: NoArgs) -> bool:
    return await _ytdlp().check_ffmpeg(app.config.download.ffmpeg_path)


@command("validate_url", ValidateUrlArgs)
async def validate_url(app: AppContext, args: ValidateUrlArgs) -> bool:
    """The original's rule, word for word (an empty or unparsable URL is `false`, not an error)."""
    return original_urls.validate_url(args.url)

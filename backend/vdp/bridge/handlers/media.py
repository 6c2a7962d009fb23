"""yt-dlp backed commands (original-contract.md §2.3, get_video_info, the tool checks) and URL validation."""

from __future__ import annotations

from typing import Any, Awaitable, TypeVar

from ...contract import (DownloaderType, ErrorCode, ImportedData, NoArgs, PlaylistArgs, UrlArgs, VideoFormat,
                         VideoTask, YoutubeVideoInfo)
from ...engines import routing
from ...errors import VdpError
from ...runtime import commands as C
from ..registry import command
from .downloads import new_task

T = TypeVar("T")


def _ytdlp() -> Any:
    """yt-dlp takes ~0.4 s to import; only these commands need it, so it is imported on their first use."""
    from ...engines import ytdlp

    return ytdlp


async def _youtube(call: Awaitable[T]) -> T:
    """The original's YouTube commands prefix their errors with `YouTube error:`."""
    try:
        return await call
    except VdpError as exc:
        raise VdpError(exc.code, f"YouTube error: {exc.message}") from None


@command("get_youtube_info", UrlArgs)
async def get_youtube_info(app: Any, args: UrlArgs) -> YoutubeVideoInfo:
    return await _youtube(_ytdlp().get_youtube_info(args.url, app.config.download))


@command("get_youtube_formats", UrlArgs)
async def get_youtube_formats(app: Any, args: UrlArgs) -> list[VideoFormat]:
    return await _youtube(_ytdlp().get_youtube_formats(args.url, app.config.download))


@command("download_youtube_playlist", PlaylistArgs)
async def download_youtube_playlist(app: Any, args: PlaylistArgs) -> list[ImportedData]:
    """Expands a playlist into rows; with `enqueue` each entry also becomes a normal task."""
    rows = await _youtube(_ytdlp().expand_playlist(args.playlist_url, args.max_videos, config=app.config.download))
    if args.enqueue:
        output = args.output_path or app.config.download.output_directory
        tasks: list[VideoTask] = [
            new_task(row.url, output, title=row.kc_name or row.url, kind=DownloaderType.YOUTUBE,
                     reason="playlist entry", video_info=row)
            for row in rows if row.url
        ]
        await app.runtime.submit(C.AddTasks(tasks, cause="playlist"))
    return rows


@command("get_video_info", UrlArgs)
async def get_video_info(app: Any, args: UrlArgs) -> dict[str, Any]:
    try:
        routing.require_http_url(args.url)
    except VdpError:
        raise VdpError(ErrorCode.INVALID_URL, "System error: Invalid URL for video extraction") from None
    return await _ytdlp().get_video_info(args.url, app.config.download)


@command("check_yt_dlp")
async def check_yt_dlp(app: Any, _: NoArgs) -> bool:
    return await _ytdlp().check_yt_dlp()


@command("check_ffmpeg")
async def check_ffmpeg(app: Any, _: NoArgs) -> bool:
    return await _ytdlp().check_ffmpeg(app.config.download.ffmpeg_path)


@command("validate_url", UrlArgs)
async def validate_url(app: Any, args: UrlArgs) -> bool:
    return routing.validate_url(args.url)

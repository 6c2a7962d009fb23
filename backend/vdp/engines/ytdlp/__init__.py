"""yt-dlp, used as a library inside our runtime: metadata commands and the `ytdlp` transfer engine."""

from ._errors import classify_ytdlp_error
from .engine import YtDlpEngine
from .info import (
    check_ffmpeg,
    check_yt_dlp,
    expand_playlist,
    get_video_info,
    get_youtube_formats,
    get_youtube_info,
    quality_label,
)

__all__ = [
    "YtDlpEngine",
    "check_ffmpeg",
    "check_yt_dlp",
    "classify_ytdlp_error",
    "expand_playlist",
    "get_video_info",
    "get_youtube_formats",
    "get_youtube_info",
    "quality_label",
]

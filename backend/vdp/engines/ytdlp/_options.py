"""The yt-dlp parameters every call shares (network, identity, quiet logging) and the bounded extraction pool."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from ...contract import DownloadConfig, ErrorCode
from ...errors import VdpError

T = TypeVar("T")

EXTRACTION_CONCURRENCY = 4
# Extraction blocks (network, parsing); this pool bounds it however many links are pasted at once.
_extraction_pool = ThreadPoolExecutor(max_workers=EXTRACTION_CONCURRENCY, thread_name_prefix="vdp-ytdlp-info")

_log = logging.getLogger("vdp.ytdlp")


class _QuietLogger:
    """yt-dlp prints to the console unless given a logger; errors reach us as exceptions, so they log at debug."""

    def debug(self, msg: str) -> None:
        _log.debug(msg)

    info = debug
    error = debug

    def warning(self, msg: str) -> None:
        _log.warning(msg)


def quiet_params() -> dict[str, Any]:
    return {
        "logger": _QuietLogger(),
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "color": {"stdout": "no_color", "stderr": "no_color"},
        "cachedir": False,  # behaviour depends on our config alone, not on a cache left by another run
    }


def base_params(config: Optional[DownloadConfig]) -> dict[str, Any]:
    """Network and identity settings from the download config. Raises IO_ERROR for a missing cookies file."""
    config = config or DownloadConfig()
    params: dict[str, Any] = {
        **quiet_params(),
        "noplaylist": True,
        "socket_timeout": config.timeout_seconds,
        "retries": config.retry_attempts,
        "fragment_retries": config.retry_attempts,
        "http_headers": {**config.headers, "User-Agent": config.user_agent},
    }
    if config.proxy:
        params["proxy"] = config.proxy
    if config.cookies_file:
        cookies = Path(config.cookies_file).expanduser()
        if not cookies.is_file():
            raise VdpError(ErrorCode.IO_ERROR, f"Cookies file not found: {cookies}")
        params["cookiefile"] = str(cookies)
    if config.ffmpeg_path:
        params["ffmpeg_location"] = config.ffmpeg_path
    return params


async def in_extraction_pool(fn: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(_extraction_pool, fn, *args)

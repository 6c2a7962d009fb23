"""Which engine runs a task: by the task's `downloader_type`, decided once by routing when the task was added.

Engines are built on first use: yt-dlp alone takes longer to import than a small download takes to finish.
"""

from __future__ import annotations

from typing import Any, Callable

from ..contract import DownloaderType, VideoTask


def _http() -> Any:
    from .http import HttpEngine

    return HttpEngine()


def _hls() -> Any:
    from .hls import HlsEngine

    return HlsEngine()


def _ytdlp() -> Any:
    from .ytdlp import YtDlpEngine

    return YtDlpEngine()


_FACTORIES: dict[DownloaderType, Callable[[], Any]] = {
    DownloaderType.HTTP: _http,
    DownloaderType.M3U8: _hls,
    DownloaderType.YOUTUBE: _ytdlp,
}


class EngineRegistry:
    def __init__(self) -> None:
        self._engines: dict[DownloaderType, Any] = {}

    def for_task(self, task: VideoTask) -> Any:
        kind = task.downloader_type or DownloaderType.HTTP
        engine = self._engines.get(kind)
        if engine is None:
            engine = self._engines[kind] = _FACTORIES[kind]()
        return engine

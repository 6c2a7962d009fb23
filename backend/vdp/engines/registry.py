"""Which engine runs a task: by the task's `downloader_type`, decided once by routing when the task was added."""

from __future__ import annotations

from typing import Any

from ..contract import DownloaderType, VideoTask
from .hls import HlsEngine
from .http import HttpEngine
from .ytdlp import YtDlpEngine


class EngineRegistry:
    def __init__(self) -> None:
        self._engines: dict[DownloaderType, Any] = {
            DownloaderType.HTTP: HttpEngine(),
            DownloaderType.M3U8: HlsEngine(),
            DownloaderType.YOUTUBE: YtDlpEngine(),
        }

    def for_task(self, task: VideoTask) -> Any:
        kind = task.downloader_type or DownloaderType.HTTP
        return self._engines[kind]

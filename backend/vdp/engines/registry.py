"""Which engine runs a task: by the task's `downloader_type`, decided once by routing when the task was added."""

from __future__ import annotations

from typing import Any

from ..contract import DownloaderType, VideoTask
from .http import HttpEngine


class EngineRegistry:
    def __init__(self) -> None:
        self._engines: dict[DownloaderType, Any] = {DownloaderType.HTTP: HttpEngine()}
        try:
            from .hls import HlsEngine
        except ImportError:  # the HLS engine lands separately; until then such tasks fail clearly
            pass
        else:
            self._engines[DownloaderType.M3U8] = HlsEngine()
        try:
            from .ytdlp import YtDlpEngine
        except ImportError:
            pass
        else:
            self._engines[DownloaderType.YOUTUBE] = YtDlpEngine()

    def for_task(self, task: VideoTask) -> Any:
        kind = task.downloader_type or DownloaderType.HTTP
        engine = self._engines.get(kind)
        if engine is None:
            from ..contract import ErrorCode
            from ..errors import VdpError

            raise VdpError(ErrorCode.INTERNAL, f"No engine available for {kind.value} downloads")
        return engine

"""Which engine runs a task: by the task's `downloader_type`, decided once by routing when the task was added.

Engines are built on first use: yt-dlp alone takes longer to import than a small download takes to finish.
"""

from __future__ import annotations

from typing import Callable

from ..contract import VideoTask
from . import names
from .base import TransferEngine


def _http() -> TransferEngine:
    from .http import HttpEngine

    return HttpEngine()


def _hls() -> TransferEngine:
    from .hls import HlsEngine

    return HlsEngine()


def _ytdlp() -> TransferEngine:
    from .ytdlp import YtDlpEngine

    return YtDlpEngine()


_FACTORIES: dict[str, Callable[[], TransferEngine]] = {names.HTTP: _http, names.HLS: _hls, names.YTDLP: _ytdlp}


class EngineRegistry:
    def __init__(self) -> None:
        self._engines: dict[str, TransferEngine] = {}

    def for_task(self, task: VideoTask) -> TransferEngine:
        name = names.engine_name(task.downloader_type)
        engine = self._engines.get(name)
        if engine is None:
            engine = self._engines[name] = _FACTORIES[name]()
        return engine

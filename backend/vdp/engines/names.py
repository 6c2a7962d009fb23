"""One name per engine. The contract's `DownloaderType` (`Http`, `M3u8`, `Youtube`) stays on the wire as the original
spelled it; inside the backend an engine is called by its folder's name (engines/http, engines/hls, engines/ytdlp) —
in progress cells, logs and checkpoints (`meta["engine"]`). `ENGINE_OF` is the one map between the two."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Mapping, Optional

from ..contract import DownloaderType

HTTP: Final = "http"
HLS: Final = "hls"
YTDLP: Final = "ytdlp"

ENGINE_OF: Final[Mapping[DownloaderType, str]] = MappingProxyType({
    DownloaderType.HTTP: HTTP,
    DownloaderType.M3U8: HLS,
    DownloaderType.YOUTUBE: YTDLP,
})


def engine_name(kind: Optional[DownloaderType]) -> str:
    """The engine that runs a task of this type; a task without one is a direct download."""
    return ENGINE_OF[kind or DownloaderType.HTTP]

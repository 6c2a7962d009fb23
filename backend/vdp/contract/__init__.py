"""The wire contract: every model that crosses the bridge. The single source of truth for the TS types.

The bridge's argument models, the import reports and the YouTube models are loaded on first use: the runtime and
`vdp get` never need them, and building them is ≈ 25 ms of every start."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._wire import UtcDateTime, WireEnum, WireModel, format_utc, utc_now
from .config import AdvancedConfig, AppConfig, DownloadConfig, SystemConfig, UiConfig, YoutubeConfig
from .errors import RETRYABLE_CODES, CommandErrorBody, ErrorCode, ErrorKind
from .events import (
    EVENT_PAYLOADS,
    DebugTestEvent,
    DownloadMetricsEvent,
    DownloadProgressEvent,
    EventMessage,
    ProtocolMetrics,
    RuntimeWarningEvent,
    TaskAddedEvent,
    TaskRemovedEvent,
    TaskStatusChangedEvent,
    TaskUpdatedEvent,
)
from .system import (
    FolderCheck,
    HealthReport,
    NetworkSpeed,
    QueueDepths,
    RuntimeState,
    SessionSummary,
    StorageState,
    StorageStatus,
    SystemInfo,
    TaskRuntimeState,
)
from .tasks import (
    CreateTaskRequest,
    DownloaderType,
    DownloadStats,
    ImportedData,
    ProgressUpdate,
    TaskStatus,
    VideoInfo,
    VideoTask,
)

if TYPE_CHECKING:
    from .commands import *  # noqa: F401,F403  (the argument models: see commands.__all__)
    from .imports import (
        EncodingDetection,
        FileFormat,
        ImportPreview,
        ImportReconciliation,
        ImportResult,
        ImportStatistics,
        SupportedFormat,
        SupportedFormats,
    )
    from .youtube import SubtitleTrack, VideoFormat, YoutubeVideoInfo

_ON_FIRST_USE = (".commands", ".imports", ".youtube")


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # asked by tools probing the module, never a model
        raise AttributeError(name)
    for module in _ON_FIRST_USE:
        found = getattr(import_module(module, __name__), name, None)
        if found is not None:
            globals()[name] = found  # the next lookup is an ordinary one
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

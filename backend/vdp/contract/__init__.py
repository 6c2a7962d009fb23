"""The wire contract: every model that crosses the bridge. The single source of truth for the TS types."""

from ._wire import UtcDateTime, WireEnum, WireModel, format_utc, utc_now
from .commands import *  # noqa: F401,F403  (the argument models: see commands.__all__)
from .config import AdvancedConfig, AppConfig, DownloadConfig, SystemConfig, UiConfig, YoutubeConfig
from .errors import RETRYABLE_CODES, ErrorCode
from .events import (
    EVENT_PAYLOADS,
    DebugTestEvent,
    DownloadMetricsEvent,
    DownloadProgressEvent,
    EventMessage,
    ProtocolMetrics,
    RuntimeWarningEvent,
    TaskAddedEvent,
    TaskUpdatedEvent,
    TaskRemovedEvent,
    TaskStatusChangedEvent,
)
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
from .system import HealthReport, NetworkSpeed, QueueDepths, RuntimeState, SessionSummary, SystemInfo, TaskRuntimeState
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
from .youtube import SubtitleTrack, VideoFormat, YoutubeVideoInfo

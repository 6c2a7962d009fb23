"""Events from the backend to the UI (docs/contract.md, "Events"), one model per event, and the batch envelope."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import Field

from ._wire import WireModel
from .errors import ErrorCode
from .queue import QueueState, TasksReorderedEvent
from .tasks import DownloadStats, TaskStatus, VideoTask


class DownloadProgressEvent(WireModel):
    task_id: str
    downloaded: int
    total: Optional[int] = None
    instantaneous_speed: float = 0.0
    smoothed_speed: float = 0.0
    eta_secs: Optional[int] = None
    # legacy twins (ProgressUpdate)
    downloaded_size: int
    total_size: Optional[int] = None
    speed: float = 0.0
    eta: Optional[int] = None
    progress: float = Field(default=0.0, description="Fraction 0-1")


class ProtocolMetrics(WireModel):
    active: int = 0
    speed: float = 0.0


class DownloadMetricsEvent(WireModel):
    active: int = 0
    queued: int = 0
    avg_speed: float = 0.0
    per_protocol: dict[str, ProtocolMetrics] = Field(default_factory=dict)
    paused: int = 0
    completed: int = 0
    failed: int = 0
    total: int = 0
    total_speed: float = 0.0
    worker_utilization: float = 0.0
    pending: int = 0
    cancelled: int = 0
    downloaded_bytes: int = 0


class TaskStatusChangedEvent(WireModel):
    task_id: str
    from_: Optional[TaskStatus] = Field(default=None, alias="from")
    to: TaskStatus
    error: Optional[str] = None
    status: TaskStatus
    error_message: Optional[str] = None
    error_code: Optional[ErrorCode] = None  # v2: stable code of error_message, for translation


class RuntimeWarningEvent(WireModel):
    code: ErrorCode
    message: str
    task_id: Optional[str] = None
    attempt: Optional[int] = None
    max_attempts: Optional[int] = None


class TaskAddedEvent(VideoTask):
    """The full task, so the UI never has to poll for new rows."""


class TaskUpdatedEvent(VideoTask):
    """The full task after a change that is not a status change (its title found from the link, priority, folder)."""


class TaskRemovedEvent(WireModel):
    task_id: str


class DebugTestEvent(WireModel):
    message: str
    task_id: str


# Event name on the wire -> payload model. Bare values (bool, str) for the original lifecycle events.
EVENT_PAYLOADS: dict[str, Any] = {
    "download_progress": DownloadProgressEvent,
    "download_metrics": DownloadMetricsEvent,
    "task_status_changed": TaskStatusChangedEvent,
    "runtime_warning": RuntimeWarningEvent,
    "task_added": TaskAddedEvent,
    "task_updated": TaskUpdatedEvent,
    "task_removed": TaskRemovedEvent,
    "download_stats": DownloadStats,
    "debug_test_event": DebugTestEvent,
    "download_manager_ready": bool,
    "download_manager_error": str,
    "app_ready": bool,
    # v2, the course workspace (docs/contract.md)
    "tasks_reordered": TasksReorderedEvent,
    "queue_state_changed": QueueState,
}


class EventMessage(WireModel):
    """One element of a pushed batch: `{event, payload}`."""

    event: str
    payload: Any

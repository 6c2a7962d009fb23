"""System, diagnostics and session models (original-contract.md §3.3 and the v2 diagnostics commands)."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import UtcDateTime, WireModel
from .tasks import TaskStatus


class NetworkSpeed(WireModel):
    download: float = 0.0
    upload: float = 0.0


class SystemInfo(WireModel):
    cpu_usage: float
    memory_usage: float
    disk_usage: float
    network_speed: NetworkSpeed
    active_downloads: int


class QueueDepths(WireModel):
    interactive: int = 0
    automatic: int = 0
    retry: int = 0


class TaskRuntimeState(WireModel):
    task_id: str
    status: TaskStatus
    queue: Optional[str] = Field(default=None, description="interactive, automatic, retry, or null when not queued")
    slot_reserved: bool = False
    attempt: int = 0
    worker: Optional[int] = None


class RuntimeState(WireModel):
    runtime: str
    backlog_running: bool
    concurrency: int
    active: int
    reserved_slots: int
    queues: QueueDepths
    command_queue_depth: int
    command_queue_capacity: int
    worker_utilization: float
    tasks: list[TaskRuntimeState] = Field(default_factory=list)


class HealthReport(WireModel):
    ok: bool
    runtime: str
    uptime_secs: float
    queues: QueueDepths
    command_queue_depth: int
    worker_utilization: float
    disk_write_bytes_per_sec: float
    events_per_sec: float
    event_subscribers: int
    lagged_subscribers: int
    loop_lag_ms: float
    database_ok: bool


class SessionSummary(WireModel):
    """What the restart found, for the recovery banner (contract-decisions.md §3)."""

    continuable: int = 0
    waiting: int = 0
    failed: int = 0
    completed: int = 0
    total: int = 0
    recovered_at: Optional[UtcDateTime] = None

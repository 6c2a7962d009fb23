"""System, diagnostics and session models (docs/contract.md, "Our commands")."""

from __future__ import annotations

from enum import Enum
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


class FolderCheck(WireModel):
    """`check_download_folder`: whether downloads can go to a folder, before the user saves it."""

    path: str = Field(description="The folder as it would be stored (absolute, `~` expanded)")
    usable: bool
    exists: bool
    writable: bool = Field(description="Writable, or creatable when it does not exist yet")
    problem: Optional[str] = Field(default=None, description="Why it is not usable, for a person")


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


class StorageState(str, Enum):
    OK = "ok"
    RECOVERED = "recovered"  # a malformed task list was kept aside as a copy at start; this one is new
    UNWRITABLE = "unwritable"  # changes are not being saved (disk full, read-only, locked, damaged)
    VANISHED = "vanished"  # the file was deleted or replaced while the app ran; the list lives on in memory


class StorageStatus(WireModel):
    """The task database as the user must know it (the storage banner; docs/security.md, "The task list")."""

    ok: bool = Field(description="false while changes are not being saved (unwritable, vanished)")
    state: StorageState
    message: Optional[str] = Field(default=None, description="what happened and what to do; null when state is ok")
    path: str
    moved_aside_to: Optional[str] = Field(default=None, description="the copy of a malformed task list kept at start")
    last_backup: Optional[str] = Field(default=None, description="the newest backup (or rescue copy) of the task list")


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
    storage: StorageStatus


class SessionSummary(WireModel):
    """What the restart found, for the recovery banner (docs/architecture.md, "Statuses and queues")."""

    continuable: int = 0
    waiting: int = 0
    failed: int = 0
    completed: int = 0
    total: int = 0
    recovered_at: Optional[UtcDateTime] = None

"""The figures the bridge asks for (stats, metrics, runtime state), computed from the task list and the jobs."""

from __future__ import annotations

from collections import Counter
from typing import Collection

from ..contract import (
    DownloadMetricsEvent,
    DownloadStats,
    ProtocolMetrics,
    QueueDepths,
    RuntimeState,
    TaskRuntimeState,
    TaskStatus,
    VideoTask,
)
from ._job import Job


def download_stats(tasks: Collection[VideoTask], jobs: Collection[Job]) -> DownloadStats:
    """The original's `DownloadStats` (docs/contract.md)."""
    counts = Counter(t.status for t in tasks)
    speeds = [t.speed for t in tasks if t.status == TaskStatus.DOWNLOADING]
    return DownloadStats(
        total_tasks=len(tasks), completed_tasks=counts[TaskStatus.COMPLETED], failed_tasks=counts[TaskStatus.FAILED],
        total_downloaded=sum(t.downloaded_size for t in tasks if t.status == TaskStatus.COMPLETED),
        average_speed=sum(speeds) / len(speeds) if speeds else 0.0, active_downloads=len(jobs),
    )


def download_metrics(tasks: Collection[VideoTask], jobs: Collection[Job], concurrency: int) -> DownloadMetricsEvent:
    """The v2 metrics shape, computed on request (v1 never publishes it): health and the debug dump use it."""
    per_protocol: dict[str, ProtocolMetrics] = {}
    for cell in (job.cell for job in jobs if job.cell is not None):
        entry = per_protocol.setdefault(cell.protocol, ProtocolMetrics())
        entry.active += 1
        entry.speed += cell.smoothed
    total_speed = sum(entry.speed for entry in per_protocol.values())
    counts = Counter(t.status for t in tasks)
    active = len(jobs)
    return DownloadMetricsEvent(
        active=active, queued=0, avg_speed=total_speed / active if active else 0.0, per_protocol=per_protocol,
        paused=counts[TaskStatus.PAUSED], completed=counts[TaskStatus.COMPLETED], failed=counts[TaskStatus.FAILED],
        total=len(tasks),
        total_speed=total_speed, worker_utilization=_utilization(jobs, concurrency), pending=counts[TaskStatus.PENDING],
        cancelled=counts[TaskStatus.CANCELLED], downloaded_bytes=sum(t.downloaded_size for t in tasks),
    )


def runtime_state(jobs: Collection[Job], concurrency: int, waiting_commands: int) -> RuntimeState:
    """No queues and no reservations in v1: only the running jobs, and the commands waiting for the lock."""
    rows = [TaskRuntimeState(task_id=job.task.id, status=job.task.status, attempt=job.attempt) for job in jobs]
    return RuntimeState(
        runtime="v1", backlog_running=False, concurrency=concurrency, active=len(jobs), reserved_slots=0,
        queues=QueueDepths(), command_queue_depth=waiting_commands, command_queue_capacity=0,
        worker_utilization=_utilization(jobs, concurrency), tasks=rows,
    )


def _utilization(jobs: Collection[Job], concurrency: int) -> float:
    return min(1.0, len(jobs) / concurrency)

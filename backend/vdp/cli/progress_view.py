"""The terminal progress display of `vdp get`: one bar per file and a total, with bytes, speed and ETA."""

from __future__ import annotations

from typing import Any, Optional

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from ..contract import TaskStatus, VideoTask


class ProgressView:
    def __init__(self, tasks: list[Optional[VideoTask]]) -> None:
        self._progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
                                  TransferSpeedColumn(), TimeRemainingColumn(), transient=False)
        self._rows: dict[str, TaskID] = {}
        self._sizes: dict[str, tuple[int, Optional[int]]] = {}
        self._total = self._progress.add_task("total", total=None)
        for task in tasks:
            if task is not None:
                self._rows[task.id] = self._progress.add_task(task.title[:40], total=task.file_size,
                                                              completed=task.downloaded_size)
        self._progress.start()

    def update(self, event: Any) -> None:
        payload = event.payload
        if event.name == "download_progress":
            row = self._rows.get(payload.task_id)
            if row is not None:
                self._progress.update(row, completed=payload.downloaded, total=payload.total)
                self._sizes[payload.task_id] = (payload.downloaded, payload.total)
                done = sum(d for d, _ in self._sizes.values())
                totals = [t for _, t in self._sizes.values() if t is not None]
                self._progress.update(self._total, completed=done,
                                      total=sum(totals) if len(totals) == len(self._sizes) else None)
        elif event.name == "task_status_changed":
            row = self._rows.get(payload.task_id)
            if row is not None and payload.to in (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED):
                self._progress.update(row, description=f"{self._progress.tasks[row].description} [{payload.to.value}]")
                if payload.to == TaskStatus.COMPLETED:
                    task = self._progress.tasks[row]
                    self._progress.update(row, completed=task.total or task.completed)

    def close(self) -> None:
        self._progress.stop()

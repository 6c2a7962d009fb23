"""Running totals over the task list, kept as statuses change, so that `get_download_stats` (polled by every
window) and the metrics never walk 10,000 tasks on the command loop (that walk was most of their 50 ms under load)."""

from __future__ import annotations

from collections import Counter

from ..contract import TaskStatus, VideoTask
from .lifecycle import ACTIVE


class StatusTally:
    """How many tasks are in each status, which ones run, and their bytes.

    The runtime tells it of every task added (`add`), every status change (`move`, before the task's status is
    set) and every task removed (`remove`). A task's `downloaded_size` is noted at each of these: it changes without
    a status change only while the task runs (progress), so the bytes of the tasks at rest are a running sum and
    only the running ones (`active`, at most the concurrency) are read live."""

    def __init__(self) -> None:
        self.counts: Counter[TaskStatus] = Counter()
        self.active: set[str] = set()  # ids of the tasks in an ACTIVE status
        self.downloading: set[str] = set()
        self.completed_bytes = 0
        self.resting_bytes = 0  # downloaded_size summed over the tasks not in `active`
        self._noted: dict[str, int] = {}  # downloaded_size of each task at rest, as noted

    def add(self, task: VideoTask) -> None:
        self._enter(task, task.status)

    def move(self, task: VideoTask, to: TaskStatus) -> None:
        self.remove(task)
        self._enter(task, to)

    def remove(self, task: VideoTask) -> None:
        status = task.status
        self.counts[status] -= 1
        self.active.discard(task.id)
        self.downloading.discard(task.id)
        noted = self._noted.pop(task.id, 0)
        self.resting_bytes -= noted
        if status == TaskStatus.COMPLETED:
            self.completed_bytes -= noted

    def _enter(self, task: VideoTask, status: TaskStatus) -> None:
        self.counts[status] += 1
        if status in ACTIVE:
            self.active.add(task.id)
            if status == TaskStatus.DOWNLOADING:
                self.downloading.add(task.id)
            return
        size = task.downloaded_size
        self._noted[task.id] = size
        self.resting_bytes += size
        if status == TaskStatus.COMPLETED:
            self.completed_bytes += size

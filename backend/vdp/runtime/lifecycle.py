"""The task lifecycle: every legal status transition, in one table (docs/architecture.md, "Statuses and queues")."""

from __future__ import annotations

from ..contract import TaskStatus

# from -> the statuses it may move to. `Pending` again after Downloading means "waiting for a retry".
# Active statuses may become Paused directly only through restart recovery (the worker died with the process).
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.PENDING: frozenset({TaskStatus.SCHEDULED, TaskStatus.PAUSED, TaskStatus.CANCELLED, TaskStatus.FAILED}),
    TaskStatus.SCHEDULED: frozenset({TaskStatus.DOWNLOADING, TaskStatus.PAUSED, TaskStatus.PENDING,
                                     TaskStatus.CANCELLED, TaskStatus.FAILED}),
    TaskStatus.DOWNLOADING: frozenset({TaskStatus.PAUSING, TaskStatus.PAUSED, TaskStatus.COMPLETING,
                                       TaskStatus.PENDING, TaskStatus.FAILED, TaskStatus.CANCELLED}),
    TaskStatus.PAUSING: frozenset({TaskStatus.PAUSED, TaskStatus.COMPLETING, TaskStatus.FAILED, TaskStatus.CANCELLED}),
    TaskStatus.PAUSED: frozenset({TaskStatus.SCHEDULED, TaskStatus.CANCELLED, TaskStatus.FAILED}),
    # Paused: recovery after a crash, or a pause that stopped the finishing step; Cancelled: a cancel that did.
    TaskStatus.COMPLETING: frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.PAUSED,
                                      TaskStatus.CANCELLED}),
    TaskStatus.COMPLETED: frozenset(),
    TaskStatus.FAILED: frozenset({TaskStatus.SCHEDULED, TaskStatus.PENDING, TaskStatus.CANCELLED}),
    TaskStatus.CANCELLED: frozenset({TaskStatus.SCHEDULED, TaskStatus.PENDING}),
}

# Statuses in which a worker owns the task (and therefore a concurrency slot).
ACTIVE = frozenset({TaskStatus.SCHEDULED, TaskStatus.DOWNLOADING, TaskStatus.PAUSING, TaskStatus.COMPLETING})
# Statuses from which a user start is accepted.
STARTABLE = frozenset({TaskStatus.PENDING, TaskStatus.PAUSED, TaskStatus.FAILED, TaskStatus.CANCELLED})


class IllegalTransition(Exception):
    def __init__(self, task_id: str, from_status: TaskStatus, to_status: TaskStatus) -> None:
        super().__init__(f"Task {task_id} cannot move from {from_status.value} to {to_status.value}")
        self.from_status = from_status
        self.to_status = to_status


def check_transition(task_id: str, from_status: TaskStatus, to_status: TaskStatus) -> None:
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(task_id, from_status, to_status)

"""The task lifecycle: every legal status transition, in one table (docs/architecture.md, "Statuses and queues")."""

from __future__ import annotations

from ..contract import TaskStatus as S

# from -> the statuses it may move to. `Pending` again after Downloading means "waiting for a retry".
# Active statuses may become Paused directly only through restart recovery (the worker died with the process).
TRANSITIONS: dict[S, frozenset[S]] = {
    S.PENDING: frozenset({S.SCHEDULED, S.PAUSED, S.CANCELLED, S.FAILED}),
    S.SCHEDULED: frozenset({S.DOWNLOADING, S.PAUSED, S.PENDING, S.CANCELLED, S.FAILED}),
    S.DOWNLOADING: frozenset({S.PAUSING, S.PAUSED, S.COMPLETING, S.PENDING, S.FAILED, S.CANCELLED}),
    S.PAUSING: frozenset({S.PAUSED, S.COMPLETING, S.FAILED, S.CANCELLED}),
    S.PAUSED: frozenset({S.SCHEDULED, S.CANCELLED, S.FAILED}),
    # Paused: recovery after a crash, or a pause that stopped the finishing step; Cancelled: a cancel that did.
    S.COMPLETING: frozenset({S.COMPLETED, S.FAILED, S.PAUSED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset({S.SCHEDULED, S.PENDING, S.CANCELLED}),
    S.CANCELLED: frozenset({S.SCHEDULED, S.PENDING}),
}

# Statuses in which a worker owns the task (and therefore a concurrency slot).
ACTIVE = frozenset({S.SCHEDULED, S.DOWNLOADING, S.PAUSING, S.COMPLETING})
# Statuses from which a user start is accepted.
STARTABLE = frozenset({S.PENDING, S.PAUSED, S.FAILED, S.CANCELLED})


class IllegalTransition(Exception):
    def __init__(self, task_id: str, from_status: S, to_status: S) -> None:
        super().__init__(f"Task {task_id} cannot move from {from_status.value} to {to_status.value}")
        self.from_status = from_status
        self.to_status = to_status


def check_transition(task_id: str, from_status: S, to_status: S) -> None:
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(task_id, from_status, to_status)

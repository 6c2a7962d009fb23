"""A batch of status changes is one statement: written in order, or (one row refused) not at all, whether its rows
are bound as parameters (the usual few) or sent as one JSON array (a batch past VALUES_ROWS)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from vdp.contract import TaskStatus, VideoTask
from vdp.storage.repository import VALUES_ROWS, TaskRepository, Transition


@pytest.mark.parametrize("count", [3, VALUES_ROWS + 5], ids=["parameters", "json-array"])
async def test_a_batch_of_status_changes_is_written_in_order_or_not_at_all(tmp_path: Path, count: int) -> None:
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    try:
        tasks = [VideoTask(id=f"t{n}", url=f"http://127.0.0.1:9/{n}", title=str(n), output_path=str(tmp_path))
                 for n in range(count)]
        await repo.insert_tasks([(repo.next_seq(), task) for task in tasks], "added")
        first, rest = tasks[0], tasks[1:]
        first.status = TaskStatus.DOWNLOADING  # two steps of one task in one batch, each with its own audit row
        for task in rest:
            task.status = TaskStatus.PAUSED
        await repo.record_transitions([Transition(first, TaskStatus.PENDING, "dispatched", TaskStatus.SCHEDULED),
                                       Transition(first, TaskStatus.SCHEDULED, "started", TaskStatus.DOWNLOADING)]
                                      + [Transition(task, TaskStatus.PENDING, "paused") for task in rest])
        assert (await repo.audit_trail("t0"))[1:] == [("status", "Pending", "Scheduled", "dispatched"),
                                                      ("status", "Scheduled", "Downloading", "started")]
        assert {t.id: t.status for t in await repo.load_tasks()} == {t.id: t.status for t in tasks}

        # The last row of the next batch is refused: none of the batch may stay.
        last = rest[-1].id
        await repo._db.execute(f"CREATE TEMP TRIGGER refuse BEFORE INSERT ON events WHEN NEW.task_id = '{last}'"
                               " BEGIN SELECT RAISE(ABORT, 'refused'); END")
        for task in tasks:
            task.status = TaskStatus.CANCELLED
        with pytest.raises(sqlite3.DatabaseError, match="refused"):
            await repo.record_transitions([Transition(first, TaskStatus.DOWNLOADING, "cancelled")]
                                          + [Transition(task, TaskStatus.PAUSED, "cancelled") for task in rest])
        assert len(await repo.audit_trail("t0")) == 3
        assert {t.id: t.status for t in await repo.load_tasks()} == {"t0": TaskStatus.DOWNLOADING,
                                                                     **{t.id: TaskStatus.PAUSED for t in rest}}
    finally:
        await repo.close()

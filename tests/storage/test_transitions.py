"""A batch of status changes (with the checkpoints of the same command-loop turn) is one statement: written in
order, or (one row refused) not at all, whether its rows are bound as parameters (the usual few) or sent as one JSON
array (a batch past VALUES_ROWS)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import AsyncIterator

import pytest

from vdp.contract import TaskStatus, VideoTask
from vdp.engines.base import Chunk, ResumeState
from vdp.storage.faults import StorageUnavailable
from vdp.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from vdp.storage.repository import VALUES_ROWS, TaskRepository, Transition


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[TaskRepository]:
    opened = await TaskRepository.open(tmp_path / "db.sqlite")
    try:
        yield opened
    finally:
        await opened.close()


async def _added(repo: TaskRepository, count: int, *, status: TaskStatus = TaskStatus.PENDING,
                 odd_id: tuple[int, str] | None = None) -> list[VideoTask]:
    """`count` tasks t0, t1, ... in the database; `odd_id` (number, id) gives one of them another id."""
    ids = [f"t{n}" for n in range(count)]
    if odd_id is not None:
        ids[odd_id[0]] = odd_id[1]
    tasks = [VideoTask(id=task_id, url=f"http://127.0.0.1:9/{n}", title=str(n), output_path="/tmp", status=status)
             for n, task_id in enumerate(ids)]
    await repo.insert_tasks([(repo.next_seq(), task) for task in tasks], "added")
    return tasks


@pytest.mark.parametrize("count", [3, VALUES_ROWS + 5], ids=["parameters", "json-array"])
async def test_a_batch_of_status_changes_is_written_in_order_or_not_at_all(repo: TaskRepository, count: int) -> None:
    tasks = await _added(repo, count)
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


@pytest.mark.parametrize("count", [2, VALUES_ROWS], ids=["parameters", "json-array"])
async def test_a_command_batch_writes_its_checkpoints_then_its_changes_in_one_statement(repo: TaskRepository,
                                                                                        count: int) -> None:
    """The runtime's commit: checkpoints first (so a Completed task's row drops its resume map after its last
    checkpoint, never before), and nothing of the batch stays when any row of it is refused."""
    tasks = await _added(repo, count, status=TaskStatus.DOWNLOADING)
    done, running = tasks[0], tasks[1:]
    done.status = TaskStatus.COMPLETED
    await repo.commit([(task, ResumeState({"part_name": "x.part"}, [Chunk(0, 0, 99, 40)])) for task in tasks],
                      [Transition(done, TaskStatus.DOWNLOADING, "verified")])
    assert (await repo.load_resume(done.id)).chunks == []  # its checkpoint came first, Completed dropped it
    for task in running:
        assert (await repo.load_resume(task.id)).chunks == [Chunk(0, 0, 99, 40)]
    assert (await repo.audit_trail(done.id))[-1] == ("status", "Downloading", "Completed", "verified")

    # A refused status row takes the batch's checkpoints with it.
    await repo._db.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON events"
                           " BEGIN SELECT RAISE(ABORT, 'refused'); END")
    for task in running:
        task.status = TaskStatus.PAUSED
    with pytest.raises(sqlite3.DatabaseError, match="refused"):
        await repo.commit([(task, ResumeState({}, [Chunk(0, 0, 99, 90)])) for task in running],
                          [Transition(task, TaskStatus.DOWNLOADING, "paused") for task in running])
    for task in running:
        assert (await repo.load_resume(task.id)).chunks == [Chunk(0, 0, 99, 40)]
    assert {t.id: t.status for t in await repo.load_tasks()} == {
        done.id: TaskStatus.COMPLETED, **{t.id: TaskStatus.DOWNLOADING for t in running}}


async def test_a_database_of_the_previous_schema_is_upgraded_with_its_tasks(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:  # as the previous version left it
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for migration in MIGRATIONS[:-1]:
            db.executescript(f"BEGIN; {migration} COMMIT;")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS) - 1,))
        task = VideoTask(id="kept", url="http://127.0.0.1:9/kept", title="kept", output_path=str(tmp_path),
                         status=TaskStatus.DOWNLOADING)
        db.execute("INSERT INTO tasks (id, seq, url, status, data) VALUES (?, 1, ?, ?, ?)",
                   (task.id, task.url, task.status.value, task.model_dump_json()))
    repo = await TaskRepository.open(path)
    try:
        assert [t.id for t in await repo.load_tasks()] == ["kept"]
        task.status = TaskStatus.PAUSED
        await repo.commit([(task, ResumeState({}, [Chunk(0, 0, 99, 10)]))],
                          [Transition(task, TaskStatus.DOWNLOADING, "paused")])
        assert (await repo.load_resume("kept")).chunks == [Chunk(0, 0, 99, 10)]
        assert [t.status for t in await repo.load_tasks()] == [TaskStatus.PAUSED]
    finally:
        await repo.close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)


async def test_a_big_batch_with_an_id_holding_a_nul_is_written_whole(repo: TaskRepository) -> None:
    """A batch past VALUES_ROWS goes as JSON, whose SQLite functions end a string at NUL: a client's own id holding
    one would lose its status change (the row it names would not be found)."""
    tasks = await _added(repo, VALUES_ROWS + 2, odd_id=(VALUES_ROWS, f"t{VALUES_ROWS}\x00client"))
    for task in tasks:
        task.status = TaskStatus.PAUSED
    await repo.commit(transitions=[Transition(task, TaskStatus.PENDING, "paused") for task in tasks])
    assert {t.id: t.status for t in await repo.load_tasks()} == {t.id: TaskStatus.PAUSED for t in tasks}
    assert (await repo.audit_trail(f"t{VALUES_ROWS}\x00client"))[-1] == ("status", "Pending", "Paused", "paused")


async def test_a_migration_that_fails_leaves_the_database_at_the_last_one_that_committed(tmp_path: Path) -> None:
    """Migrations 2 and 3 in one open, the last refused (here a name it creates is taken; a crash or a full disk do
    the same): the version says what was committed, so the next open runs migration 3 only and succeeds. Counted
    once at the end, it said 1, and the next open ran migration 2 again (its views exist): never opened again."""
    path = tmp_path / "db.sqlite"
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        db.executescript(f"BEGIN; {MIGRATIONS[0]} COMMIT;")
        db.execute("INSERT INTO schema_version (version) VALUES (1)")
        db.execute("CREATE TABLE task_commit (x)")
    with pytest.raises(StorageUnavailable, match="task_commit already exists"):
        await TaskRepository.open(path)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        assert db.execute("SELECT version FROM schema_version").fetchone() == (len(MIGRATIONS) - 1,)
        db.execute("DROP TABLE task_commit")
    repo = await TaskRepository.open(path)
    await repo.close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)

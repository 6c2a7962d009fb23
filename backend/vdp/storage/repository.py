"""The task repository: SQLite (WAL) behind a small async API. One connection, so writes are serialised.

Status changes and their audit rows are committed together; callers publish events only after these
methods return (docs/architecture.md, "Storage").
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Awaitable, Iterable, Optional, Sequence, TypeVar

import aiosqlite

from ..contract import ErrorCode, StorageStatus, TaskStatus, VideoTask, format_utc, utc_now
from ..engines.base import Chunk, ResumeState
from .backups import backup_folder, copy_open_database
from .faults import MalformedDatabase
from .monitor import StorageMonitor
from .opening import LOCK_WAIT, open_database

log = logging.getLogger(__name__)
T = TypeVar("T")
ROW_SLICE = 200  # tasks serialised between two turns of the event loop: 10,000 in one go held it for 0.2-0.4 s


@dataclass(slots=True)
class Transition:
    task: VideoTask
    from_status: Optional[TaskStatus]
    cause: str
    to_status: Optional[TaskStatus] = None  # None: the task's status (a batch may hold several steps of a task)


class TaskRepository:
    def __init__(self, db: aiosqlite.Connection, path: Path, moved_aside_to: Optional[Path]) -> None:
        self._db = db
        self.path = path
        # What the user must be told about this file: a malformed one kept aside at open, writes failing, the file
        # vanishing while open (storage/monitor.py).
        self.monitor = StorageMonitor(path, moved_aside_to)
        self._seq = 0
        self._write_lock = asyncio.Lock()
        self._rescues: set[asyncio.Task[None]] = set()
        self.monitor.subscribe(self._on_storage_trouble)

    @classmethod
    async def open(cls, path: Path, *, lock_wait: float = LOCK_WAIT) -> "TaskRepository":
        """Refuses with `StorageUnavailable` (the file untouched) unless the database can be read and written;
        a file SQLite reports as malformed is kept as a copy and a fresh one started (storage/opening.py)."""
        db, kept = await open_database(path, lock_wait=lock_wait)
        repo = cls(db, path, kept)
        async with db.execute("SELECT COALESCE(MAX(seq), 0) FROM tasks") as cursor:
            row = await cursor.fetchone()
            repo._seq = row[0] if row else 0  # an aggregate always answers one row
        return repo

    async def close(self) -> None:
        await self.rescues_done()
        if self.monitor.look():
            await self._rescue(final=True)
        await self._db.close()

    # -- a database gone from under the app ---------------------------------------------------

    async def rescues_done(self) -> None:
        """Wait for the copies started when the file was found gone (tests, and `close`)."""
        await asyncio.gather(*self._rescues, return_exceptions=True)

    def _on_storage_trouble(self, code: ErrorCode, status: StorageStatus) -> None:
        if code is ErrorCode.DATABASE_VANISHED:
            rescue = asyncio.get_running_loop().create_task(self._rescue(final=False), name="storage-rescue")
            self._rescues.add(rescue)
            rescue.add_done_callback(self._rescues.discard)

    async def _rescue(self, *, final: bool) -> None:
        """Save what the open connection still holds: at the end, back at the database's own path when nothing
        took its place; otherwise (and at once, on discovery) into the backups folder, never over another file."""
        folder = backup_folder(self.path)
        targets = [self.path] if final else []
        when = "final" if final else "found"
        targets.append(folder / f"tasks-rescued-{time.strftime('%Y%m%d-%H%M%S')}-{when}.sqlite")
        for target in targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                # Never inside another coroutine's transaction: the copy would wait for it on the very thread that
                # has to finish it.
                async with self._write_lock:
                    copy = await copy_open_database(self._db, target)
            except (sqlite3.Error, OSError) as exc:
                log.error("could not save the task list to %s: %s", target, exc)
                continue
            log.warning("the task list as the app holds it was saved to %s", copy)
            self.monitor.note_rescue(copy)
            return

    # -- reads ---------------------------------------------------------------------------------

    async def load_tasks(self) -> list[VideoTask]:
        async with self._db.execute("SELECT data FROM tasks ORDER BY seq") as cursor:
            return [VideoTask.model_validate_json(row[0]) async for row in cursor]

    async def load_resume(self, task_id: str) -> ResumeState:
        # execute_fetchall: one round trip to the connection thread per query (a cursor costs four)
        rows = list(await self._db.execute_fetchall("SELECT resume_meta FROM tasks WHERE id = ?", (task_id,)))
        meta = json.loads(rows[0][0]) if rows and rows[0][0] else {}
        chunks = await self._db.execute_fetchall(
            "SELECT idx, start, end_, done FROM task_chunks WHERE task_id = ? ORDER BY idx", (task_id,))
        return ResumeState(meta=meta, chunks=[Chunk(index=r[0], start=r[1], end=r[2], done=r[3]) for r in chunks])

    async def durable_bytes(self) -> dict[str, int]:
        """Bytes each task's chunk map claims: the only figure that survived a crash (the task row's progress
        may have been written ahead of the last checkpoint)."""
        rows = await self._db.execute_fetchall("SELECT task_id, SUM(done) FROM task_chunks GROUP BY task_id")
        return {task_id: done for task_id, done in rows}

    async def integrity_check(self) -> str:
        """"ok", or what is wrong (also when SQLite cannot even read the file any more). Damage found here is
        reported like a failed write: a file overwritten in place keeps its inode, so only reading it tells."""
        self.monitor.look()
        try:
            async with self._db.execute("PRAGMA integrity_check") as cursor:
                row = await cursor.fetchone()
                verdict = str(row[0]) if row else "no answer"
        except sqlite3.Error as exc:
            self.monitor.write_failed(exc)
            return f"error: {exc}"
        if verdict != "ok":
            self.monitor.write_failed(MalformedDatabase(f"integrity_check: {verdict}"))
        return verdict

    async def audit_trail(self, task_id: str) -> list[tuple[str, Optional[str], Optional[str], Optional[str]]]:
        async with self._db.execute(
            "SELECT kind, from_status, to_status, cause FROM events WHERE task_id = ? ORDER BY id", (task_id,)
        ) as cursor:
            return [tuple(row) async for row in cursor]

    async def task_history(self, task_id: str, limit: int = 200) -> list[tuple[str, str, Optional[str], Optional[str],
                                                                               Optional[str]]]:
        """The task's last `limit` audit rows, oldest first: (ts, kind, from_status, to_status, cause)."""
        rows = await self._db.execute_fetchall(
            "SELECT ts, kind, from_status, to_status, cause FROM"
            " (SELECT * FROM events WHERE task_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id", (task_id, limit))
        return [tuple(row) for row in rows]

    # -- writes --------------------------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    async def insert_tasks(self, tasks: list[tuple[int, VideoTask]], cause: str) -> None:
        now = format_utc(utc_now())
        rows, events = [], []
        has_nul = False
        for start in range(0, len(tasks), ROW_SLICE):  # a slice at a time, the event loop free between slices
            if start:
                await asyncio.sleep(0)
            for seq, t in tasks[start:start + ROW_SLICE]:
                status = t.status.value
                rows.append((t.id, seq, t.url, status, t.model_dump_json()))
                events.append((t.id, status))
                has_nul = has_nul or "\x00" in t.id or "\x00" in t.url
        if has_nul:
            # SQLite's JSON functions end a string at an embedded NUL (a client may make its own ids): a stored id cut
            # short would never be found again, so such a batch is bound as it is, a row at a time.
            async with self._transaction():
                await self._db.executemany("INSERT INTO tasks (id, seq, url, status, data) VALUES (?, ?, ?, ?, ?)",
                                           rows)
                await self._db.executemany("INSERT INTO events (ts, task_id, kind, to_status, cause)"
                                           " VALUES (?, ?, 'added', ?, ?)", [(now, i, s, cause) for i, s in events])
            return
        # One statement per table, the rows in one JSON argument: executemany steps SQLite once per row, and each step
        # lets go of the interpreter lock and takes it back, which kept the event loop's thread waiting for it.
        async with self._transaction():
            await self._db.execute(
                "INSERT INTO tasks (id, seq, url, status, data) SELECT json_extract(value, '$[0]'),"
                " json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'),"
                " json_extract(value, '$[4]') FROM json_each(?) ORDER BY key", (json.dumps(rows),))
            await self._db.execute(
                "INSERT INTO events (ts, task_id, kind, to_status, cause) SELECT ?, json_extract(value, '$[0]'),"
                " 'added', json_extract(value, '$[1]'), ? FROM json_each(?) ORDER BY key",
                (now, cause, json.dumps(events)))

    async def commit(self, checkpoints: Sequence[tuple[VideoTask, ResumeState]] = (),
                     transitions: Iterable[Transition] = ()) -> None:
        """The checkpoints, then each status change with its audit row (a trigger does both; a Completed task also
        drops its resume map there), in one statement: all of it commits or none. One round trip to the connection
        thread per command-loop batch: on a busy machine a trip costs the loop's commit pipeline some 1.5 ms of
        waiting for the thread to be scheduled and the interpreter lock, where the SQL takes 50 µs."""
        now = format_utc(utc_now())
        transitions = list(transitions)
        # A task changed twice in one batch is serialised once: every row of it carries its latest state.
        data = {tr.task.id: tr.task.model_dump_json() for tr in transitions}
        rows: list[tuple[str, str, *tuple[object, ...]]] = [
            ("checkpoint", task.id, None, None, None, None, task.model_dump_json(), json.dumps(resume.meta),
             json.dumps([(c.index, c.start, c.end, c.done) for c in resume.chunks]))
            for task, resume in checkpoints]
        rows += [("transition", tr.task.id, now, tr.from_status.value if tr.from_status else None,
                  (tr.to_status or tr.task.status).value, tr.cause, data[tr.task.id], None, None)
                 for tr in transitions]
        if not rows:
            return
        if len(rows) > VALUES_ROWS and any("\x00" in task_id for _, task_id, *_ in rows):
            # SQLite's JSON functions end a string at an embedded NUL (a client may make its own ids): a big batch
            # holding such an id is bound as it is, a slice at a time, in one transaction.
            async with self._transaction():
                for start in range(0, len(rows), VALUES_ROWS):
                    await self._db.execute(*_commit_insert(rows[start:start + VALUES_ROWS]))
            return
        await self._outside_transactions()
        await self._written(self._db.execute(*_commit_insert(rows)))

    async def record_transitions(self, transitions: Iterable[Transition]) -> None:
        await self.commit(transitions=transitions)

    async def save_checkpoints(self, checkpoints: Sequence[tuple[VideoTask, ResumeState]]) -> None:
        """Each task's row, the engine's metadata and the chunk map."""
        await self.commit(checkpoints)

    async def reorder_tasks(self, order: list[str]) -> None:
        """Store a new list order (`move_tasks`): the tasks' own `seq` values, handed out again in `order`, so the
        next task added still comes last. Only the rows whose place changed are written."""
        rows = await self._db.execute_fetchall("SELECT id, seq FROM tasks")
        current = {task_id: seq for task_id, seq in rows}
        ids = [task_id for task_id in order if task_id in current]
        seqs = sorted(current[task_id] for task_id in ids)
        changed = [(seq, task_id) for task_id, seq in zip(ids, seqs) if current[task_id] != seq]
        if changed:
            async with self._transaction():
                await self._db.executemany("UPDATE tasks SET seq = ? WHERE id = ?", changed)

    async def save_tasks(self, tasks: Iterable[VideoTask]) -> None:
        """Persist field changes that are not status transitions (priority, output folder, progress)."""
        async with self._transaction():
            await self._db.executemany(
                "UPDATE tasks SET data = ? WHERE id = ?", [(t.model_dump_json(), t.id) for t in tasks]
            )

    async def clear_resume(self, task_id: str) -> None:
        async with self._transaction():
            await self._db.execute("UPDATE tasks SET resume_meta = NULL WHERE id = ?", (task_id,))
            await self._db.execute("DELETE FROM task_chunks WHERE task_id = ?", (task_id,))

    async def delete_tasks(self, task_ids: list[str], cause: str) -> None:
        now = format_utc(utc_now())
        async with self._transaction():
            await self._db.executemany("DELETE FROM tasks WHERE id = ?", [(i,) for i in task_ids])
            await self._db.executemany(
                "INSERT INTO events (ts, task_id, kind, cause) VALUES (?, ?, 'removed', ?)",
                [(now, i, cause) for i in task_ids],
            )

    async def _outside_transactions(self) -> None:
        """Before a single-statement write: it commits by itself, so it needs no turn of its own (the connection
        thread runs statements in order), but it must not land inside another coroutine's open transaction. Queue the
        statement right after this returns, with no await in between."""
        while self._write_lock.locked():
            async with self._write_lock:
                pass

    async def _written(self, write: Awaitable[T], *, commits: bool = True) -> T:
        """Run a write, telling the monitor whether the file took it. A statement that `commits` nothing (BEGIN)
        reports only its failure: on a full disk BEGIN still succeeds, and taking that for a recovery would flip the
        health back to OK and warn again at every retried COMMIT."""
        try:
            result = await write
        except (sqlite3.Error, OSError) as exc:
            self.monitor.write_failed(exc)
            raise
        if commits:
            self.monitor.wrote()
        return result

    def _transaction(self) -> "_Transaction":
        return _Transaction(self, self._write_lock)


_COMMIT = "INSERT INTO task_commit (kind, task_id, ts, from_status, to_status, cause, data, resume_meta, chunks)"
_COLUMNS = 9
VALUES_ROWS = 256  # rows bound as plain parameters, 9 each (SQLite takes up to 32,766 in one statement)


def _commit_insert(rows: Sequence[tuple[object, ...]]) -> tuple[str, list[object]]:
    """One INSERT for the whole batch, its rows in order. The usual batch (the few checkpoints and status changes of
    one command-loop turn) is bound as parameters: encoding it as JSON to take it apart again in SQLite cost the loop
    more than the write. A bigger one (cancel all of 10,000 tasks) goes as one JSON array, past the limit on
    parameters."""
    if len(rows) <= VALUES_ROWS:
        values = ", ".join([f"({', '.join(['?'] * _COLUMNS)})"] * len(rows))
        return f"{_COMMIT} VALUES {values}", [v for r in rows for v in r]
    fields = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(_COLUMNS))
    return f"{_COMMIT} SELECT {fields} FROM json_each(?) ORDER BY key", [json.dumps(rows)]


class _Transaction:
    """One write transaction at a time: coroutines share the connection, so BEGINs must not interleave."""

    def __init__(self, repo: TaskRepository, lock: asyncio.Lock) -> None:
        self._repo = repo
        self._lock = lock

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            await self._repo._written(self._repo._db.execute("BEGIN IMMEDIATE"), commits=False)
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        try:
            if exc_type is None:
                try:
                    await self._repo._written(self._repo._db.execute("COMMIT"))
                except (sqlite3.Error, OSError):
                    await self._rollback()
                    raise
            else:
                if isinstance(exc, (sqlite3.Error, OSError)):
                    self._repo.monitor.write_failed(exc)
                await self._rollback()
        finally:
            self._lock.release()

    async def _rollback(self) -> None:
        try:
            await self._repo._db.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:  # SQLite may have rolled back by itself (e.g. on SQLITE_FULL)
            log.debug("rollback: %s", exc)

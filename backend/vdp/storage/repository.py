"""The task repository: SQLite (WAL) behind a small async API. One connection, so writes are serialised.

Status changes and their audit rows are committed together; callers publish events only after these
methods return (contract-decisions.md §8).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import aiosqlite

from ..contract import TaskStatus, VideoTask, format_utc, utc_now
from ..engines.base import Chunk, ResumeState
from .migrations import DatabaseTooNew, migrate

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Transition:
    task: VideoTask
    from_status: Optional[TaskStatus]
    cause: str
    to_status: Optional[TaskStatus] = None  # None: the task's status (a batch may hold several steps of a task)


class TaskRepository:
    def __init__(self, db: aiosqlite.Connection, path: Path, recovered_from: Optional[Path]) -> None:
        self._db = db
        self.path = path
        # Set when a corrupt database was moved aside at open; the UI tells the user where it went.
        self.recovered_from = recovered_from
        self._seq = 0
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> "TaskRepository":
        path.parent.mkdir(parents=True, exist_ok=True)
        moved: Optional[Path] = None
        try:
            db = await cls._connect(path)
        except DatabaseTooNew:
            raise
        except sqlite3.DatabaseError as exc:
            moved = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            log.error("database %s is unreadable (%s); moved to %s", path, exc, moved)
            path.rename(moved)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            db = await cls._connect(path)
        repo = cls(db, path, moved)
        async with db.execute("SELECT COALESCE(MAX(seq), 0) FROM tasks") as cursor:
            repo._seq = (await cursor.fetchone())[0]
        return repo

    @staticmethod
    async def _connect(path: Path) -> aiosqlite.Connection:
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA foreign_keys=ON")
            async with db.execute("PRAGMA quick_check") as cursor:
                verdict = (await cursor.fetchone())[0]
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {verdict}")
            await migrate(db)
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        await self._db.close()

    # -- reads ---------------------------------------------------------------------------------

    async def load_tasks(self) -> list[VideoTask]:
        async with self._db.execute("SELECT data FROM tasks ORDER BY seq") as cursor:
            return [VideoTask.model_validate_json(row[0]) async for row in cursor]

    async def load_resume(self, task_id: str) -> ResumeState:
        # execute_fetchall: one round trip to the connection thread per query (a cursor costs four)
        rows = await self._db.execute_fetchall("SELECT resume_meta FROM tasks WHERE id = ?", (task_id,))
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
        async with self._db.execute("PRAGMA integrity_check") as cursor:
            return (await cursor.fetchone())[0]

    async def audit_trail(self, task_id: str) -> list[tuple[str, Optional[str], Optional[str], Optional[str]]]:
        async with self._db.execute(
            "SELECT kind, from_status, to_status, cause FROM events WHERE task_id = ? ORDER BY id", (task_id,)
        ) as cursor:
            return [tuple(row) async for row in cursor]  # type: ignore[misc]

    # -- writes --------------------------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    async def insert_tasks(self, tasks: list[tuple[int, VideoTask]], cause: str) -> None:
        now = format_utc(utc_now())
        async with self._transaction():
            await self._db.executemany(
                "INSERT INTO tasks (id, seq, url, status, data) VALUES (?, ?, ?, ?, ?)",
                [(t.id, seq, t.url, t.status.value, t.model_dump_json()) for seq, t in tasks],
            )
            await self._db.executemany(
                "INSERT INTO events (ts, task_id, kind, to_status, cause) VALUES (?, ?, 'added', ?, ?)",
                [(now, t.id, t.status.value, cause) for _, t in tasks],
            )

    async def record_transitions(self, transitions: Iterable[Transition]) -> None:
        """Each status change with its audit row (a trigger does both; a Completed task also drops its resume map
        there). One statement for the whole batch, so it commits entirely or not at all."""
        now = format_utc(utc_now())
        transitions = list(transitions)
        # A task changed twice in one batch is serialised once: every row of it carries its latest state.
        data = {tr.task.id: tr.task.model_dump_json() for tr in transitions}
        rows = [(tr.task.id, now, tr.from_status.value if tr.from_status else None,
                 (tr.to_status or tr.task.status).value, tr.cause, data[tr.task.id]) for tr in transitions]
        await self._outside_transactions()
        await self._db.execute(
            "INSERT INTO task_transition (task_id, ts, from_status, to_status, cause, data)"
            " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),"
            " json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]')"
            " FROM json_each(?) ORDER BY key", (json.dumps(rows),))

    async def save_tasks(self, tasks: Iterable[VideoTask]) -> None:
        """Persist field changes that are not status transitions (priority, output folder, progress)."""
        async with self._transaction():
            await self._db.executemany(
                "UPDATE tasks SET data = ? WHERE id = ?", [(t.model_dump_json(), t.id) for t in tasks]
            )

    async def save_checkpoint(self, task: VideoTask, resume: ResumeState) -> None:
        """The task row, the engine's metadata and the chunk map, replaced atomically in one statement."""
        chunks = json.dumps([(c.index, c.start, c.end, c.done) for c in resume.chunks])
        await self._outside_transactions()
        await self._db.execute(
            "INSERT INTO task_checkpoint (task_id, data, resume_meta, chunks) VALUES (?, ?, ?, ?)",
            (task.id, task.model_dump_json(), json.dumps(resume.meta), chunks))

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

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db, self._write_lock)


class _Transaction:
    """One write transaction at a time: coroutines share the connection, so BEGINs must not interleave."""

    def __init__(self, db: aiosqlite.Connection, lock: asyncio.Lock) -> None:
        self._db = db
        self._lock = lock

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            await self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        try:
            await self._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self._lock.release()

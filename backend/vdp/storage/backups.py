"""Online backups of the task list with SQLite's backup API, into `<data dir>/backups/`.

One at start (unless the newest is younger than an hour, so a string of short `vdp get` runs cannot push the
older ones out) and one a day while the app runs; the newest `KEEP` are kept. Each is a consistent snapshot taken
through a read-only connection of its own on a worker thread: the event loop and the app's own database connection
never wait for it. A backup is written to a `.tmp` name, fsynced, then renamed, so a crash never leaves a
half-written file under a backup's name.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Callable, Optional

import aiosqlite

from ..engines.durability import fsync_files, fsync_folder
from ..engines.scope import run_to_end

log = logging.getLogger(__name__)

KEEP = 5
EVERY = 24 * 3600.0
FRESH_FOR = 3600.0  # a backup younger than this makes the start-up one unnecessary
_ROUTINE = "tasks-[0-9]*.sqlite"


def backup_folder(database: Path) -> Path:
    return database.parent / "backups"


def newest_backup(folder: Path) -> Optional[Path]:
    found = sorted(folder.glob(_ROUTINE))
    return found[-1] if found else None


def take_backup(database: Path, folder: Path, keep: int = KEEP) -> Path:
    """Blocking: snapshot `database` into `folder` and drop all but the newest `keep` routine backups."""
    folder.mkdir(exist_ok=True)
    target = folder / f"tasks-{_stamp()}.sqlite"
    # mode=ro: a database that has gone from its path is not quietly created empty and backed up.
    with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as source:
        _write_atomically(target, lambda copy: source.backup(copy))
    for old in sorted(folder.glob(_ROUTINE))[:-keep]:
        old.unlink(missing_ok=True)
    for stale in folder.glob("tasks-*.sqlite.tmp"):  # left by a process killed mid-copy (not one still copying)
        if time.time() - stale.stat().st_mtime > FRESH_FOR:
            stale.unlink(missing_ok=True)
    return target


async def copy_open_database(db: aiosqlite.Connection, target: Path) -> Path:
    """A snapshot of the app's own open connection (also of a file since unlinked from its path) at `target`.
    An existing `target` is left alone: FileExistsError."""
    tmp = target.with_name(f"{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    copy = sqlite3.connect(tmp, check_same_thread=False)
    try:
        # Runs on the app connection's own thread, between the app's statements; to its end even when cancelled:
        # closing the target under a running copy crashes SQLite.
        await run_to_end(db.backup(copy))
    finally:
        copy.close()
    await asyncio.to_thread(_publish, tmp, target, replace_nothing=True)
    return target


def _write_atomically(target: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    tmp = target.with_name(f"{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with closing(sqlite3.connect(tmp)) as copy:
        fill(copy)
    _publish(tmp, target, replace_nothing=False)


def _publish(tmp: Path, target: Path, replace_nothing: bool) -> None:
    fsync_files([tmp])
    if replace_nothing:
        try:
            os.link(tmp, target)  # fails if anything is there: never replaces a file
        finally:
            tmp.unlink(missing_ok=True)
    else:
        os.replace(tmp, target)
    fsync_folder(target.parent)


def _stamp(now_ns: Optional[int] = None) -> str:
    """The backup's name part, from one reading of the clock: the names sort as the backups were taken, and the
    oldest are the ones dropped. (Read twice, the second and the microseconds could straddle a second: a backup made
    at 12:59:38.0002 was named 12:59:37-000248, sorted before the backups of 12:59:37, and the newest were dropped.)"""
    seconds, nanoseconds = divmod(time.time_ns() if now_ns is None else now_ns, 1_000_000_000)
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(seconds)) + f"-{nanoseconds // 1000:06d}"


class BackupSchedule:
    """The start-up and daily backups of one database; `run` is the app's background task for it."""

    def __init__(self, database: Path, on_backup: Callable[[Path], None], *, keep: int = KEEP,
                 every: float = EVERY, fresh_for: float = FRESH_FOR) -> None:
        self.database = database
        self.folder = backup_folder(database)
        self._on_backup = on_backup
        self._keep = keep
        self._every = every
        self._fresh_for = fresh_for
        self.started = asyncio.Event()  # set once the start-up backup is made (or found unnecessary, or failed)

    async def run(self) -> None:
        newest = await asyncio.to_thread(newest_backup, self.folder)
        if newest is not None:
            self._on_backup(newest)
        if newest is None or time.time() - newest.stat().st_mtime >= self._fresh_for:
            await self.backup_now()
        self.started.set()
        while True:
            await asyncio.sleep(self._every)
            await self.backup_now()

    async def backup_now(self) -> Optional[Path]:
        copying = asyncio.ensure_future(asyncio.to_thread(take_backup, self.database, self.folder, self._keep))
        try:
            made = await asyncio.shield(copying)
        except asyncio.CancelledError:
            # Stopping: let the copy finish first. Its connection open while the app's closes would keep SQLite
            # from folding the WAL back into the file, and a thread cannot be interrupted anyway.
            await asyncio.wait([copying])
            if not copying.exception():
                self._on_backup(copying.result())
            raise
        except (sqlite3.Error, OSError) as exc:
            log.warning("backup of the task list %s into %s failed: %s", self.database, self.folder, exc)
            return None
        log.info("task list backed up to %s", made)
        self._on_backup(made)
        return made

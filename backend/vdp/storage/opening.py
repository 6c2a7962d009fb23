"""Opening the task database without ever losing it.

* Another process holds a lock: SQLite's busy timeout waits up to `lock_wait` seconds, then the start is refused
  with a message naming the lock. The file is not touched.
* Disk full, read-only, cannot open: the start is refused with a message saying what to do. Not touched either.
* SQLite itself reports the file as malformed (SQLITE_CORRUPT, SQLITE_NOTADB, or `PRAGMA quick_check`): the file
  and its `-wal`/`-shm` are copied to `tasks.sqlite.corrupt-<stamp>` (+`-wal`/`-shm`, so SQLite pairs them when the
  copy is opened), each copy fsynced and compared with its original (a hard link where the disk has no room for a
  copy), all before the failed connection closes; only then, once it is closed (Windows cannot delete a file SQLite
  holds open), are the original names freed and a fresh database started in their place.
"""

from __future__ import annotations

import asyncio
import filecmp
import logging
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Optional

import aiosqlite

from ..engines.durability import fsync_files, fsync_folder
from .faults import Fault, MalformedDatabase, StorageUnavailable, classify, refusal
from .migrations import migrate

log = logging.getLogger(__name__)

LOCK_WAIT = 5.0  # seconds another process's lock is waited out, at start and on every write
_COMPANIONS = ("-wal", "-shm")


async def open_database(path: Path, *, lock_wait: float = LOCK_WAIT) -> tuple[aiosqlite.Connection, Optional[Path]]:
    """The connection, and where a malformed file was kept (None when nothing was)."""
    db = await _connect(path, lock_wait)
    try:
        await _prepare(db)
    except (sqlite3.Error, OSError) as exc:
        fault = classify(exc, path)
        if fault is not Fault.CORRUPT:
            await db.close()
            raise _refused(exc, path, fault) from None
        try:
            # Kept while the failed connection is still open: closing the last connection lets SQLite checkpoint
            # the WAL into the file and delete it, which would destroy the very tasks being kept.
            kept = await asyncio.to_thread(keep_aside, path)
        except OSError as failure:
            raise _refused(failure, path) from None
        finally:
            await db.close()
        try:
            await asyncio.to_thread(free_names, path)
        except OSError as failure:
            raise _refused(failure, path) from None
        log.error("the task list %s is malformed (%s); it was kept as %s and a new list started", path, exc, kept)
    except BaseException:
        await db.close()
        raise
    else:
        return db, None
    fresh = await _connect(path, lock_wait)
    try:
        await _prepare(fresh)
    except BaseException as exc:
        await fresh.close()
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise _refused(exc, path) from None
        raise
    return fresh, kept


async def _connect(path: Path, lock_wait: float) -> aiosqlite.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return await aiosqlite.connect(path, isolation_level=None, timeout=lock_wait)
    except (sqlite3.Error, OSError) as exc:
        raise _refused(exc, path) from None


def _refused(exc: BaseException, path: Path, fault: Optional[Fault] = None) -> StorageUnavailable:
    if fault is None:  # classified once: it may probe the folder (a file written and removed) and its free space
        fault = classify(exc, path)
    log.error("cannot open the task list %s (%s: %s); it was left as it is", path, fault.value, exc)
    return refusal(fault, exc, path)


async def _prepare(db: aiosqlite.Connection) -> None:
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=NORMAL")
    await db.execute("PRAGMA foreign_keys=ON")
    async with db.execute("PRAGMA quick_check") as cursor:
        row = await cursor.fetchone()
        verdict = row[0] if row else "no answer"
    if verdict != "ok":
        raise MalformedDatabase(f"quick_check: {verdict}")
    await migrate(db)
    # Prove the app can write before it shows a list it could not keep: waits out another process's write lock
    # (the busy timeout), and fails on a read-only file.
    await db.execute("BEGIN IMMEDIATE")
    await db.execute("ROLLBACK")


def keep_aside(path: Path) -> Path:
    """Keep the database and its companions under a `.corrupt-<stamp>` name. Each is copied, fsynced and compared;
    where the disk has no room for a copy, a hard link (which needs none) keeps the bytes instead."""
    target = _unused(path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"))
    present = [suffix for suffix in ("", *_COMPANIONS) if Path(f"{path}{suffix}").exists()]
    for suffix in present:
        original, kept = Path(f"{path}{suffix}"), Path(f"{target}{suffix}")
        try:
            shutil.copyfile(original, kept)
            fsync_files([kept])
            if not filecmp.cmp(original, kept, shallow=False):
                raise OSError(f"the copy {kept} differs from {original}")
        except OSError as exc:
            log.warning("could not copy %s (%s); keeping it by a hard link instead", original, exc)
            kept.unlink(missing_ok=True)
            os.link(original, kept)
    fsync_folder(path.parent)
    return target


def free_names(path: Path) -> None:
    """Remove the database and its companions, all kept aside before (`keep_aside`), for a fresh one; the WAL and
    its index first, so a database is never left beside a WAL that is not its own."""
    for suffix in reversed(("", *_COMPANIONS)):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _unused(candidate: Path) -> Path:
    n = 1
    chosen = candidate
    while any(Path(f"{chosen}{suffix}").exists() for suffix in ("", *_COMPANIONS)):
        n += 1
        chosen = candidate.with_name(f"{candidate.name}-{n}")
    return chosen

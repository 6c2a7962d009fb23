"""Power-loss ordering: the database never claims bytes that are not durably in the data file.

1. A model of the page cache watches the HTTP engine's `.part` writes: `pwrite` puts bytes in the cache,
   a successful `fsync` makes them durable, a failed one loses them (Linux may drop dirty pages after an fsync
   error). Every checkpoint the repository commits is checked against the durable bytes.
2. gopeed's trick: snapshot the database mid-download, let the download advance, SIGKILL, put the older
   snapshot back and resume: the file must still come out byte-identical.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.support.appkit import AppKit
from tests.support.database import claimed_bytes, open_database
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import TaskStatus
from vdp.engines.base import ResumeState

from .test_crash_recovery import _durable_checkpoint, _run, _vdp

MIB = 1 << 20


class PageCache:
    """Which byte ranges of `.part` files have been written, and which of them an fsync made durable."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, fail_fsync: set[int] = frozenset()) -> None:
        self.pending: dict[str, list[tuple[int, int]]] = {}
        self.durable: dict[str, list[tuple[int, int]]] = {}
        self.fsyncs = 0
        self.failed = 0
        self.checked = 0
        self.violations: list[str] = []
        self._fail = set(fail_fsync)  # which `.part` fsyncs (1-based) fail with EIO
        self._pwrite, self._fsync = os.pwrite, os.fsync
        monkeypatch.setattr(os, "pwrite", self.pwrite)
        monkeypatch.setattr(os, "fsync", self.fsync)

    @staticmethod
    def _part(fd: int) -> str | None:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return None
        return target if target.endswith(".part") else None

    def pwrite(self, fd: int, data: Any, offset: int) -> int:
        written = self._pwrite(fd, data, offset)
        if (path := self._part(fd)) is not None:
            self.pending.setdefault(path, []).append((offset, offset + written))
        return written

    def fsync(self, fd: int) -> None:
        path = self._part(fd)
        if path is None:
            return self._fsync(fd)
        self.fsyncs += 1
        if self.fsyncs in self._fail:
            self.failed += 1
            self.pending.pop(path, None)  # what the kernel could not write back is gone
            raise OSError(errno.EIO, "Input/output error")
        self._fsync(fd)
        self.durable.setdefault(path, []).extend(self.pending.pop(path, []))

    def is_durable(self, path: str, start: int, end: int) -> bool:
        """[start, end) is covered by durable ranges."""
        position = start
        for low, high in sorted(self.durable.get(path, [])):
            if low <= position < high:
                position = high
            if position >= end:
                return True
        return position >= end

    def check(self, folder: Path, state: ResumeState) -> None:
        part = state.meta.get("part_name")
        if not part:
            return
        path = str((folder / part).resolve())
        self.checked += 1
        for chunk in state.chunks:
            if chunk.done and not self.is_durable(path, chunk.start, chunk.start + chunk.done):
                self.violations.append(f"checkpoint claims {chunk.start}+{chunk.done} of {part}, not durable")


def _watch_checkpoints(kit: AppKit, cache: PageCache) -> None:
    repo = kit.app.repo
    commit = repo.commit

    async def checked(checkpoints: list[tuple[Any, ResumeState]], transitions: list[Any]) -> None:
        for task, state in checkpoints:
            cache.check(Path(task.output_path), state)  # before the commit: what it is about to claim
        await commit(checkpoints, transitions)

    repo.commit = checked  # type: ignore[method-assign]


def _claimed(kit: AppKit) -> int:
    with open_database(kit.app.paths.database) as db:
        return claimed_bytes(db)


async def test_every_committed_checkpoint_is_durable(kit: AppKit, server: FaultServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PageCache(monkeypatch)
    _watch_checkpoints(kit, cache)
    await kit.configure(max_connections_per_download=4)
    data = make_payload(12 * MIB, seed=31)
    server.add_file("/f.bin", data, rate=1 * MIB)
    task = await kit.download(server.url("/f.bin"))
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert cache.checked >= 3 and cache.fsyncs >= 3  # the model saw the engine's rhythm
    assert cache.violations == []


async def test_a_failed_fsync_is_never_followed_by_a_claim(kit: AppKit, server: FaultServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """After fsync fails, the bytes written since the last good one may be gone: they must not be claimed,
    the task fails with a clear io_error, and a new start completes the file from what was durable."""
    cache = PageCache(monkeypatch, fail_fsync={3})
    _watch_checkpoints(kit, cache)
    await kit.configure(max_connections_per_download=1)
    data = make_payload(12 * MIB, seed=32)
    server.add_file("/f.bin", data, rate=4 * MIB)
    task = await kit.download(server.url("/f.bin"))
    assert cache.failed == 1
    assert cache.violations == []
    assert task.status == TaskStatus.FAILED and task.error_message, task.status
    assert "Input/output error" in task.error_message or "IO error" in task.error_message
    assert _claimed(kit) < len(data)

    await kit.call("start_download", taskId=task.id, restart=True)
    task = await kit.finish(task.id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert cache.violations == []


async def test_a_checkpoint_that_cannot_be_committed_loses_nothing(kit: AppKit, server: FaultServer) -> None:
    """The database write itself fails once (between the data write and the commit): the task may fail, but
    the database still describes only durable bytes, and the next start finishes a byte-identical file."""
    repo = kit.app.repo
    commit = repo.commit
    failures = []

    async def fail_once(checkpoints: list[tuple[Any, ResumeState]], transitions: list[Any]) -> None:
        durable = sum(state.durable_bytes for _, state in checkpoints)
        if durable and not failures:
            failures.append(durable)
            raise sqlite3.OperationalError("disk I/O error")
        await commit(checkpoints, transitions)

    repo.commit = fail_once  # type: ignore[method-assign]
    await kit.configure(max_connections_per_download=2)
    data = make_payload(8 * MIB, seed=33)
    server.add_file("/f.bin", data, rate=4 * MIB)
    task = await kit.download(server.url("/f.bin"))
    assert failures, "the fault was injected"
    if task.status != TaskStatus.COMPLETED:
        assert task.status == TaskStatus.FAILED and task.error_message
        await kit.call("start_download", taskId=task.id, restart=True)
        task = await kit.finish(task.id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert await repo.integrity_check() == "ok"


def _backup(database: Path, target: Path) -> int:
    """A consistent copy of the live database (SQLite's backup API); returns the bytes it claims."""
    with open_database(database) as source, open_database(target) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever the source's mode
        return claimed_bytes(copy)


@pytest.mark.parametrize("connections", [1, 8])
async def test_resuming_from_an_older_database_snapshot_is_byte_identical(tmp_path: Path, server: FaultServer,
                                                                         connections: int) -> None:
    size = 16 * MIB
    data = make_payload(size, seed=40 + connections)
    server.add_file("/course.mp4", data, rate=4 * MIB // connections)
    data_dir, out = tmp_path / "data", tmp_path / "out"
    database = data_dir / "tasks.sqlite"
    get = ("get", server.url("/course.mp4"), "-o", str(out), "--json", "--connections", str(connections))

    proc = await _vdp(data_dir, *get)
    try:
        await server.wait_for_bytes_sent("/course.mp4", 2 * MIB)
        await _durable_checkpoint(database)
        older = _backup(database, tmp_path / "snapshot.sqlite")
        await server.wait_for_bytes_sent("/course.mp4", older + 4 * MIB)
        newer = older
        while newer < older + 3 * MIB:  # the download moved on and said so durably
            await asyncio.sleep(0.05)
            newer = _backup(database, tmp_path / "newer.sqlite")
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    assert 0 < older < newer < size

    shutil.copyfile(tmp_path / "snapshot.sqlite", database)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    _, listing = await _run(data_dir, "list")
    assert f"\t{older}/{size}\t" in listing, listing  # the restored snapshot is what the app now believes

    await _run(data_dir, *get)
    (result,) = out.iterdir()
    assert sha256_of(result) == sha256_of(data)

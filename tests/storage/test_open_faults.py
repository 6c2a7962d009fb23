"""Opening the task list (D1): only a file SQLite reports as malformed is ever moved aside, and then as a verified
copy with its WAL; a lock is waited out and then refused; a read-only or full disk refuses the start. Real SQLite
files, a real second connection holding the lock, real read-only and full tmpfs mounts."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import aiosqlite
import pytest

from tests.storage.conftest import MountFactory, corrupt_copies, fill, fingerprints, remount
from tests.support.appkit import running_app
from tests.support.database import open_database
from tests.support.payload import make_payload
from vdp.contract import ErrorCode
from vdp.storage import opening
from vdp.storage.faults import StorageUnavailable
from vdp.storage.repository import TaskRepository

REPO_ROOT = Path(__file__).resolve().parents[2]
VDP = Path(sys.executable).parent / "vdp"

# A task written by an app that then dies: it lives only in the WAL (SQLite checkpoints at 1000 pages or on close).
WAL_WRITER = """
import asyncio, os, sys
from vdp.app import Application
from vdp.bridge.invoke import invoke
from vdp.paths import AppPaths

async def main():
    app = Application(AppPaths.resolve(sys.argv[1]))
    await app.start()
    await invoke(app, "add_download_tasks", {"tasks": [
        {"id": "only-in-wal", "url": "http://127.0.0.1:9/lecture.mp4", "title": "t", "output_path": sys.argv[2]}]})
    os._exit(0)

asyncio.run(main())
"""


def _task_ids(database: Path) -> set[str]:
    with open_database(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM tasks")}


async def _make_list(data: Path, *ids: str) -> None:
    async with running_app(data) as kit:
        await kit.call("add_download_tasks", tasks=[
            {"id": i, "url": f"http://127.0.0.1:9/{i}.mp4", "title": i, "output_path": str(kit.out)} for i in ids])


def _vdp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(VDP), "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)


# -- malformed files: kept as a copy, a new list started ---------------------------------------------------------


async def test_a_garbage_file_and_its_wal_are_copied_aside_byte_for_byte(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    parts = {"": make_payload(40_000, seed=1), "-wal": make_payload(9_000, seed=2),
             "-shm": make_payload(32_768, seed=3)}
    for suffix, content in parts.items():
        Path(f"{data / 'tasks.sqlite'}{suffix}").write_bytes(content)
    async with running_app(data) as kit:
        info = await kit.call("get_app_info")
        storage = info["storage"]
        assert storage["state"] == "recovered" and storage["ok"] is True
        kept = Path(storage["moved_aside_to"])
        assert kept.name.startswith("tasks.sqlite.corrupt-") and str(kept) in storage["message"]
        for suffix in ("", "-wal"):
            assert Path(f"{kept}{suffix}").read_bytes() == parts[suffix]
        assert Path(f"{kept}-shm").exists()  # the WAL's index: SQLite rewrites it on every open, so no byte promise
        assert await kit.call("get_download_tasks") == []
        health = await kit.call("health")
        assert health["database_ok"] is True and health["storage"]["state"] == "recovered"


async def test_a_truncated_database_is_kept_as_a_copy_and_a_new_one_started(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _make_list(data, *[f"t{i}" for i in range(300)])
    database = data / "tasks.sqlite"
    with open(database, "r+b") as handle:
        handle.truncate(os.path.getsize(database) // 2)
    truncated = database.read_bytes()
    async with running_app(data) as kit:
        [kept] = corrupt_copies(database)
        assert kept.read_bytes() == truncated
        assert (await kit.call("get_app_info"))["storage"]["moved_aside_to"] == str(kept)
        assert await kit.call("get_download_tasks") == []


async def test_the_malformed_files_are_removed_only_once_sqlite_has_closed_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows cannot delete a file SQLite holds open: the originals go after the failed connection is closed (and
    after every copy was made, before it)."""
    data = tmp_path / "data"
    data.mkdir()
    for suffix, seed in (("", 4), ("-wal", 5)):
        Path(f"{data / 'tasks.sqlite'}{suffix}").write_bytes(make_payload(20_000, seed=seed))
    steps: list[str] = []
    close, unlink, keep_aside = aiosqlite.Connection.close, Path.unlink, opening.keep_aside

    async def closing_connection(db: aiosqlite.Connection) -> None:
        steps.append("close")
        await close(db)

    def removing(path: Path, missing_ok: bool = False) -> None:
        if path.name.startswith("tasks.sqlite") and ".corrupt-" not in path.name:
            steps.append(f"remove {path.name}")
        unlink(path, missing_ok=missing_ok)

    def keeping(path: Path) -> Path:
        steps.append("keep")
        return keep_aside(path)

    monkeypatch.setattr(aiosqlite.Connection, "close", closing_connection)
    monkeypatch.setattr(Path, "unlink", removing)
    monkeypatch.setattr(opening, "keep_aside", keeping)
    async with running_app(data) as kit:
        assert (await kit.call("get_app_info"))["storage"]["state"] == "recovered"
        assert steps[:2] == ["keep", "close"], steps
        assert set(steps[2:5]) == {"remove tasks.sqlite", "remove tasks.sqlite-wal", "remove tasks.sqlite-shm"}


# -- locked by another process: wait, then refuse; never touched --------------------------------------------------


async def test_a_locked_database_is_refused_untouched_and_its_wal_only_task_survives(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-c", WAL_WRITER, str(data), str(tmp_path / "out")], check=True, timeout=60,
                   cwd=REPO_ROOT)
    database = data / "tasks.sqlite"
    assert os.path.getsize(f"{database}-wal") > 0
    assert "only-in-wal" not in _main_file_ids(database, tmp_path)
    before = fingerprints(database)

    with closing(sqlite3.connect(database, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageUnavailable) as refused:
            await TaskRepository.open(database, lock_wait=0.3)
        assert refused.value.code is ErrorCode.DATABASE_LOCKED
        assert "locked by another process" in str(refused.value) and str(database) in str(refused.value)
        assert fingerprints(database) == before and corrupt_copies(database) == []
        other.execute("ROLLBACK")
        # Opened while the other connection is still there, so its close cannot have merged the WAL yet.
        async with running_app(data) as kit:
            assert [t["id"] for t in await kit.call("get_download_tasks")] == ["only-in-wal"]
    assert corrupt_copies(database) == []


def _main_file_ids(database: Path, scratch: Path) -> set[str]:
    """The tasks of the main file alone, read from a copy without the WAL."""
    alone = scratch / "main-only.sqlite"
    alone.write_bytes(database.read_bytes())
    try:
        return _task_ids(alone)
    except sqlite3.OperationalError:  # not even the tables made it into the main file
        return set()


async def test_a_lock_released_while_waiting_lets_the_start_go_on(tmp_path: Path) -> None:
    data = tmp_path / "data"
    await _make_list(data, "kept")
    database = data / "tasks.sqlite"
    with closing(sqlite3.connect(database, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        opening = asyncio.create_task(TaskRepository.open(database, lock_wait=30))
        await asyncio.sleep(0.3)  # nothing to wait on: SQLite's busy handler gives no signal while it waits
        assert not opening.done()
        other.execute("ROLLBACK")
        repo = await opening
    try:
        assert [t.id for t in await repo.load_tasks()] == ["kept"]
        assert repo.monitor.status().state.value == "ok"
    finally:
        await repo.close()


def test_the_cli_names_the_other_process_lock_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    asyncio.run(_make_list(data, "kept"))
    database = data / "tasks.sqlite"
    before = fingerprints(database)
    with closing(sqlite3.connect(database, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        done = _vdp(data, "list")  # waits out the lock (5 s), then refuses
        assert fingerprints(database) == before and corrupt_copies(database) == []
        other.execute("ROLLBACK")
    assert done.returncode == 3, done.stderr
    assert "locked by another process" in done.stderr and "Traceback" not in done.stderr
    assert "kept" in _vdp(data, "list").stdout


# -- read-only and full disks: a clear refusal, never a rename -----------------------------------------------------


async def test_a_read_only_data_folder_refuses_the_start_and_keeps_the_list(tmpfs: MountFactory) -> None:
    disk = tmpfs("disk", "size=16m")
    data = disk / "data"
    await _make_list(data, "a", "b")
    before = fingerprints(data / "tasks.sqlite")
    remount(disk, "ro")
    with pytest.raises(StorageUnavailable) as refused:
        async with running_app(data):
            pass
    assert refused.value.code is ErrorCode.DATABASE_READ_ONLY and "cannot be written" in str(refused.value)
    with pytest.raises(StorageUnavailable) as refused_open:  # the repository on its own says the same
        await TaskRepository.open(data / "tasks.sqlite", lock_wait=0.3)
    assert refused_open.value.code is ErrorCode.DATABASE_READ_ONLY
    for command in (["list"], ["serve", "--port", "0"]):
        done = _vdp(data, *command)
        assert done.returncode == 3, (command, done.stdout, done.stderr)
        assert "cannot be written" in done.stderr and "Traceback" not in done.stderr, done.stderr
    if shutil.which("xvfb-run"):  # the desktop window refuses the same way, before any window opens
        done = subprocess.run(["xvfb-run", "-a", str(VDP), "--data-dir", str(data), "desktop"],
                              capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
        assert done.returncode == 3 and "cannot be written" in done.stderr and "Traceback" not in done.stderr
    fresh = _vdp(disk / "new-data", "list")  # a data folder that cannot even be made
    assert fresh.returncode == 3 and "cannot be created" in fresh.stderr and "Traceback" not in fresh.stderr
    remount(disk, "rw")
    assert fingerprints(data / "tasks.sqlite") == before and corrupt_copies(data / "tasks.sqlite") == []
    assert _task_ids(data / "tasks.sqlite") == {"a", "b"}


def test_a_read_only_folder_by_permissions_refuses_the_start(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod does not stop root from writing (the read-only mount test covers it)")
    data = tmp_path / "data"
    asyncio.run(_make_list(data, "a"))
    before = fingerprints(data / "tasks.sqlite")
    data.chmod(0o555)
    try:
        done = _vdp(data, "list")
    finally:
        data.chmod(0o755)
    assert done.returncode == 3 and "cannot be written" in done.stderr and "Traceback" not in done.stderr
    assert fingerprints(data / "tasks.sqlite") == before


async def test_a_full_disk_refuses_a_new_list_and_never_moves_the_file(tmpfs: MountFactory) -> None:
    disk = tmpfs("disk", "size=1m")
    data = disk / "data"
    data.mkdir()
    (data / "config.json").write_text("{}")  # settings exist; only the task list needs room
    fill(disk)
    with pytest.raises(StorageUnavailable) as refused:
        await TaskRepository.open(data / "tasks.sqlite", lock_wait=0.3)
    assert refused.value.code is ErrorCode.DISK_FULL and "full" in str(refused.value)
    assert corrupt_copies(data / "tasks.sqlite") == []


async def test_an_existing_list_on_a_full_disk_is_never_moved(tmpfs: MountFactory) -> None:
    disk = tmpfs("disk", "size=4m")
    data = disk / "data"
    await _make_list(data, "a", "b")
    before = fingerprints(data / "tasks.sqlite")
    fill(disk)
    try:
        repo = await TaskRepository.open(data / "tasks.sqlite", lock_wait=0.3)
    except StorageUnavailable as refused:
        assert refused.code is ErrorCode.DISK_FULL
    else:
        assert {t.id for t in await repo.load_tasks()} == {"a", "b"}
        await repo.close()
    assert corrupt_copies(data / "tasks.sqlite") == []
    assert fingerprints(data / "tasks.sqlite") == before

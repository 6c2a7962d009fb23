"""A running app whose task list is deleted, replaced or cannot be written (D8): health goes red, a runtime_warning
with a stable code says so, the tasks stay in memory and the app keeps answering; nothing more is lost. Real files,
a real full tmpfs."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.storage.conftest import MountFactory, fill
from tests.support.appkit import AppKit, running_app
from tests.support.database import open_database
from tests.support.payload import make_payload
from vdp.errors import VdpError
from vdp.storage import monitor


@pytest.fixture(autouse=True)
def look_after_every_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """The monitor looks at the file at most once a second after writes; here after each one, so the test does not
    depend on when the last look was."""
    monkeypatch.setattr(monitor, "IDENTITY_LOOK_EVERY", 0.0)


def _task(task_id: str, out: Path, title: str = "t") -> dict[str, Any]:
    return {"id": task_id, "url": f"http://127.0.0.1:9/{task_id}.mp4", "title": title, "output_path": str(out)}


async def _add(kit: AppKit, *ids: str) -> None:
    await kit.call("add_download_tasks", tasks=[_task(i, kit.out) for i in ids])


async def _ids(kit: AppKit) -> set[str]:
    return {t["id"] for t in await kit.call("get_download_tasks")}


def _stored_ids(database: Path) -> set[str]:
    with open_database(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM tasks")}


async def _warning(kit: AppKit, code: str) -> Any:
    event = await kit.wait_for(lambda e: e.name == "runtime_warning" and e.payload.code.value == code)
    return event.payload


async def test_a_database_deleted_while_running_is_noticed_and_written_back_at_stop(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "tasks.sqlite"
    async with running_app(data) as kit:
        await _add(kit, "a")
        assert (await kit.call("health"))["ok"] is True
        assert kit.app.backups is not None
        await kit.app.backups.started.wait()
        database.unlink()  # `rm tasks.sqlite`: the app's open file lives on, unreachable
        await _add(kit, "b")
        warning = await _warning(kit, "database_vanished")
        assert str(database) in warning.message
        health = await kit.call("health")
        assert health["ok"] is False and health["database_ok"] is False
        assert health["storage"]["state"] == "vanished" and health["storage"]["ok"] is False
        await _add(kit, "c")  # still answered, still kept
        assert await _ids(kit) == {"a", "b", "c"}
        await kit.app.repo.rescues_done()
        rescue = Path((await kit.call("get_app_info"))["storage"]["last_backup"])
        assert rescue.parent == data / "backups" and "rescued" in rescue.name
        assert {"a", "b"} <= _stored_ids(rescue)
        assert not database.exists()
    # At stop nothing was at the path, so the list was written back there: a restart finds every task.
    async with running_app(data) as kit:
        assert await _ids(kit) == {"a", "b", "c"}
        assert (await kit.call("health"))["storage"]["state"] == "ok"


async def test_a_database_replaced_while_running_is_never_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "tasks.sqlite"
    stranger = make_payload(20_000, seed=7)
    async with running_app(data) as kit:
        await _add(kit, "a")
        replacement = data / "incoming"
        replacement.write_bytes(stranger)
        replacement.replace(database)
        await _add(kit, "b")
        await _warning(kit, "database_vanished")
        assert (await kit.call("health"))["storage"]["state"] == "vanished"
        assert await _ids(kit) == {"a", "b"}
    assert database.read_bytes() == stranger  # the file someone put there is theirs
    final = sorted((data / "backups").glob("tasks-rescued-*-final.sqlite"))
    assert len(final) == 1 and _stored_ids(final[0]) == {"a", "b"}


async def test_a_database_overwritten_in_place_turns_health_red(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "tasks.sqlite"
    async with running_app(data) as kit:
        await _add(kit, *[f"t{i}" for i in range(50)])
        with open_database(database) as db:  # as SQLite's autocheckpoint would: the tasks move into the file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(database, "r+b") as handle:  # same inode: `cat other > tasks.sqlite`
            handle.write(make_payload(max(database.stat().st_size, 64 * 1024), seed=9))
        # SQLite keeps recently read pages in memory; drop them as memory pressure would, so the next read looks.
        await kit.app.repo._db.execute("PRAGMA shrink_memory")
        health = await kit.call("health")
        assert health["ok"] is False and health["database_ok"] is False
        assert health["storage"]["state"] == "unwritable" and "damaged" in health["storage"]["message"]
        await _warning(kit, "database_unwritable")
        assert len(await _ids(kit)) == 50  # still answered from memory


async def test_a_full_disk_while_running_turns_health_red_until_space_returns(tmpfs: MountFactory) -> None:
    disk = tmpfs("disk", "size=4m")
    data = disk / "data"
    async with running_app(data) as kit:
        await kit.app.backups.started.wait()  # the start-up backup is in: the disk is filled after it
        await _add(kit, "first")
        filler = fill(disk)
        # Large rows, so the WAL must grow beyond what it already holds.
        big = [_task(f"big{i}", kit.out, title="x" * 900) for i in range(600)]
        with pytest.raises(VdpError):
            await kit.call("add_download_tasks", tasks=big)
        warning = await _warning(kit, "database_unwritable")
        assert "disk is full" in warning.message
        health = await kit.call("health")
        assert health["ok"] is False and health["storage"]["state"] == "unwritable"
        assert await _ids(kit) == {"first"}  # reads are answered from memory
        filler.unlink()
        await _add(kit, "after")
        assert (await kit.call("health"))["storage"]["state"] == "ok"
    with open_database(data / "tasks.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _stored_ids(data / "tasks.sqlite") == {"first", "after"}


async def test_a_full_disk_warns_once_however_often_writes_fail(tmpfs: MountFactory,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    """BEGIN succeeds on a full disk: it must not count as the file taking changes again, or every failed COMMIT
    after it would warn anew."""
    disk = tmpfs("disk", "size=4m")
    async with running_app(disk / "data") as kit:
        await kit.app.backups.started.wait()
        await _add(kit, "first")
        fill(disk)
        for attempt in range(3):
            big = [_task(f"big{attempt}-{i}", kit.out, title="x" * 900) for i in range(600)]
            with pytest.raises(VdpError):
                await kit.call("add_download_tasks", tasks=big)
        await _warning(kit, "database_unwritable")
        changes = [r.getMessage() for r in caplog.records if r.name == monitor.log.name]
        assert len(changes) == 1 and changes[0].startswith("storage unwritable")  # no "takes changes again" between


async def test_a_statement_error_is_not_mistaken_for_storage_trouble(tmp_path: Path) -> None:
    async with running_app(tmp_path / "data") as kit:
        repo = kit.app.repo
        with pytest.raises(sqlite3.IntegrityError):
            async with repo._transaction():
                await repo._db.execute("INSERT INTO schema_version (version) VALUES (NULL)")
        assert repo.monitor.status().state.value == "ok"

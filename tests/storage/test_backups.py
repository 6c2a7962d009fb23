"""Online backups of the task list (SQLite's backup API): at start and on a timer, the newest five kept, each a
consistent database; the timer ends with the app."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support.appkit import AppKit, running_app
from tests.support.database import open_database
from vdp.storage.backups import KEEP, BackupSchedule, _stamp


def _stored_ids(database: Path) -> set[str]:
    with open_database(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in db.execute("SELECT id FROM tasks")}


async def _add(kit: AppKit, *ids: str) -> None:
    await kit.call("add_download_tasks", tasks=[
        {"id": i, "url": f"http://127.0.0.1:9/{i}.mp4", "title": i, "output_path": str(kit.out)} for i in ids])


async def test_the_app_backs_up_at_start_but_not_again_within_the_hour(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_app(data) as kit:
        assert kit.app.backups is not None
        await kit.app.backups.started.wait()
        [first] = sorted((data / "backups").glob("tasks-*.sqlite"))
        assert (await kit.call("get_app_info"))["storage"]["last_backup"] == str(first)
        await _add(kit, "a")
    async with running_app(data) as kit:
        assert kit.app.backups is not None
        await kit.app.backups.started.wait()
        assert sorted((data / "backups").glob("tasks-*.sqlite")) == [first]  # short runs do not push old ones out
        assert (await kit.call("health"))["storage"]["last_backup"] == str(first)
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "storage-backups"]  # the timer ended with the app


async def test_timed_backups_keep_the_newest_few_and_each_is_a_whole_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_app(data) as kit:
        assert kit.app.backups is not None
        await kit.app.backups.started.wait()
        await _add(kit, "a", "b")
        made: list[Path] = []
        wanted = KEEP + 3
        enough = asyncio.Event()

        def on_backup(path: Path) -> None:
            made.append(path)
            if len(made) >= wanted:
                enough.set()

        schedule = BackupSchedule(kit.app.repo.path, on_backup, every=0.0, fresh_for=0.0)
        timer = asyncio.create_task(schedule.run())
        await _add(kit, "c")  # written while backups run: each backup is one consistent snapshot
        wanted = len(made) + KEEP + 1  # and a few more after it, so the newest ones must hold it
        await asyncio.wait_for(enough.wait(), 30)
        timer.cancel()
        await asyncio.gather(timer, return_exceptions=True)
    kept = sorted((data / "backups").glob("tasks-*.sqlite"))
    assert len(kept) == KEEP and kept == sorted(made)[-KEEP:]
    assert not list((data / "backups").glob("*.tmp"))
    for backup in kept:
        assert _stored_ids(backup) == {"a", "b", "c"}
    assert all(_stored_ids(backup) in ({"a", "b"}, {"a", "b", "c"}) for backup in made if backup.exists())


def test_backup_names_sort_as_the_backups_were_taken_across_a_second() -> None:
    """Around a second's end: the name is one reading of the clock (it read the second and the microseconds apart,
    and a backup just after the tick sorted before those just before it: the newest were dropped)."""
    tick = 1_796_000_000 * 1_000_000_000  # a whole second, in nanoseconds
    before, after = _stamp(tick - 1_000), _stamp(tick + 1_000)
    assert before < after and after.endswith("-000001") and before.endswith("-999999")

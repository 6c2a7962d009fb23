"""Added tasks go in as one statement per table, their rows sent as one JSON array: what is stored is exactly what
was given, whatever their text holds, with its list position and audit row."""

from __future__ import annotations

from pathlib import Path

from vdp.contract import VideoTask
from vdp.storage.repository import TaskRepository

TITLES = ["emoji 😀 and 第 1 课", 'quotes " and a \\ backslash', "new\nline\ttab", "\u202eright-to-left", "plain"]


async def test_added_tasks_are_stored_exactly_whatever_their_text_holds(tmp_path: Path) -> None:
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    try:
        tasks = [VideoTask(id=f"t{n}", url=f'http://127.0.0.1:9/{n}?q="{title}"', title=title,
                           output_path=str(tmp_path / "课程")) for n, title in enumerate(TITLES)]
        await repo.insert_tasks([(repo.next_seq(), task) for task in tasks], "imported from 课程.csv")

        assert [t.model_dump_json() for t in await repo.load_tasks()] == [t.model_dump_json() for t in tasks]
        rows = await repo._db.execute_fetchall("SELECT id, seq, url, status FROM tasks ORDER BY seq")
        assert [tuple(row) for row in rows] == [(t.id, n, t.url, "Pending") for n, t in enumerate(tasks, start=1)]
        for task in tasks:
            assert await repo.audit_trail(task.id) == [("added", None, "Pending", "imported from 课程.csv")]
    finally:
        await repo.close()


async def test_an_id_with_a_nul_character_is_stored_whole(tmp_path: Path) -> None:
    """SQLite's JSON functions end a string at NUL; a client's own id holding one must still be stored whole, or the
    task could never be named (updated, deleted, audited) again."""
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    try:
        task = VideoTask(id="t\x00client", url="http://127.0.0.1:9/a\x00b.mp4", title="nul", output_path=str(tmp_path))
        await repo.insert_tasks([(repo.next_seq(), task)], "added by a client")

        rows = await repo._db.execute_fetchall("SELECT id, url FROM tasks")
        assert [tuple(row) for row in rows] == [(task.id, task.url)]
        assert await repo.audit_trail(task.id) == [("added", None, "Pending", "added by a client")]
    finally:
        await repo.close()

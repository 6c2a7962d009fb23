"""Sheets become tasks in one transaction; importing the same sheet again creates nothing and says where each
known task stands (completed, resumable, failed, waiting)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.appkit import AppKit
from tests.support.database import open_database
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import TaskStatus

HEADER = "专栏ID,专栏名称,课程ID,课程名称,视频链接\n"


def _sheet(path: Path, rows: list[tuple[str, str, str, str, str]], codec: str = "utf-8") -> Path:
    path.write_bytes((HEADER + "".join(",".join(row) + "\n" for row in rows)).encode(codec))
    return path


async def _download(kit: AppKit, task_id: str) -> TaskStatus:
    await kit.call("start_download", taskId=task_id)
    return (await kit.finish(task_id)).status


def _added_audit(kit: AppKit) -> list[tuple[str, str, str]]:
    with open_database(kit.app.paths.database) as db:
        return db.execute("SELECT task_id, ts, cause FROM events WHERE kind = 'added' ORDER BY id").fetchall()


async def test_enqueue_creates_every_task_in_one_transaction_with_titles_folders_and_routing(
        kit: AppKit, tmp_path: Path) -> None:
    sheet = _sheet(tmp_path / "课程.csv", [
        ("1", "Python入门", "11", "第一课", "https://cdn.example.com/py/1.mp4"),
        ("1", "Python入门", "12", "第一课", "https://cdn.example.com/py/2.mp4"),  # same title, same folder
        ("2", "数据/结构", "21", "", "https://cdn.example.com/ds/index.m3u8"),  # no course name; a slash
        ("", "", "", "", "https://cdn.example.com/x/3.mp4"),  # nothing but the link
        ("1", "Python入门", "11", "第一课", "https://cdn.example.com/py/1.mp4"),  # repeats row 1
    ], codec="gbk")
    out = tmp_path / "out"
    batches: list[int] = []
    insert = kit.app.repo.insert_tasks

    async def counted_insert(rows, cause):  # type: ignore[no-untyped-def]
        batches.append(len(rows))
        await insert(rows, cause)

    kit.app.repo.insert_tasks = counted_insert  # type: ignore[method-assign]

    tasks = await kit.call("import_tasks_and_enqueue", filePath=str(sheet), encoding="GBK", outputDir=str(out),
                           layout="by_column")

    assert [(t["title"], t["output_path"], t["status"], t["downloader_type"]) for t in tasks] == [
        ("第一课", str(out / "Python入门"), "Pending", "Http"),
        ("第一课 (2)", str(out / "Python入门"), "Pending", "Http"),
        ("数据/结构", str(out / "数据_结构"), "Pending", "M3u8"),
        ("Imported Video 4", str(out), "Pending", "Http"),
    ]
    link = "https://cdn.example.com/py/1.mp4"
    assert tasks[0]["video_info"] == {"zl_id": "1", "zl_name": "Python入门", "record_url": link,
                                      "kc_id": "11", "kc_name": "第一课", "id": "1", "name": "Python入门",
                                      "url": link, "course_id": "11", "course_name": "第一课"}
    added = [e.payload for e in kit.events.drain() if e.name == "task_added"]
    assert [t.id for t in added] == [t["id"] for t in tasks]
    assert batches == [4]  # one repository transaction for the whole sheet
    audit = _added_audit(kit)
    assert [row[0] for row in audit] == [t["id"] for t in tasks]
    assert {(ts, cause) for _, ts, cause in audit} == {(audit[0][1], "imported from 课程.csv")}
    assert not any(kit.task(t["id"]).queued for t in tasks)  # imported, not started (the backlog stays paused)


async def test_the_default_folder_is_the_configured_one_and_flat(kit: AppKit, tmp_path: Path) -> None:
    await kit.configure(output_directory=str(tmp_path / "dl"))
    sheet = _sheet(tmp_path / "s.csv", [("1", "A", "1", "x", "https://e.com/1.mp4"), ("2", "B", "2", "y", "https://e.com/2.mp4")])

    tasks = await kit.call("import_tasks_and_enqueue", filePath=str(sheet))

    assert [t["output_path"] for t in tasks] == [str(tmp_path / "dl")] * 2


async def test_reimport_creates_nothing_and_reports_where_each_task_stands(
        kit: AppKit, server: FaultServer, tmp_path: Path) -> None:
    server.add_file("/done.bin", make_payload(64 << 10, seed=1))
    server.add_file("/slow.bin", make_payload(8 << 20, seed=2), rate=1 << 20)
    server.add_file("/kept.bin", make_payload(8 << 20, seed=3), rate=1 << 20)
    names = ["done.bin", "slow.bin", "kept.bin", "missing.bin", "waiting.bin"]
    sheet = _sheet(tmp_path / "s.csv", [(str(n), "专栏", str(n), name, server.url(f"/{name}"))
                                        for n, name in enumerate(names)])
    args = {"filePath": str(sheet), "outputDir": str(kit.out)}

    first = await kit.call("import_and_reconcile", **args)
    assert first["reconciliation"] == {"new": 5, "already_known": 0, "completed": 0, "resumable": 0, "failed": 0,
                                       "skipped": 0, "waiting": 0, "active": 0, "cancelled": 0, "duplicate_rows": 0}
    ids = {t["title"]: t["id"] for t in first["tasks"]}

    assert await _download(kit, ids["done.bin"]) == TaskStatus.COMPLETED
    assert await _download(kit, ids["missing.bin"]) == TaskStatus.FAILED
    for name in ("slow.bin", "kept.bin"):  # partly downloaded, then paused / cancelled keeping the bytes
        await kit.call("start_download", taskId=ids[name])
        await server.wait_for_bytes_sent(f"/{name}", 1 << 20)
        await kit.wait_status(ids[name], {TaskStatus.DOWNLOADING})
    await kit.call("pause_download", taskId=ids["slow.bin"])
    await kit.call("cancel_download", taskId=ids["kept.bin"], keepFile=True)
    await kit.wait_status(ids["kept.bin"], {TaskStatus.CANCELLED})
    assert (await kit.app.repo.load_resume(ids["kept.bin"])).durable_bytes > 0

    again = await kit.call("import_and_reconcile", **args)
    enqueued_again = await kit.call("import_tasks_and_enqueue", **args)

    assert again["tasks"] == [] and enqueued_again == []
    assert again["reconciliation"] == {"new": 0, "already_known": 5, "completed": 1, "resumable": 2, "failed": 1,
                                       "skipped": 0, "waiting": 1, "active": 0, "cancelled": 0, "duplicate_rows": 0}
    assert len(await kit.call("get_download_tasks")) == 5


async def test_the_same_link_under_another_column_id_in_another_folder_is_a_new_task(
        kit: AppKit, tmp_path: Path) -> None:
    url = "https://e.com/shared.mp4"
    first = _sheet(tmp_path / "a.csv", [("1", "A", "1", "shared", url)])
    moved = _sheet(tmp_path / "b.csv", [("2", "B", "1", "shared", url)])  # other column, other folder
    same_key = _sheet(tmp_path / "c.csv", [("1", "C", "1", "shared", url)])  # same business key, other folder
    common = {"outputDir": str(tmp_path / "out"), "layout": "by_column"}

    await kit.call("import_and_reconcile", filePath=str(first), **common)
    second = await kit.call("import_and_reconcile", filePath=str(moved), **common)
    third = await kit.call("import_and_reconcile", filePath=str(same_key), **common)

    assert [t["output_path"] for t in second["tasks"]] == [os.path.join(tmp_path / "out", "B")]
    assert (third["reconciliation"]["new"], third["reconciliation"]["already_known"]) == (0, 1)


async def test_start_true_starts_the_backlog(kit: AppKit, server: FaultServer, tmp_path: Path) -> None:
    server.add_file("/a.bin", make_payload(32 << 10, seed=4))
    sheet = _sheet(tmp_path / "s.csv", [("1", "A", "1", "a", server.url("/a.bin"))])

    (task,) = await kit.call("import_tasks_and_enqueue", filePath=str(sheet), outputDir=str(kit.out), start=True)

    assert (await kit.finish(task["id"])).status == TaskStatus.COMPLETED

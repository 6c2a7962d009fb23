"""Every way in (paste box, sheet, a client's own tasks) makes tasks the same way (vdp/intake.py): one id scheme, one
URL check, the engine chosen once with its reason. `vdp get` is covered by tests/engines/ytdlp/test_vdp_get_pages.py.
No link here is fetched: the engine is forced or decided from the URL alone."""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path

from tests.support.appkit import AppKit
from vdp import intake
from vdp.contract import DownloaderType, ImportedData, utc_now

TASK_ID = re.compile(r"task_[0-9a-f]{32}")


async def test_pasted_links_sheet_rows_and_client_tasks_share_one_id_scheme_and_routing(
        kit: AppKit, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pasted = await kit.call("add_urls", urls=[" https://cdn.example.com/p/a.mp4 ", ""], outputPath=str(out),
                            downloaderType="Http", format="best")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("专栏ID,专栏名称,课程ID,课程名称,视频链接\n1,Col,11,Lesson,https://cdn.example.com/s/index.m3u8\n",
                     encoding="utf-8")
    imported = await kit.call("import_tasks_and_enqueue", filePath=str(sheet), outputDir=str(out), layout="flat")
    client = await kit.call("add_download_tasks", tasks=[
        {"id": "mine_1", "url": "https://cdn.example.com/c/b.mp4", "title": "b", "output_path": str(out)},
        {"id": "mine_2", "url": "ftp://cdn.example.com/c/c.mp4", "title": "c", "output_path": str(out)},
    ])

    (link,) = pasted
    assert TASK_ID.fullmatch(link["id"]) and link["url"] == "https://cdn.example.com/p/a.mp4"
    assert (link["title"], link["downloader_type"]) == ("a.mp4", "Http")
    assert link["routing_reason"].startswith("chosen by the user")

    (row,) = imported
    assert TASK_ID.fullmatch(row["id"]) and row["id"] != link["id"]
    assert (row["title"], row["downloader_type"]) == ("Lesson", "M3u8")  # decided from the URL, no probe

    (kept,) = client  # the ftp link is refused, as the original skipped tasks it could not store
    assert kept["id"] == "mine_1" and kept["downloader_type"] == "Http"
    assert kept["routing_reason"] == "direct file link (.mp4)"

    stored = {t.id: t for t in kit.app.runtime.tasks()}
    assert stored[link["id"]].engine_options == {"format": "best"}
    assert set(stored) == {link["id"], row["id"], "mine_1"}


def test_a_playlist_entry_without_an_http_link_is_skipped() -> None:
    at = utc_now()
    listed = ImportedData(url="https://example.com/watch?v=1", kc_name="One")
    entry = intake.task_for_playlist_entry(listed, "/o", at=at)
    assert entry is not None and TASK_ID.fullmatch(entry.id)
    assert (entry.title, entry.downloader_type) == ("One", DownloaderType.YOUTUBE)
    assert entry.routing_reason == "playlist entry"
    assert entry.created_at == entry.updated_at == at
    assert intake.task_for_playlist_entry(ImportedData(url="file:///etc/passwd"), "/o") is None
    assert intake.task_for_playlist_entry(ImportedData(), "/o") is None


def test_task_ids_are_unique_and_grow_with_time() -> None:
    """Ids start with their creation time (UUID version 7), so the database's id indexes take each batch at their
    end; within one millisecond they differ by 74 random bits."""
    first = intake.new_task_id()
    millisecond = time.time_ns() // 1_000_000
    while time.time_ns() // 1_000_000 == millisecond:  # the next millisecond, without sleeping
        pass
    batch = [intake.new_task_id() for _ in range(5_000)]
    assert all(TASK_ID.fullmatch(task_id) for task_id in [first, *batch])
    assert len(set(batch)) == len(batch)
    assert all(first < task_id for task_id in batch)
    assert {uuid.UUID(task_id.removeprefix("task_")).version for task_id in batch} == {7}


def test_a_forked_child_draws_its_own_random_bits() -> None:
    """The random bytes are drawn 256 ids at a time: a child forked with some of them left must not hand out the ids
    its parent hands out next (their time prefixes may well be equal too)."""
    intake.new_task_id()  # the pool now holds ids the parent will hand out
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: one id to the parent, and out without running the test session's exit handlers
        try:
            os.write(write, intake.new_task_id().encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        parents = intake.new_task_id()
        with os.fdopen(read, "rb") as pipe:
            childs = pipe.read().decode()
    finally:
        os.waitpid(child, 0)
    assert TASK_ID.fullmatch(childs)
    # After the 12 hex digits of time (and "task_"): the random part, the same in both if the child reused the pool.
    assert childs[17:] != parents[17:]

"""Cancelling a paused HLS download removes its work folder (hundreds of segment files), on a worker thread: the
event loop keeps serving while the disk works, and the task is Cancelled once the folder is gone."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from aiohttp import web

from tests.engines.hls.hls_fixtures import HlsServer, media_playlist, serve_segments
from tests.support.appkit import running_app
from vdp.contract import TaskStatus
from vdp.runtime import files

SEGMENTS = 400
STALL_AT = 300


@pytest.fixture
async def server():  # type: ignore[no-untyped-def]
    hls = HlsServer()
    await hls.start()
    yield hls
    await hls.stop()


def _work_folders(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_dir() and p.name.startswith(".")] if out.exists() else []


async def test_cancel_of_a_paused_hls_download_removes_its_work_folder_off_the_loop(
        server: HlsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve_segments(server, "/big", SEGMENTS, size=1000)
    server.add_playlist("/big/index.m3u8", media_playlist([f"#EXTINF:1,\nseg{i}.ts" for i in range(SEGMENTS)]))
    reached = asyncio.Event()

    async def stall(request: web.Request) -> web.StreamResponse:
        reached.set()  # one part at a time: every segment before this one is on disk
        await server.closing.wait()
        return web.Response(status=503)

    server.on(f"/big/seg{STALL_AT}.ts", stall)
    deleting_threads: list[threading.Thread] = []
    delete_owned = files.delete_owned

    def recording_delete(path: Path) -> None:
        deleting_threads.append(threading.current_thread())
        delete_owned(path)

    monkeypatch.setattr(files, "delete_owned", recording_delete)

    async with running_app(tmp_path / "data", hls_segment_concurrency=1) as kit:
        (task,) = await kit.call("add_urls", urls=[server.url("/big/index.m3u8")], outputPath=str(kit.out),
                                 downloaderType="M3u8")
        await kit.call("start_download", taskId=task["id"])
        await asyncio.wait_for(reached.wait(), 60)
        await kit.call("pause_download", taskId=task["id"])
        assert await kit.wait_status(task["id"], {TaskStatus.PAUSED}) == TaskStatus.PAUSED
        (work,) = _work_folders(kit.out)
        assert sum(1 for _ in work.rglob("*")) > 0

        await kit.call("cancel_download", taskId=task["id"])

        assert kit.task(task["id"]).status == TaskStatus.CANCELLED
        assert not work.exists() and _work_folders(kit.out) == []
        assert deleting_threads and threading.main_thread() not in deleting_threads

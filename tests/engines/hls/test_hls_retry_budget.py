"""One retry budget per task: a segment's quick retries inside an attempt are the task's retries (shown as
`part retry n/N`), so they never multiply with the runtime's retries of the whole attempt; and a hiccup that fails
every segment in flight at once costs one retry, not one per segment."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from tests.support.appkit import running_app
from vdp.contract import ErrorCode, TaskStatus
from vdp.engines.hls import HlsEngine

from .hls_fixtures import HlsServer, make_run, media_playlist, serve_segments


def _playlist(server: HlsServer, folder: str, count: int) -> list[bytes]:
    bodies = serve_segments(server, folder, count)
    server.add_playlist(f"{folder}/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(count)]))
    return bodies


async def test_a_dead_segment_spends_the_task_budget_once(server: HlsServer, tmp_path: Path) -> None:
    _playlist(server, "/dead", 4)

    async def unavailable(request: web.Request) -> web.StreamResponse:
        return web.Response(status=503, headers={"Retry-After": "0"})

    server.on("/dead/seg2.ts", unavailable)
    async with running_app(tmp_path / "data", retry_attempts=2, hls_segment_concurrency=1) as kit:
        (task,) = await kit.call("add_urls", urls=[server.url("/dead/index.m3u8")], outputPath=str(kit.out),
                                 downloaderType="M3u8")
        await kit.call("start_download", taskId=task["id"])
        failed = await kit.finish(task["id"])

        assert failed.status == TaskStatus.FAILED and "segment 3 of 4" in (failed.error_message or "")
        # 1 try + 2 retries in all; the runtime's own retries used to come on top (3 × 3 requests).
        assert server.hits["/dead/seg2.ts"] == 3
        assert server.segment_hits(["/dead/seg0.ts", "/dead/seg1.ts"]) == [1, 1]
        warnings = [(w.code, w.message) for w in kit.warnings(task["id"])]
        assert [m.split(" in ")[0] for c, m in warnings if c is ErrorCode.RETRYING] == [
            "part retry 1/2", "part retry 2/2"]
        assert [m for c, m in warnings if c is ErrorCode.RETRY_EXHAUSTED][0].startswith("gave up after 3 attempts")
        assert kit.task(task["id"]).retry_count == 2
        details = await kit.call("get_task_details", taskId=task["id"])
        assert (details["retries_used"], details["retry_budget"]) == (2, 2)


async def test_segments_failing_together_share_one_retry(server: HlsServer, tmp_path: Path) -> None:
    bodies = _playlist(server, "/burst", 4)
    arrived = 0
    all_in = asyncio.Event()

    async def hiccup(request: web.Request) -> web.StreamResponse:
        nonlocal arrived
        if server.hits[request.path] > 1:
            return server.serve(request)
        arrived += 1
        if arrived == len(bodies):
            all_in.set()
        await all_in.wait()  # every segment's first request is in flight: the server fails them all at once
        return web.Response(status=503, headers={"Retry-After": "1"})

    for i in range(len(bodies)):
        server.on(f"/burst/seg{i}.ts", hiccup)
    run = make_run(tmp_path, server.url("/burst/index.m3u8"), hls_segment_concurrency=4, retry_attempts=1)

    result = await HlsEngine(retry_backoff=0).transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert run.ctx.retries.used == 1
    assert [m.split(" in ")[0] for c, m in run.warnings if c is ErrorCode.RETRYING] == ["part retry 1/1"]

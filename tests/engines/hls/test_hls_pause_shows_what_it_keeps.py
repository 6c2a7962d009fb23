"""A paused HLS download shows the bytes its pause kept, not the bytes counted as they came: a segment cut short by
the pause is fetched again whole, so its count is taken back (else the row would go back at the resume). The HTTP
engine's counterpart, a read cut short while it waits for the speed limit, is in tests/engines/http."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from tests.support.appkit import AppKit
from vdp.contract import TaskStatus

from .hls_fixtures import HlsServer, fixture_bytes, media_playlist, only_output

SEGMENT = 1 << 20


async def test_a_paused_stream_shows_what_the_pause_kept_and_the_resume_goes_on_from_there(
        kit: AppKit, server: HlsServer) -> None:
    bodies = [fixture_bytes(SEGMENT, 300 + i) for i in range(3)]
    for i, body in enumerate(bodies[:2]):
        server.add(f"/k/seg{i}.ts", body)
    cut_short = True

    async def half_then_stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(SEGMENT), "Content-Type": "video/mp2t"})
        await response.prepare(request)
        if not cut_short:
            await response.write(bodies[2])
            return response
        await response.write(bodies[2][:SEGMENT // 2])  # counted as it comes, then nothing more until the pause
        await server.closing.wait()
        return response

    server.on("/k/seg2.ts", half_then_stall)
    server.add_playlist("/k/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)]))
    await kit.configure(hls_segment_concurrency=1)  # in order: the third segment starts once the first two are in
    task_id = await kit.add(server.url("/k/index.m3u8"))
    await kit.call("start_download", taskId=task_id)
    # The two whole segments are in, and part of the third is counted.
    await kit.wait_for(lambda e: e.name == "download_progress" and e.payload.task_id == task_id
                       and e.payload.downloaded > 2 * SEGMENT)
    await kit.call("pause_download", taskId=task_id)
    kept = (await kit.app.repo.load_resume(task_id)).durable_bytes
    assert kept == 2 * SEGMENT, "the whole segments, not the half"
    assert kit.task(task_id).downloaded_size == kept, "the half segment's count was taken back"
    cut_short = False
    await kit.call("resume_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED
    assert only_output(Path(task.output_path)).read_bytes() == b"".join(bodies)

"""HLS segments pass the same bandwidth limits as every other transfer, and a lift wakes them at once."""

from __future__ import annotations

import asyncio

from tests.support.observed_bucket import ObservedBucket

from .hls_fixtures import make_run, media_playlist, serve_segments


async def test_a_limit_holds_hls_segments_and_lifting_it_lets_the_stream_finish(server, engine, tmp_path):
    bodies = serve_segments(server, "/limited", 6, size=200_000)
    server.add_playlist("/limited/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(6)]))
    run = make_run(tmp_path, server.url("/limited/index.m3u8"))
    limits = run.ctx.services.limits
    limits.global_bucket = ObservedBucket(1024)  # 1.2 MB at 1 KiB/s: twenty minutes

    transfer = asyncio.create_task(engine.transfer(run.ctx))
    await limits.global_bucket.held(3)
    assert not transfer.done() and run.progress.downloaded < sum(map(len, bodies))
    limits.global_bucket.set_rate(None)
    result = await asyncio.wait_for(transfer, 30)
    assert result.file_path.read_bytes() == b"".join(bodies)


async def test_a_task_limit_applies_to_hls_too(server, engine, tmp_path):
    serve_segments(server, "/own", 4, size=100_000)
    server.add_playlist("/own/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(4)]))
    run = make_run(tmp_path, server.url("/own/index.m3u8"))
    limits = run.ctx.services.limits
    bucket = ObservedBucket(1024)
    limits._tasks[run.ctx.task.id] = bucket
    transfer = asyncio.create_task(engine.transfer(run.ctx))
    await bucket.held(3)
    assert not transfer.done()
    limits.set_task_rate(run.ctx.task.id, None)
    await asyncio.wait_for(transfer, 30)

"""Pause and resume: finished segments are checkpointed and never fetched again (counted on the server)."""

from __future__ import annotations

import asyncio
import os

import pytest
from aiohttp import web

from vdp.contract import ErrorCode
from vdp.engines.base import TransferInterrupted
from vdp.errors import VdpError

from .hls_fixtures import encrypt, fixture_bytes, make_run, media_playlist, serve_segments


async def test_pause_stops_promptly_and_resume_skips_finished_segments(server, engine, tmp_path):
    count, gate_at, workers = 12, 6, 3
    key = bytes(range(16))
    server.add("/p/key", key, "application/octet-stream")
    plain = [fixture_bytes(20_000 + i, 200 + i) for i in range(count)]
    for i, body in enumerate(plain):
        server.add(f"/p/seg{i}.ts", encrypt(body, key, i.to_bytes(16, "big")))
    lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key"'] + [f"#EXTINF:4,\nseg{i}.ts" for i in range(count)]
    server.add_playlist("/p/index.m3u8", media_playlist(lines))
    segments = [f"/p/seg{i}.ts" for i in range(count)]

    # Segments from `gate_at` on stall. A worker asks for the next segment only after finishing its last, so
    # once every worker is stalled, segments 0..gate_at-1 are all finished.
    all_stalled = asyncio.Event()
    stalled = 0

    async def stall(request: web.Request) -> web.StreamResponse:
        nonlocal stalled
        stalled += 1
        if stalled == workers:
            all_stalled.set()
        await server.closing.wait()
        return web.Response(status=500)

    for path in segments[gate_at:]:
        server.on(path, stall)
    first = make_run(tmp_path, server.url("/p/index.m3u8"), hls_segment_concurrency=workers)
    transfer = asyncio.create_task(engine.transfer(first.ctx))
    await all_stalled.wait()
    first.ctx.cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        async with asyncio.timeout(10):  # a guard against hanging, not a timing claim
            await transfer  # returns although three requests are still open on the server

    durable = sum(len(b) for b in plain[:gate_at])
    assert first.done_indices == set(range(gate_at))
    assert first.last_state.meta["tracks"] == [[server.url("/p/index.m3u8"), count]]
    assert first.progress.downloaded == durable  # bytes of the stopped requests were taken back
    assert not first.violations
    assert [p for p in tmp_path.iterdir() if not p.name.startswith(".")] == []

    server.handlers.clear()
    second = make_run(tmp_path, server.url("/p/index.m3u8"), resume=first.last_state)
    result = await engine.transfer(second.ctx)

    assert result.file_path.read_bytes() == b"".join(plain)
    assert server.segment_hits(segments) == [1] * gate_at + [2] * workers + [1] * (count - gate_at - workers)
    assert second.progress.restarts == [durable]
    assert second.progress.downloaded == result.size
    assert not second.violations and not second.warnings


async def test_a_resume_for_a_different_playlist_starts_over(server, engine, tmp_path):
    bodies = serve_segments(server, "/chg", 4)
    server.add_playlist("/chg/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)]))
    first = make_run(tmp_path, server.url("/chg/index.m3u8"))
    await engine.transfer(first.ctx)
    state = first.last_state
    assert len(state.chunks) == 3

    # The same task, later: the playlist now has four segments, so the old parts cannot be trusted.
    server.add_playlist("/chg/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(4)]))
    second = make_run(tmp_path, server.url("/chg/index.m3u8"), resume=state)
    result = await engine.transfer(second.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert [code for code, _ in second.warnings] == [ErrorCode.RESUME_INVALIDATED]
    assert "playlist changed" in second.warnings[0][1]
    assert second.progress.restarts == [0]
    assert server.segment_hits([f"/chg/seg{i}.ts" for i in range(4)]) == [2, 2, 2, 1]


async def test_a_checkpointed_part_missing_from_disk_is_fetched_again(server, engine, tmp_path):
    """The track file lost its tail (the parts in order were appended to it): what is still whole is kept."""
    bodies = serve_segments(server, "/gone", 3)
    server.add_playlist("/gone/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)]))
    server.bodies.pop("/gone/seg2.ts")
    first = make_run(tmp_path, server.url("/gone/index.m3u8"), hls_segment_concurrency=1)
    with pytest.raises(VdpError):
        await engine.transfer(first.ctx)
    work = tmp_path / first.last_state.meta["work_dir"]
    assert first.last_state.meta["assembled"] == {"video": [2, len(bodies[0]) + len(bodies[1])]}
    assert not (work / "000001.seg").exists()  # inside the track file now
    os.truncate(work / "video.ts", len(bodies[0]) + 5)
    server.add("/gone/seg2.ts", bodies[2])

    second = make_run(tmp_path, server.url("/gone/index.m3u8"), resume=first.last_state)
    result = await engine.transfer(second.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.segment_hits([f"/gone/seg{i}.ts" for i in range(3)]) == [1, 2, 2]
    assert [code for code, _ in second.warnings] == [ErrorCode.RESUME_INVALIDATED]
    assert not work.exists()


async def test_checkpoints_grow_and_only_claim_parts_in_place(server, engine, tmp_path):
    count = 150
    bodies = serve_segments(server, "/many", count, size=100)
    server.add_playlist("/many/index.m3u8", media_playlist([f"#EXTINF:1,\nseg{i}.ts" for i in range(count)]))
    run = make_run(tmp_path, server.url("/many/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert not run.violations
    assert run.done_indices == set(range(count))
    indices = [{c.index for c in state.chunks} for state in run.checkpoints]
    assert all(earlier <= later for earlier, later in zip(indices, indices[1:]))
    assert len(run.checkpoints) < count  # coalesced, not one per segment


async def test_a_part_file_waiting_for_its_turn_lost_from_disk_is_fetched_again(server, engine, tmp_path):
    """The first segment never arrives, so the others wait as part files; one of them is lost before the resume."""
    bodies = serve_segments(server, "/wait", 6)
    server.add_playlist("/wait/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(6)]))

    async def never(request: web.Request) -> web.StreamResponse:
        await server.closing.wait()
        return web.Response(status=500)

    server.on("/wait/seg0.ts", never)
    first = make_run(tmp_path, server.url("/wait/index.m3u8"), hls_segment_concurrency=2)
    others_done = asyncio.Event()
    advance = first.progress.advance

    def counted(nbytes: int) -> None:
        advance(nbytes)
        if first.progress.downloaded == sum(len(b) for b in bodies[1:]):
            others_done.set()

    first.progress.advance = counted  # type: ignore[method-assign]
    transfer = asyncio.create_task(engine.transfer(first.ctx))
    await others_done.wait()
    first.ctx.cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        await transfer
    state = first.last_state
    assert first.done_indices == {1, 2, 3, 4, 5} and state.meta["assembled"] == {"video": [0, 0]}
    work = tmp_path / state.meta["work_dir"]
    (work / "000003.seg").unlink()

    server.handlers.clear()
    second = make_run(tmp_path, server.url("/wait/index.m3u8"), resume=state)
    result = await engine.transfer(second.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.segment_hits([f"/wait/seg{i}.ts" for i in range(6)]) == [2, 1, 1, 2, 1, 1]
    assert [code for code, _ in second.warnings] == [ErrorCode.RESUME_INVALIDATED]
    assert not first.violations and not second.violations

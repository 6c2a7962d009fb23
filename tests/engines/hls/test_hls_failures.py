"""Failures: classified, retried when worth it, never a finished file with a hole, finished segments kept."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from vdp.contract import ErrorCode
from vdp.engines.hls import HlsEngine, PlaylistLimits
from vdp.errors import VdpError

from .hls_fixtures import encrypt, fixture_bytes, make_run, media_playlist, serve_segments


def _playlist(server, folder: str, count: int, **kwargs) -> list[bytes]:
    bodies = serve_segments(server, folder, count, **kwargs)
    server.add_playlist(f"{folder}/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(count)]))
    return bodies


def _visible(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


async def _fails(engine, run) -> VdpError:
    with pytest.raises(VdpError) as caught:
        await engine.transfer(run.ctx)
    return caught.value


async def test_a_missing_segment_fails_the_task_and_keeps_the_finished_ones(server, engine, tmp_path):
    bodies = _playlist(server, "/miss", 5)
    missing = server.bodies.pop("/miss/seg2.ts")
    run = make_run(tmp_path, server.url("/miss/index.m3u8"), hls_segment_concurrency=1)

    error = await _fails(engine, run)

    assert error.code is ErrorCode.NOT_FOUND
    assert "segment 3 of 5" in error.message and "404" in error.message
    assert server.hits["/miss/seg2.ts"] == 1  # a 404 is not retried
    assert run.done_indices == {0, 1}
    assert run.progress.downloaded == len(bodies[0]) + len(bodies[1])  # progress kept, nothing counted twice
    assert _visible(tmp_path) == []  # no file with a hole
    assert not run.violations

    server.bodies["/miss/seg2.ts"] = missing
    again = make_run(tmp_path, server.url("/miss/index.m3u8"), resume=run.last_state)
    result = await engine.transfer(again.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.segment_hits([f"/miss/seg{i}.ts" for i in range(5)]) == [1, 1, 2, 1, 1]
    assert again.progress.restarts == [len(bodies[0]) + len(bodies[1])]


async def test_a_short_byte_range_is_a_size_mismatch_after_retries(server, engine, tmp_path):
    whole = fixture_bytes(6000, 4)
    server.add("/short/all.ts", whole)

    async def short_range(request: web.Request) -> web.StreamResponse:
        if request.headers["Range"] != "bytes=3000-5999":
            return server.serve(request)
        # An honest 206 for fewer bytes than the playlist promises.
        return web.Response(status=206, body=whole[3000:5000], headers={"Content-Range": "bytes 3000-4999/6000"})

    server.on("/short/all.ts", short_range)
    lines = ["#EXTINF:4,\n#EXT-X-BYTERANGE:3000@0\nall.ts", "#EXTINF:4,\n#EXT-X-BYTERANGE:3000@3000\nall.ts"]
    server.add_playlist("/short/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/short/index.m3u8"), hls_segment_concurrency=1)

    error = await _fails(engine, run)

    assert error.code is ErrorCode.SIZE_MISMATCH
    assert "segment 2 of 2: received 2000 of 3000 bytes (after 3 attempts)" in error.message
    assert server.hits["/short/all.ts"] == 1 + 3
    assert run.done_indices == {0}
    assert _visible(tmp_path) == []


async def test_a_body_cut_short_of_its_content_length_is_retried(server, engine, tmp_path):
    bodies = _playlist(server, "/cut", 3)
    cuts = 0

    async def cut_once(request: web.Request) -> web.StreamResponse:
        nonlocal cuts
        if cuts:
            return server.serve(request)
        cuts += 1
        body = server.bodies["/cut/seg1.ts"][0]
        response = web.StreamResponse(headers={"Content-Length": str(len(body))})
        await response.prepare(request)
        await response.write(body[:1000])
        request.transport.close()  # the connection drops mid-body
        return response

    server.on("/cut/seg1.ts", cut_once)
    run = make_run(tmp_path, server.url("/cut/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.hits["/cut/seg1.ts"] == 2
    assert run.progress.downloaded == result.size  # the lost 1000 bytes were taken back


async def test_a_body_always_cut_short_names_the_bytes_received(server, engine, tmp_path):
    _playlist(server, "/cutall", 1)

    async def cut(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": "3000"})
        await response.prepare(request)
        await response.write(b"x" * 1000)
        request.transport.close()
        return response

    server.on("/cutall/seg0.ts", cut)
    error = await _fails(engine, make_run(tmp_path, server.url("/cutall/index.m3u8"), retry_attempts=0))
    assert error.retryable and "after 1000 of 3000 bytes" in error.message


@pytest.mark.parametrize(
    ("status", "headers"),
    [(500, {}), (503, {}), (429, {"Retry-After": "0"}), (408, {}), (425, {})],
    ids=["500", "503", "429", "408", "425"],
)
async def test_transient_statuses_are_retried_per_segment(server, engine, tmp_path, status, headers):
    bodies = _playlist(server, "/flaky", 3)
    failures = 0

    async def flaky(request: web.Request) -> web.StreamResponse:
        nonlocal failures
        if failures < 2:
            failures += 1
            return web.Response(status=status, headers=headers)
        return server.serve(request)

    server.on("/flaky/seg1.ts", flaky)
    result = await engine.transfer(make_run(tmp_path, server.url("/flaky/index.m3u8")).ctx)
    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.hits["/flaky/seg1.ts"] == 3


@pytest.mark.parametrize(
    ("status", "code"), [(403, ErrorCode.FORBIDDEN), (401, ErrorCode.UNAUTHORIZED), (418, ErrorCode.HTTP_ERROR)]
)
async def test_fatal_statuses_are_not_retried(server, engine, tmp_path, status, code):
    _playlist(server, "/fatal", 2)

    async def refuse(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status)

    server.on("/fatal/seg0.ts", refuse)
    error = await _fails(engine, make_run(tmp_path, server.url("/fatal/index.m3u8"), hls_segment_concurrency=1))
    assert error.code is code and f"HTTP {status}" in error.message
    assert server.hits["/fatal/seg0.ts"] == 1


async def test_a_stalled_segment_times_out_and_is_fetched_again(server, engine, tmp_path):
    bodies = _playlist(server, "/stall", 2)
    stalled = 0

    async def stall_once(request: web.Request) -> web.StreamResponse:
        nonlocal stalled
        if stalled:
            return server.serve(request)
        stalled += 1
        await server.closing.wait()
        return web.Response(status=500)

    server.on("/stall/seg0.ts", stall_once)
    result = await engine.transfer(make_run(tmp_path, server.url("/stall/index.m3u8"), timeout_seconds=1).ctx)
    assert result.file_path.read_bytes() == b"".join(bodies)
    assert server.hits["/stall/seg0.ts"] == 2


async def test_a_slow_segment_does_not_hold_up_the_others_or_the_order(server, engine, tmp_path):
    bodies = _playlist(server, "/slow", 6)
    others_served = asyncio.Event()
    served = 0

    async def count(request: web.Request) -> web.StreamResponse:
        nonlocal served
        served += 1
        if served == 5:
            others_served.set()
        return server.serve(request)

    async def slow(request: web.Request) -> web.StreamResponse:
        await others_served.wait()  # the first segment finishes last
        return server.serve(request)

    for i in range(1, 6):
        server.on(f"/slow/seg{i}.ts", count)
    server.on("/slow/seg0.ts", slow)
    run = make_run(tmp_path, server.url("/slow/index.m3u8"), hls_segment_concurrency=3)

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)


async def test_a_web_page_instead_of_a_segment(server, engine, tmp_path):
    _playlist(server, "/html", 1)
    server.add("/html/seg0.ts", b"<html>please log in</html>", "text/html")
    error = await _fails(engine, make_run(tmp_path, server.url("/html/index.m3u8")))
    assert error.code is ErrorCode.GOT_HTML_PAGE


async def test_a_bad_key_is_refused(server, engine, tmp_path):
    server.add("/badkey/key", b"short", "application/octet-stream")
    server.add("/badkey/s.ts", encrypt(b"x" * 100, bytes(16), bytes(16)))
    lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key"', "#EXTINF:4,\ns.ts"]
    server.add_playlist("/badkey/index.m3u8", media_playlist(lines))
    error = await _fails(engine, make_run(tmp_path, server.url("/badkey/index.m3u8")))
    assert error.code is ErrorCode.INVALID_RESPONSE and "has 5 bytes instead of 16" in error.message


async def test_a_truncated_encrypted_segment_is_detected(server, engine, tmp_path):
    key = bytes(16)
    server.add("/trunc/key", key, "application/octet-stream")
    server.add("/trunc/s.ts", encrypt(fixture_bytes(1000, 1), key, bytes(16))[:-5])
    lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key"', "#EXTINF:4,\ns.ts"]
    server.add_playlist("/trunc/index.m3u8", media_playlist(lines))
    error = await _fails(engine, make_run(tmp_path, server.url("/trunc/index.m3u8"), retry_attempts=0))
    assert error.code is ErrorCode.SIZE_MISMATCH and "not a whole number of AES blocks" in error.message


async def test_sample_aes_is_refused_before_any_segment(server, engine, tmp_path):
    lines = ['#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://id",KEYFORMAT="com.apple.streamingkeydelivery"']
    lines.append("#EXTINF:4,\nseg0.ts")
    server.add_playlist("/drm/index.m3u8", media_playlist(lines))
    error = await _fails(engine, make_run(tmp_path, server.url("/drm/index.m3u8")))
    assert error.code is ErrorCode.DRM_PROTECTED and "DRM-protected (SAMPLE-AES" in error.message
    assert server.hits["/drm/seg0.ts"] == 0
    assert list(tmp_path.iterdir()) == []


async def test_a_live_playlist_is_refused_with_a_clear_message(server, engine, tmp_path):
    serve_segments(server, "/live", 2)
    server.add_playlist("/live/index.m3u8", media_playlist(["#EXTINF:4,\nseg0.ts", "#EXTINF:4,\nseg1.ts"], ended=False))
    error = await _fails(engine, make_run(tmp_path, server.url("/live/index.m3u8")))
    assert error.code is ErrorCode.LIVE_STREAM and "live stream" in error.message
    assert server.hits["/live/seg0.ts"] == 0


async def test_a_missing_playlist(server, engine, tmp_path):
    error = await _fails(engine, make_run(tmp_path, server.url("/nothing.m3u8")))
    assert error.code is ErrorCode.NOT_FOUND and "Playlist" in error.message


async def test_master_playlists_that_loop_are_rejected(server, engine, tmp_path):
    server.add_playlist("/loop/a.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nb.m3u8\n")
    server.add_playlist("/loop/b.m3u8", "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n")
    error = await _fails(engine, make_run(tmp_path, server.url("/loop/a.m3u8")))
    assert error.code is ErrorCode.INVALID_PLAYLIST and "refers back to" in error.message
    assert server.hits["/loop/a.m3u8"] == 1


async def test_master_playlists_nested_too_deep_are_rejected(server, engine, tmp_path):
    for depth in range(5):
        server.add_playlist(f"/deep/{depth}.m3u8", f"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n{depth + 1}.m3u8\n")
    error = await _fails(engine, make_run(tmp_path, server.url("/deep/0.m3u8")))
    assert error.code is ErrorCode.INVALID_PLAYLIST and "nest more than 3 deep" in error.message


async def test_hostile_playlists_are_rejected(server, tmp_path):
    engine = HlsEngine(retry_backoff=0, limits=PlaylistLimits(max_bytes=64 * 1024, max_segments=100))
    server.add_playlist("/hostile/line.m3u8", "#EXTM3U\n#EXTINF:1,\n" + "a" * 70_000 + ".ts\n")
    server.add_playlist("/hostile/many.m3u8", "#EXTM3U\n" + "#EXTINF:1,\ns.ts\n" * 101 + "#EXT-X-ENDLIST\n")

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # chunked: no Content-Length to refuse up front
        await response.prepare(request)
        await response.write(b"#EXTM3U\n")
        while True:
            await response.write(b"#EXTINF:1,\ns.ts\n" * 1000)

    server.on("/hostile/endless.m3u8", endless)
    for name, words in [("line", "larger than 65536"), ("many", "more than 100 segments"), ("endless", "larger")]:
        error = await _fails(engine, make_run(tmp_path, server.url(f"/hostile/{name}.m3u8")))
        assert error.code is ErrorCode.INVALID_PLAYLIST and words in error.message, (name, error)


async def test_a_failed_fsync_is_never_retried_into_a_claim(server, engine, tmp_path, monkeypatch):
    """After fsync fails the kernel may have dropped the pages: nothing more is claimed in that attempt, and the
    next attempt completes the file from what was committed."""
    import errno

    from vdp.engines.hls import _download

    bodies = _playlist(server, "/sync", 40)
    calls = []
    real = _download.fsync_files

    def failing_once(paths):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.EIO, "Input/output error")
        return real(paths)

    monkeypatch.setattr(_download, "fsync_files", failing_once)
    first = make_run(tmp_path, server.url("/sync/index.m3u8"))
    error = await _fails(engine, first)
    assert error.code == ErrorCode.IO_ERROR and len(calls) == 1  # the final save did not try again
    assert first.checkpoints == []  # the only save failed: nothing was claimed

    second = make_run(tmp_path, server.url("/sync/index.m3u8"), resume=first.last_state)
    result = await engine.transfer(second.ctx)
    assert result.file_path.read_bytes() == b"".join(bodies)

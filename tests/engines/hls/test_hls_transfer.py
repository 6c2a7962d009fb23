"""Whole transfers from a real loopback server: the output must equal the expected (decrypted) stream byte for byte."""

from __future__ import annotations

from aiohttp import web

from tests.support.services import open_services
from vdp.engines.hls import HlsEngine

from .hls_fixtures import encrypt, fixture_bytes, make_run, media_playlist, only_output, serve_segments


async def test_media_playlist_with_relative_uris_in_subfolders(server, engine, tmp_path):
    bodies = serve_segments(server, "/show/media/parts", 5)
    lines = [f"#EXTINF:4,\nparts/seg{i}.ts" for i in range(4)] + ["#EXTINF:4,\n../media/parts/seg4.ts"]
    server.add_playlist("/show/media/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/show/media/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path == tmp_path / "My video.ts"
    assert result.file_path.read_bytes() == b"".join(bodies)
    assert result.size == len(b"".join(bodies))
    assert run.progress.downloaded == result.size
    assert run.progress.total == result.size  # the estimate converges on the truth
    assert only_output(tmp_path) == result.file_path  # the work folder is gone
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


async def test_a_task_that_names_its_file_gets_that_name(server, engine, tmp_path):
    bodies = serve_segments(server, "/course", 2)
    server.add_playlist("/course/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(2)]))
    run = make_run(tmp_path, server.url("/course/index.m3u8"), options={"file_stem": "02 第2课"})

    result = await engine.transfer(run.ctx)

    assert result.file_path == tmp_path / "02 第2课.ts"  # the course layout's name, not the title
    assert result.file_path.read_bytes() == b"".join(bodies)


def _master(server, heights: list[int]) -> dict[int, list[bytes]]:
    """A master playlist with one variant per height; returns each variant's segment bodies."""
    streams = {}
    entries = []
    for n, height in enumerate(heights):
        bodies = serve_segments(server, f"/master/{height}p", 3, seed=height)
        server.add_playlist(
            f"/master/{height}p/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)])
        )
        entries.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={(n + 1) * 1_000_000},RESOLUTION={height * 16 // 9}x{height}\n"
            f"{height}p/index.m3u8"
        )
        streams[height] = bodies
    server.add_playlist("/master/master.m3u8", "#EXTM3U\n" + "\n".join(entries) + "\n")
    return streams


async def test_master_playlist_defaults_to_the_highest_bandwidth(server, engine, tmp_path):
    streams = _master(server, [360, 1080, 720])
    run = make_run(tmp_path, server.url("/master/master.m3u8"))
    result = await engine.transfer(run.ctx)
    assert result.file_path.read_bytes() == b"".join(streams[720])  # listed last: the highest BANDWIDTH
    assert server.hits["/master/1080p/seg0.ts"] == 0


async def test_quality_from_the_task_wins_over_config(server, engine, tmp_path):
    streams = _master(server, [360, 720, 1080])
    run = make_run(tmp_path, server.url("/master/master.m3u8"), options={"quality": "lowest"}, hls_quality="720")
    result = await engine.transfer(run.ctx)
    assert result.file_path.read_bytes() == b"".join(streams[360])


async def test_quality_max_height_from_config(server, engine, tmp_path):
    streams = _master(server, [360, 720, 1080])
    run = make_run(tmp_path, server.url("/master/master.m3u8"), hls_quality="720")
    result = await engine.transfer(run.ctx)
    assert result.file_path.read_bytes() == b"".join(streams[720])


async def test_aes128_with_explicit_iv_and_from_media_sequence(server, engine, tmp_path):
    key = bytes(range(16))
    server.add("/aes/key.bin", key, "application/octet-stream")
    plain = [fixture_bytes(5000 + i * 7, 50 + i) for i in range(4)]
    explicit_iv = bytes(range(100, 116))
    lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key.bin"']
    for i, body in enumerate(plain[:2]):  # no IV: the media sequence number (starting at 7) is the IV
        server.add(f"/aes/s{i}.ts", encrypt(body, key, (7 + i).to_bytes(16, "big")))
        lines.append(f"#EXTINF:4,\ns{i}.ts")
    lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="key.bin",IV=0x{explicit_iv.hex()}')
    for i, body in enumerate(plain[2:], start=2):
        server.add(f"/aes/s{i}.ts", encrypt(body, key, explicit_iv))
        lines.append(f"#EXTINF:4,\ns{i}.ts")
    server.add_playlist("/aes/index.m3u8", media_playlist(lines, header="#EXT-X-MEDIA-SEQUENCE:7\n"))
    run = make_run(tmp_path, server.url("/aes/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(plain)
    assert server.hits["/aes/key.bin"] == 1  # cached, even with four segments fetched at once


async def test_key_rotation_fetches_each_key_once(server, engine, tmp_path):
    keys = [bytes([k]) * 16 for k in range(1, 4)]
    plain = [fixture_bytes(4000, 70 + i) for i in range(6)]
    lines = []
    for i, body in enumerate(plain):
        k = i // 2
        if i % 2 == 0:
            server.add(f"/rot/k{k}", keys[k], "application/octet-stream")
            lines.append(f'#EXT-X-KEY:METHOD=AES-128,URI="/rot/k{k}"')
        server.add(f"/rot/s{i}.ts", encrypt(body, keys[k], i.to_bytes(16, "big")))
        lines.append(f"#EXTINF:4,\ns{i}.ts")
    server.add_playlist("/rot/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/rot/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(plain)
    assert [server.hits[f"/rot/k{k}"] for k in range(3)] == [1, 1, 1]


async def test_byte_ranges_with_the_running_offset(server, engine, tmp_path):
    whole = fixture_bytes(10_000, 3)
    server.add("/br/all.ts", whole)
    # 0-2999 explicit, then 3000-5999 and 6000-9999 from the running offset; the tail byte is never asked for.
    lines = ["#EXTINF:4,\n#EXT-X-BYTERANGE:3000@0\nall.ts", "#EXTINF:4,\n#EXT-X-BYTERANGE:3000\nall.ts"]
    lines.append("#EXTINF:4,\n#EXT-X-BYTERANGE:3999\nall.ts")
    server.add_playlist("/br/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/br/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == whole[:9999]
    assert run.progress.total == 9999  # exact, from the byte ranges


async def test_fmp4_init_section_comes_first_and_names_an_mp4(server, engine, tmp_path):
    init, parts = fixture_bytes(600, 9), [fixture_bytes(2000, 10 + i) for i in range(3)]
    server.add("/fmp4/init.mp4", init, "video/mp4")
    for i, body in enumerate(parts):
        server.add(f"/fmp4/seg{i}.m4s", body, "video/iso.segment")
    lines = ['#EXT-X-MAP:URI="init.mp4"'] + [f"#EXTINF:4,\nseg{i}.m4s" for i in range(3)]
    server.add_playlist("/fmp4/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/fmp4/index.m3u8"), options={"remux": "auto"})

    result = await engine.transfer(run.ctx)

    assert result.file_path.name == "My video.mp4"  # already MP4: no remux needed
    assert result.file_path.read_bytes() == init + b"".join(parts)
    assert server.hits["/fmp4/init.mp4"] == 1


async def test_encrypted_init_section_and_a_map_change_at_a_discontinuity(server, engine, tmp_path):
    key, iv = bytes(16), bytes([9]) * 16
    server.add("/dis/key", key, "application/octet-stream")
    init_a, init_b = fixture_bytes(300, 1), fixture_bytes(310, 2)
    server.add("/dis/a.mp4", encrypt(init_a, key, iv))
    server.add("/dis/b.mp4", encrypt(init_b, key, iv))
    parts = [fixture_bytes(1000, 20 + i) for i in range(4)]
    for i, body in enumerate(parts):
        server.add(f"/dis/{i}.m4s", encrypt(body, key, iv))
    lines = [f'#EXT-X-KEY:METHOD=AES-128,URI="key",IV=0x{iv.hex()}', '#EXT-X-MAP:URI="a.mp4"']
    lines += ["#EXTINF:4,\n0.m4s", "#EXTINF:4,\n1.m4s", "#EXT-X-DISCONTINUITY", '#EXT-X-MAP:URI="b.mp4"']
    lines += ["#EXTINF:4,\n2.m4s", "#EXTINF:4,\n3.m4s"]
    server.add_playlist("/dis/index.m3u8", media_playlist(lines))
    run = make_run(tmp_path, server.url("/dis/index.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == init_a + parts[0] + parts[1] + init_b + parts[2] + parts[3]


async def test_discontinuity_in_mpeg_ts_keeps_every_segment_in_order(server, engine, tmp_path):
    bodies = serve_segments(server, "/tsd", 4)
    lines = ["#EXTINF:4,\nseg0.ts", "#EXTINF:4,\nseg1.ts", "#EXT-X-DISCONTINUITY", "#EXTINF:4,\nseg2.ts"]
    lines.append("#EXTINF:4,\nseg3.ts")
    server.add_playlist("/tsd/index.m3u8", media_playlist(lines))
    result = await engine.transfer(make_run(tmp_path, server.url("/tsd/index.m3u8")).ctx)
    assert result.file_path.read_bytes() == b"".join(bodies)


async def test_a_redirected_playlist_resolves_segments_against_its_final_url(server, engine, tmp_path):
    bodies = serve_segments(server, "/real/path", 3)
    server.add_playlist("/real/path/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)]))

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/real/path/index.m3u8")

    server.on("/short/link.m3u8", redirect)
    run = make_run(tmp_path, server.url("/short/link.m3u8"), title="")

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(bodies)
    assert result.file_path.name == "link.ts"  # no title: the URL's name, never `.m3u8`


async def test_alternate_audio_without_remux_is_saved_next_to_the_video(server, engine, tmp_path):
    video = serve_segments(server, "/alt/video", 2, seed=1)
    audio = [fixture_bytes(800, 90 + i) for i in range(2)]
    for i, body in enumerate(audio):
        server.add(f"/alt/audio/a{i}.aac", body, "audio/aac")
    server.add_playlist("/alt/video/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(2)]))
    server.add_playlist("/alt/audio/index.m3u8", media_playlist([f"#EXTINF:4,\na{i}.aac" for i in range(2)]))
    server.add_playlist(
        "/alt/master.m3u8",
        '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="main",DEFAULT=YES,URI="audio/index.m3u8"\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=1000,AUDIO="a"\nvideo/index.m3u8\n',
    )
    run = make_run(tmp_path, server.url("/alt/master.m3u8"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.read_bytes() == b"".join(video)
    assert (tmp_path / "My video.audio.aac").read_bytes() == b"".join(audio)
    assert run.progress.downloaded == len(b"".join(video + audio))


async def test_the_shared_client_from_services_is_left_open(server, tmp_path):
    bodies = serve_segments(server, "/svc", 2)
    server.add_playlist("/svc/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(2)]))

    async with open_services() as services:
        run = make_run(tmp_path, server.url("/svc/index.m3u8"), services=services)
        result = await HlsEngine().transfer(run.ctx)
        assert not services.http_client.is_closed  # it serves the runtime's other transfers
    assert result.file_path.read_bytes() == b"".join(bodies)


async def test_name_collisions_get_a_number_and_titles_are_made_safe(server, engine, tmp_path):
    bodies = serve_segments(server, "/names", 1)
    server.add_playlist("/names/index.m3u8", media_playlist(["#EXTINF:4,\nseg0.ts"]))
    (tmp_path / "a_b_ c.ts").write_bytes(b"someone else's file")

    result = await engine.transfer(make_run(tmp_path, server.url("/names/index.m3u8"), title="a/b: c.m3u8").ctx)

    assert result.file_path.name == "a_b_ c (1).ts"
    assert result.file_path.read_bytes() == b"".join(bodies)
    assert (tmp_path / "a_b_ c.ts").read_bytes() == b"someone else's file"


async def test_the_engine_says_every_part_is_in_before_it_assembles_the_output(server, engine, tmp_path):
    """From there the task may show Completing and its slot goes to the next download while the stream is remuxed
    and moved into place (seconds for a long lesson)."""
    serve_segments(server, "/told", 3)
    server.add_playlist("/told/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(3)]))
    run = make_run(tmp_path, server.url("/told/index.m3u8"))
    told: list[tuple[set[int], list[str]]] = []

    def completing() -> None:
        told.append((run.done_indices, [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]))

    run.ctx.enter_completing = completing
    result = await engine.transfer(run.ctx)

    assert told == [({0, 1, 2}, [])]  # once: every part checkpointed, nothing delivered yet
    assert result.file_path == tmp_path / "My video.ts"

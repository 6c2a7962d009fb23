"""ffmpeg at the end: real MPEG-TS (made by ffmpeg here) remuxed to MP4 without re-encoding, with fallbacks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from vdp.contract import ErrorCode

from .hls_fixtures import make_run, media_playlist, only_output, serve_segments

FFMPEG = shutil.which("ffmpeg")
pytestmark = pytest.mark.skipif(FFMPEG is None or shutil.which("ffprobe") is None, reason="needs ffmpeg and ffprobe")
TS_PACKET = 188


def _make_ts(folder: Path, name: str, *inputs: str, codecs: list[str]) -> bytes:
    target = folder / name
    args = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]
    for source in inputs:
        args += ["-f", "lavfi", "-i", source]
    subprocess.run([*args, "-t", "2", *codecs, "-f", "mpegts", str(target)], check=True)
    return target.read_bytes()


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("media")
    video = "testsrc=size=64x48:rate=10"
    audio = "sine=frequency=440:sample_rate=22050"
    return {
        "av": _make_ts(folder, "av.ts", video, audio, codecs=["-c:v", "mpeg4", "-c:a", "aac"]),
        "video": _make_ts(folder, "v.ts", video, codecs=["-c:v", "mpeg4"]),
        "audio": _make_ts(folder, "a.ts", audio, codecs=["-c:a", "aac"]),
    }


def _serve_split(server, folder: str, stream: bytes, parts: int = 3) -> str:
    """Serve `stream` cut at TS packet boundaries into `parts` segments; return the playlist URL."""
    packets = len(stream) // TS_PACKET
    cuts = [round(packets * i / parts) * TS_PACKET for i in range(parts)] + [len(stream)]
    for i in range(parts):
        server.add(f"{folder}/seg{i}.ts", stream[cuts[i] : cuts[i + 1]])
    server.add_playlist(f"{folder}/index.m3u8", media_playlist([f"#EXTINF:1,\nseg{i}.ts" for i in range(parts)]))
    return server.url(f"{folder}/index.m3u8")


def _streams(path: Path) -> list[str]:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return sorted(probe.stdout.split())


async def test_mpeg_ts_is_remuxed_to_mp4(server, engine, tmp_path, media):
    url = _serve_split(server, "/remux", media["av"])
    run = make_run(tmp_path, url, options={"remux": "auto"})

    result = await engine.transfer(run.ctx)

    assert result.file_path == tmp_path / "My video.mp4"
    assert result.file_path.read_bytes()[4:8] == b"ftyp"
    assert result.size == result.file_path.stat().st_size
    assert _streams(result.file_path) == ["audio", "video"]
    assert only_output(tmp_path) == result.file_path and not run.warnings


async def test_a_separate_audio_rendition_is_muxed_in(server, engine, tmp_path, media):
    _serve_split(server, "/mux/v", media["video"])
    _serve_split(server, "/mux/a", media["audio"], parts=2)
    server.add_playlist(
        "/mux/master.m3u8",
        '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="en",AUTOSELECT=YES,URI="a/index.m3u8"\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=90000,RESOLUTION=64x48,CODECS="mp4v.20.9,mp4a.40.2",AUDIO="aac"\nv/index.m3u8\n',
    )
    run = make_run(tmp_path, server.url("/mux/master.m3u8"), options={"remux": "auto"})

    result = await engine.transfer(run.ctx)

    assert result.file_path.name == "My video.mp4"
    assert _streams(result.file_path) == ["audio", "video"]
    assert only_output(tmp_path) == result.file_path


async def test_a_failed_remux_keeps_the_stream_with_a_warning(server, engine, tmp_path):
    bodies = serve_segments(server, "/junk", 2)  # random bytes: ffmpeg cannot read them
    server.add_playlist("/junk/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(2)]))
    run = make_run(tmp_path, server.url("/junk/index.m3u8"), options={"remux": "auto"})

    result = await engine.transfer(run.ctx)

    assert result.file_path.name == "My video.ts"
    assert result.file_path.read_bytes() == b"".join(bodies)
    assert [code for code, _ in run.warnings] == [ErrorCode.FFMPEG_MISSING]
    assert "Remux to MP4 failed" in run.warnings[0][1]
    assert only_output(tmp_path) == result.file_path


async def test_a_configured_ffmpeg_that_does_not_exist(server, engine, tmp_path, media):
    url = _serve_split(server, "/noff", media["av"])
    run = make_run(tmp_path, url, options={"remux": "auto"}, ffmpeg_path=str(tmp_path / "no-ffmpeg"))

    result = await engine.transfer(run.ctx)

    assert result.file_path.name == "My video.ts"
    assert result.file_path.read_bytes() == media["av"]
    missing = tmp_path / "no-ffmpeg"
    assert run.warnings == [(ErrorCode.FFMPEG_MISSING, f"ffmpeg not found at {missing}; keeping the stream as is")]

"""YtDlpEngine downloading from real pages on 127.0.0.1: bytes, progress, pause/resume, cancel and failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from vdp.contract import DownloadConfig, ErrorCode
from vdp.engines.base import TransferInterrupted
from vdp.engines.ytdlp import YtDlpEngine
from vdp.errors import VdpError

from .media_site import Gate, sha256

NO_FFMPEG = {"ffmpeg_path": "/nonexistent/ffmpeg"}


async def test_download_names_the_file_after_the_title_and_reports_progress(media_site, make_context):
    rec = make_context(media_site.url("video.html"))
    result = await YtDlpEngine().transfer(rec.ctx)

    clip = media_site.media["clip.mp4"]
    assert result.file_path.parent == rec.ctx.output_dir.resolve()
    assert result.file_path.name.startswith("Sample Clip") and result.file_path.suffix == ".mp4"
    assert result.size == len(clip)
    assert sha256(result.file_path.read_bytes()) == sha256(clip)
    assert (rec.sink.downloaded, rec.sink.total) == (len(clip), len(clip))
    assert rec.sink.advances > 1
    # The format and the name yt-dlp chose were checkpointed before the first byte.
    first = rec.checkpoints[0].meta
    assert first["format_id"] and Path(first["filename"]) == result.file_path
    assert list(rec.ctx.output_dir.iterdir()) == [result.file_path]


async def test_pause_keeps_the_part_and_resume_continues_it(media_site, make_context):
    clip = media_site.media["clip.mp4"]
    media_site.gate = Gate(after_bytes=1024 * 1024)
    paused = make_context(media_site.url("video.html"))
    transfer = asyncio.create_task(YtDlpEngine().transfer(paused.ctx))
    await media_site.gate.served.wait()
    paused.ctx.cancel.cancel("pause")
    media_site.gate.release.set()
    with pytest.raises(TransferInterrupted):
        await transfer
    async with asyncio.timeout(10):  # a hang guard: the paused download let go of its connection
        await media_site.gate.finished.wait()
    assert not media_site.gate.completed

    state = paused.checkpoints[-1]
    [part] = [Path(p) for p in state.meta["part_files"]]
    assert part.name.endswith(".part") and 0 < part.stat().st_size < len(clip)
    assert paused.sink.downloaded == part.stat().st_size  # progress never claims more than the part holds
    kept = part.stat().st_size

    media_site.gate = None
    media_site.range_headers.clear()
    resumed = make_context(media_site.url("video.html"), resume=state)
    result = await YtDlpEngine().transfer(resumed.ctx)

    assert media_site.range_headers == [f"bytes={kept}-"]
    assert resumed.sink.restarts[0] == kept
    assert resumed.sink.downloaded == len(clip)
    assert sha256(result.file_path.read_bytes()) == sha256(clip)
    assert not part.exists()


async def test_cancel_stops_and_removes_the_partial_file(media_site, make_context):
    media_site.gate = Gate(after_bytes=512 * 1024)
    rec = make_context(media_site.url("video.html"))
    transfer = asyncio.create_task(YtDlpEngine().transfer(rec.ctx))
    await media_site.gate.served.wait()
    rec.ctx.cancel.cancel("cancel")
    media_site.gate.release.set()
    with pytest.raises(TransferInterrupted):
        await transfer

    assert list(rec.ctx.output_dir.iterdir()) == []
    assert rec.checkpoints[-1].meta == {}


async def test_abandoned_transfer_stops_its_download_thread(media_site, make_context):
    media_site.gate = Gate(after_bytes=512 * 1024)
    rec = make_context(media_site.url("video.html"))
    transfer = asyncio.create_task(YtDlpEngine().transfer(rec.ctx))
    await media_site.gate.served.wait()
    transfer.cancel()
    media_site.gate.release.set()
    with pytest.raises(asyncio.CancelledError):
        await transfer
    async with asyncio.timeout(10):  # a hang guard: the worker thread dropped the connection
        await media_site.gate.finished.wait()
    assert not media_site.gate.completed


async def test_config_user_agent_reaches_the_server(media_site, make_context):
    rec = make_context(media_site.url("og.html"), config=DownloadConfig(user_agent="VDP-Test/1.0", **NO_FFMPEG))
    await YtDlpEngine().transfer(rec.ctx)
    assert media_site.user_agents == ["VDP-Test/1.0"]


async def test_max_height_picks_the_matching_source(media_site, make_context):
    rec = make_context(media_site.url("sources.html"), options={"format": "360p"})
    result = await YtDlpEngine().transfer(rec.ctx)
    assert sha256(result.file_path.read_bytes()) == sha256(media_site.media["clip_360.mp4"])

    rec = make_context(media_site.url("sources.html"), output_dir=rec.ctx.output_dir / "best")
    result = await YtDlpEngine().transfer(rec.ctx)
    assert sha256(result.file_path.read_bytes()) == sha256(media_site.media["clip_720.mp4"])


async def test_without_ffmpeg_a_single_file_format_is_chosen_and_the_ui_is_told(media_site, make_context):
    rec = make_context(media_site.url("og.html"), config=DownloadConfig(**NO_FFMPEG))
    result = await YtDlpEngine().transfer(rec.ctx)
    assert sha256(result.file_path.read_bytes()) == sha256(media_site.media["clip_360.mp4"])
    assert [code for code, _ in rec.warnings] == [ErrorCode.FFMPEG_MISSING]
    assert "ffmpeg" in rec.warnings[0][1]


async def test_a_merged_format_id_without_ffmpeg_fails_clearly(media_site, make_context):
    rec = make_context(media_site.url("video.html"), config=DownloadConfig(**NO_FFMPEG), options={"format": "137+140"})
    with pytest.raises(VdpError) as err:
        await YtDlpEngine().transfer(rec.ctx)
    assert err.value.code is ErrorCode.FFMPEG_MISSING
    assert media_site.range_headers == []


async def test_hls_found_in_a_page_is_downloaded_segment_by_segment(media_site, make_context):
    rec = make_context(media_site.url("hls.html"), config=DownloadConfig(**NO_FFMPEG))
    result = await YtDlpEngine().transfer(rec.ctx)
    assert result.file_path.read_bytes() == media_site.hls_bytes
    assert rec.sink.downloaded == len(media_site.hls_bytes)


async def test_page_without_media_is_an_unsupported_site(media_site, make_context):
    rec = make_context(media_site.url("plain.html"))
    with pytest.raises(VdpError) as err:
        await YtDlpEngine().transfer(rec.ctx)
    assert err.value.code is ErrorCode.UNSUPPORTED_SITE


async def test_media_that_404s_is_a_classified_failure(media_site, make_context):
    rec = make_context(media_site.url("broken.html"))
    with pytest.raises(VdpError) as err:
        await YtDlpEngine().transfer(rec.ctx)
    assert err.value.code is ErrorCode.UNAVAILABLE
    assert "404" in err.value.message
    assert not any(rec.ctx.output_dir.iterdir())


def test_the_rate_limit_given_to_yt_dlp_is_the_tighter_of_the_global_and_the_task_one() -> None:
    from types import SimpleNamespace

    from vdp.engines.ratelimit import RateLimits
    from vdp.engines.ytdlp.engine import _rate_limit

    def ctx(global_rate, option):  # type: ignore[no-untyped-def]
        options = {"rate_limit": option} if option else {}
        return SimpleNamespace(services=SimpleNamespace(limits=RateLimits(global_rate)),
                               task=SimpleNamespace(engine_options=options))

    assert _rate_limit(ctx(None, None)) is None
    assert _rate_limit(ctx(1_000_000, None)) == 1_000_000
    assert _rate_limit(ctx(1_000_000, "500000")) == 500_000
    assert _rate_limit(ctx(None, "2000000")) == 2_000_000

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



async def test_the_engine_says_every_byte_is_in_before_yt_dlp_finishes_the_file(media_site, make_context):
    """Told once, when yt-dlp's post-processing begins (a merge, a fix-up, the move into place): from there the task
    may show Completing and its slot goes to the next download."""
    rec = make_context(media_site.url("video.html"))
    told: list[int] = []

    def completing() -> None:
        told.append(rec.sink.downloaded)

    rec.ctx.enter_completing = completing
    result = await YtDlpEngine().transfer(rec.ctx)

    assert told == [len(media_site.media["clip.mp4"])] and result.size == told[0]

async def test_a_task_that_names_its_file_gets_that_name_with_the_sites_extension(media_site, make_context):
    rec = make_context(media_site.url("video.html"), options={"file_stem": "03 第3课 100%"})
    result = await YtDlpEngine().transfer(rec.ctx)

    assert result.file_path.name == "03 第3课 100%.mp4"
    assert sha256(result.file_path.read_bytes()) == sha256(media_site.media["clip.mp4"])


async def _paused_after_a_mebibyte(media_site, make_context):
    """A download of the clip paused once the site has served 1 MiB of it; its context (checkpoints, sink)."""
    media_site.gate = Gate(after_bytes=1024 * 1024)
    paused = make_context(media_site.url("video.html"))
    transfer = asyncio.create_task(YtDlpEngine().transfer(paused.ctx))
    await media_site.gate.served.wait()
    paused.ctx.cancel.cancel("pause")
    media_site.gate.release.set()
    with pytest.raises(TransferInterrupted):
        await transfer
    return paused


async def test_pause_keeps_the_part_and_resume_continues_it(media_site, make_context):
    clip = media_site.media["clip.mp4"]
    paused = await _paused_after_a_mebibyte(media_site, make_context)
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


async def test_a_limit_holds_yt_dlp_and_lifting_it_wakes_the_download(media_site, make_context):
    """The global bucket, shared with the other engines, holds yt-dlp's download thread after each block; a lift
    applies at once (yt-dlp's own `ratelimit` would stay fixed for the whole download)."""
    from tests.support.observed_bucket import ObservedBucket

    rec = make_context(media_site.url("video.html"))
    limits = rec.ctx.services.limits
    limits.global_bucket = ObservedBucket(1024)  # 8 MiB at 1 KiB/s: over two hours
    transfer = asyncio.create_task(YtDlpEngine().transfer(rec.ctx))
    await limits.global_bucket.held(3)
    assert not transfer.done() and rec.sink.downloaded < len(media_site.media["clip.mp4"])
    limits.global_bucket.set_rate(None)
    result = await asyncio.wait_for(transfer, 60)
    assert sha256(result.file_path.read_bytes()) == sha256(media_site.media["clip.mp4"])


async def test_a_task_limit_holds_yt_dlp_and_a_pause_ends_the_wait(media_site, make_context):
    from tests.support.observed_bucket import ObservedBucket

    rec = make_context(media_site.url("video.html"))
    bucket = ObservedBucket(1024)
    rec.ctx.services.limits._tasks[rec.ctx.task.id] = bucket
    transfer = asyncio.create_task(YtDlpEngine().transfer(rec.ctx))
    await bucket.held(3)
    rec.ctx.cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        await asyncio.wait_for(transfer, 60)


async def test_a_resumed_download_is_charged_only_for_the_bytes_it_fetches(media_site, make_context):
    """yt-dlp's first report of a resumed part counts the bytes already in it; charging those to the bucket would
    hold the download (and, through the global bucket, every other one) for as long as fetching them again would
    take at the limit."""
    from vdp.engines.ratelimit import TokenBucket

    class ChargedBucket(TokenBucket):
        charged = 0

        async def consume(self, nbytes: int) -> None:
            ChargedBucket.charged += nbytes
            await super().consume(nbytes)

    clip = media_site.media["clip.mp4"]
    paused = await _paused_after_a_mebibyte(media_site, make_context)
    state = paused.checkpoints[-1]
    kept = sum(Path(p).stat().st_size for p in state.meta["part_files"])
    assert 0 < kept < len(clip)

    media_site.gate = None
    resumed = make_context(media_site.url("video.html"), resume=state)
    resumed.ctx.services.limits._tasks[resumed.ctx.task.id] = ChargedBucket(float(1 << 40))  # passes at once
    result = await YtDlpEngine().transfer(resumed.ctx)

    assert sha256(result.file_path.read_bytes()) == sha256(clip)
    assert ChargedBucket.charged == len(clip) - kept

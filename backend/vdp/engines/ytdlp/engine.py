"""`YtDlpEngine`: downloads a page's video with yt-dlp in a worker thread, under the runtime's pause and cancel.

Pause and cancel take effect at the next block yt-dlp writes (its progress hook raises), or when its socket
read times out. A pause keeps yt-dlp's `.part` files; the next attempt asks for the same format first and
yt-dlp continues them (`continuedl`). The final path is the one yt-dlp reports, never guessed from the folder.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress
from pathlib import Path
from typing import Any, Callable, Optional

from yt_dlp import YoutubeDL

from ...contract import ErrorCode
from ...errors import VdpError, classify_os_error
from .. import names
from ..base import PARTIAL_PATHS, ResumeState, TransferContext, TransferInterrupted, TransferResult
from ..durability import fsync_files
from ..naming import sanitize_filename
from ..ratelimit import RateLimits
from ..routing import require_http_url
from ..scope import until_cancelled
from ._errors import classify_ytdlp_error
from ._format_choice import choose_format
from ._options import base_params
from ._progress import DownloadInterrupted, ProgressBridge
from .info import check_ffmpeg

# Named after the extracted title; the id keeps two videos with the same title from sharing a `.part` file.
# Byte limits keep the name under common filesystem limits even for long CJK titles.
OUTPUT_TEMPLATE = "%(title).150B [%(id).40B].%(ext)s"


def output_template(file_stem: Optional[str]) -> str:
    """The task's own name (the course layout's `NN 课程名称`, already unique) with yt-dlp's extension, else the
    title and the id. `%` is yt-dlp's template syntax, so a literal one is doubled."""
    return f"{sanitize_filename(file_stem).replace('%', '%%')}.%(ext)s" if file_stem else OUTPUT_TEMPLATE


class YtDlpEngine:
    name = names.YTDLP

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        require_http_url(ctx.task.url)
        loop = asyncio.get_running_loop()
        output_dir = _prepare_output_dir(ctx.output_dir)
        ffmpeg = await check_ffmpeg(ctx.config.ffmpeg_path)
        wanted = ctx.task.engine_options.get("format") or ctx.config.ytdlp_format
        choice = choose_format(wanted, ffmpeg=ffmpeg, resumed_format_id=ctx.resume.meta.get("format_id"))
        if choice.warning:
            ctx.warn(ErrorCode.FFMPEG_MISSING, choice.warning)

        resumed = _resumed_parts(ctx.resume.meta, output_dir)
        resumable = sum(resumed.values())
        ctx.progress.restart(resumable)
        throttle = _throttle(loop, ctx.services.limits, ctx)
        bridge = ProgressBridge(loop, ctx.progress, ctx.cancel, resumable, throttle, resumed=resumed)
        params = {
            **base_params(ctx.config),
            "format": choice.selector,
            "paths": {"home": str(output_dir), "temp": str(output_dir)},
            "outtmpl": {"default": output_template(ctx.task.engine_options.get("file_stem"))},
            "windowsfilenames": True,  # one portable name on every OS
            "continuedl": True,
            "playlist_items": "1",  # a task is one video; a page holding several gives its first
            "merge_output_format": "mp4/mkv",
            "progress_hooks": [bridge.hook],
            "postprocessor_hooks": [_downloads_done(loop, ctx)],
        }

        started: dict[str, Any] = dict(ctx.resume.meta)

        def checkpoint_from_thread(meta: dict[str, Any]) -> None:
            # Durable before the first byte: the next attempt must ask for the same format to continue the part.
            started.update(meta)
            asyncio.run_coroutine_threadsafe(ctx.checkpoint(ResumeState(meta=dict(started))), loop).result()

        try:
            info = await asyncio.to_thread(_download_blocking, ctx.task.url, params, bridge, checkpoint_from_thread)
        except asyncio.CancelledError:
            bridge.abort()
            raise
        except Exception as exc:
            raise classify_ytdlp_error(exc) from exc
        bridge.flush()
        if info is None:
            await _stop(ctx, started, bridge, output_dir)
            raise TransferInterrupted(ctx.cancel.reason or "cancel")
        path = _final_path(info, output_dir)
        return TransferResult(file_path=path, size=path.stat().st_size)


def _downloads_done(loop: asyncio.AbstractEventLoop, ctx: TransferContext) -> Callable[[dict[str, Any]], None]:
    """yt-dlp's post-processor hook (in its download thread): the first post-processor to start (a merge, a fix-up,
    the move into place) means every file is downloaded. The task may then show Completing, and its slot goes to
    the next download while ffmpeg merges (seconds for a long video)."""
    told = False  # read and set on yt-dlp's one download thread

    def hook(status: dict[str, Any]) -> None:
        nonlocal told
        if status.get("status") == "started" and not told:
            told = True
            loop.call_soon_threadsafe(ctx.completing)

    return hook


def _download_blocking(
    url: str, params: dict[str, Any], bridge: ProgressBridge, checkpoint: Callable[[dict[str, Any]], None]
) -> Optional[dict[str, Any]]:
    """Extract, checkpoint the chosen format, then download, in the calling (worker) thread.

    Returns yt-dlp's final info dict, or None when the download was interrupted by pause or cancel."""
    with YoutubeDL(params) as ydl:
        info = ydl.extract_info(url, download=False)
        if info.get("_type") == "playlist":
            entries = list(info.get("entries") or ())
            if not entries:
                raise VdpError(ErrorCode.UNAVAILABLE, f"No video found at {url}")
            info = entries[0]
        if bridge.stopped:
            return None
        checkpoint({"format_id": info.get("format_id"), "filename": ydl.prepare_filename(info)})
        try:
            return ydl.process_ie_result(info, download=True)
        except DownloadInterrupted:
            # Not re-raised: its traceback keeps yt-dlp's open HTTP response alive, and with it the connection
            # of a paused download. Leaving this block frees those frames and closes the socket now.
            return None


def _prepare_output_dir(output_dir: Path) -> Path:
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise classify_os_error(exc, str(output_dir)) from exc
    return output_dir.resolve()


def _throttle(loop: asyncio.AbstractEventLoop, limits: RateLimits, ctx: TransferContext) -> Callable[[int], None]:
    """The bandwidth limits for yt-dlp's download thread: after each block, wait on the loop for the global and the
    task's buckets (shared with the other engines, so a change or a lift applies at the next block; yt-dlp's own
    `ratelimit` is fixed for the whole download). A pause or cancel ends the wait at once."""
    task_id = ctx.task.id
    limits.seed(task_id, ctx.task.engine_options.get("rate_limit"))

    async def wait(nbytes: int) -> None:
        with suppress(TransferInterrupted):  # the progress hook raises for yt-dlp once this returns
            await until_cancelled(ctx.cancel, limits.consume(task_id, nbytes))

    def throttle(nbytes: int) -> None:
        if limits.limited:
            asyncio.run_coroutine_threadsafe(wait(nbytes), loop).result()

    return throttle


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)


def _resumed_parts(meta: dict[str, Any], output_dir: Path) -> dict[str, int]:
    """The part files a pause kept (as yt-dlp names them) and the bytes already in each."""
    parts = [Path(p) for p in meta.get("part_files", ())]
    return {str(p): p.stat().st_size for p in parts if _inside(p, output_dir) and p.is_file()}


def _remove_parts(paths: list[Path]) -> None:
    for path in paths:
        for leftover in (path, path.with_name(path.name + ".ytdl")):
            leftover.unlink(missing_ok=True)


async def _stop(ctx: TransferContext, meta: dict[str, Any], bridge: ProgressBridge, output_dir: Path) -> None:
    """Pause: make the `.part` files durable, then checkpoint them. Cancel: delete them, then clear the state."""
    parts = [p for p in map(Path, bridge.part_files) if _inside(p, output_dir)]
    existing = [p for p in parts if p.is_file()]
    try:
        if ctx.cancel.reason == "pause":
            await asyncio.to_thread(fsync_files, existing)
            kept = [str(p) for p in existing]
            leftovers = kept + [f"{p}.ytdl" for p in kept]
            await ctx.checkpoint(ResumeState(meta={**meta, "part_files": kept, PARTIAL_PATHS: leftovers}))
        else:
            await asyncio.to_thread(_remove_parts, parts)
            await ctx.checkpoint(ResumeState())
    except OSError as exc:
        raise classify_os_error(exc, str(output_dir)) from exc


def _final_path(info: dict[str, Any], output_dir: Path) -> Path:
    downloads = info.get("requested_downloads") or [{}]
    reported = downloads[0].get("filepath") or info.get("filepath")
    if not reported:
        raise VdpError(ErrorCode.INTERNAL, "yt-dlp finished without reporting the file it wrote")
    path = Path(reported).resolve()
    if not path.is_relative_to(output_dir):
        raise VdpError(ErrorCode.PERMISSION_DENIED, f"yt-dlp wrote outside the output folder: {path}")
    if not path.is_file():
        raise VdpError(ErrorCode.IO_ERROR, f"The downloaded file is missing: {path}")
    return path

"""`HlsEngine`: an HLS (M3U8) VOD stream to one verified file, resumable segment by segment.

Steps: load the playlist (choosing a variant of a master playlist, and its separate audio rendition if it has
one), plan the parts (segments and EXT-X-MAP init sections), fetch the parts that are not already durable while
appending them in order to one file per track, deliver the file under a unique name, remove the work folder.

Decisions:
- Live playlists (no EXT-X-ENDLIST and not PLAYLIST-TYPE=VOD) are refused with LIVE_STREAM. Recording a live
  stream has no natural end, no verifiable size and no useful resume; the yt-dlp engine covers it.
- A separate audio rendition is fetched as a second track and muxed with the video by ffmpeg (stream copy)
  into `<title>.mp4`. Without ffmpeg, or when muxing fails, it is delivered next to the video as
  `<title>.audio.<ext>` with a warning; the result names the video file.
- MPEG-TS output is remuxed to MP4 by ffmpeg when available (config `ffmpeg_path`, else PATH); if ffmpeg is
  missing or fails, the `.ts` is kept (with a warning when something went wrong). The task option
  `engine_options["remux"] = "off"` keeps the assembled stream exactly as received. fMP4 streams are already
  MP4 and are delivered as concatenated.
- Quality: `engine_options["quality"]`, else `config.hls_quality`: "highest", "lowest" or a max height ("720").
- Resume: each finished part is a complete `Chunk(index, 0, size - 1, size)`; `ResumeState.meta` holds the
  playlist identity (URLs without query, segment counts), the work folder and, per track, how many parts are
  appended to its track file and its length. A resume that no longer matches the playlist starts over with a
  RESUME_INVALIDATED warning.
- Integrity: a part that is missing, short (against its byte range or Content-Length) or does not decrypt
  fails the task after its retries; finished parts stay for the next attempt. A part is appended only with its
  recorded size, in order, so the output can never have a hole.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional

import httpx

from ...contract import ErrorCode
from ...errors import VdpError, classify_os_error
from .. import names
from ..base import PARTIAL_PATHS, Chunk, ResumeState, TransferContext, TransferResult
from ..budget import ConnectionBudget
from ..durability import fsync_files, fsync_folder
from ..ratelimit import RateLimits
from ..request_path import RequestPath
from ..scope import until_cancelled
from ._assemble import Assembler, move_unique, resume_parts
from ._crypto import KeyStore
from ._download import SegmentDownloader
from ._ffmpeg import find_ffmpeg, remux
from ._http import QuickRetries, fetch_small
from ._names import is_work_dir_name, safe_stem, work_dir_name
from ._plan import Plan, build_plan
from ._select import select_audio, select_variant
from ._workdir import WorkDir
from .playlist import MasterPlaylist, MediaPlaylist, Playlist, PlaylistLimits, parse_playlist

_MAX_MASTER_DEPTH = 3  # master → master → … → media; deeper nesting is hostile or broken
_MAX_KEY_BYTES = 1024


class HlsEngine:
    name = names.HLS

    def __init__(self, *, retry_backoff: float = 1.0, limits: PlaylistLimits = PlaylistLimits()) -> None:
        self._retry_backoff = retry_backoff
        self._limits = limits

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        retries = QuickRetries(ctx.retries, self._retry_backoff, ctx.warn)
        budget = ctx.services.connections
        async with budget.first():
            return await _Transfer(ctx, ctx.services.requests, retries, self._limits, budget).run()


class _Transfer:
    """One run of one task."""

    def __init__(
        self, ctx: TransferContext, requests: RequestPath, retries: QuickRetries, limits: PlaylistLimits,
        budget: ConnectionBudget,
    ) -> None:
        self._ctx = ctx
        self._budget = budget
        self._requests = requests  # the settings in force when the transfer began, for all of its requests
        self._cookies = httpx.Cookies()  # what the servers of this transfer set (a CDN's signed cookies)
        self._retries = retries
        self._limits = limits

    async def run(self) -> TransferResult:
        ctx = self._ctx
        plan = build_plan(await until_cancelled(ctx.cancel, self._load_tracks()))
        output_dir = ctx.output_dir.absolute()
        stem = safe_stem(ctx.task.engine_options.get("file_stem") or ctx.task.title, ctx.task.url)
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
            work, assembler, state = await self._resume(plan, output_dir, stem)
        except OSError as exc:
            raise classify_os_error(exc, str(output_dir)) from None
        ctx.progress.restart(state.durable_bytes)
        downloader = SegmentDownloader(
            requests=self._requests,
            cookies=self._cookies,
            retries=self._retries,
            keys=KeyStore(self._fetch_key),
            work=work,
            assembler=assembler,
            state=state,
            progress=ctx.progress,
            checkpoint=ctx.checkpoint,
            cancel=ctx.cancel,
            concurrency=ctx.config.hls_segment_concurrency,
            budget=self._budget,
            exact_size=plan.exact_size,
            limits=self._rate_limits(ctx),
            task_id=ctx.task.id,
        )
        done = {chunk.index for chunk in state.chunks}
        try:
            await downloader.run([p for p in plan.parts if p.index not in done])
        finally:
            # Paused, failed or finished: what is durable is checkpointed, so the next attempt skips it.
            await downloader.save()
        if not assembler.complete():  # every part was fetched, so every part must be in its track file
            raise VdpError(ErrorCode.SIZE_MISMATCH, "The assembled stream is missing parts; they will be fetched again")
        # Every part is in: the remux and the move may take a while (seconds for a long lesson), meanwhile the task
        # shows Completing and the next download has its slot.
        ctx.completing()
        try:
            return await self._deliver(plan, work, assembler, output_dir, stem)
        except OSError as exc:
            raise classify_os_error(exc, str(output_dir)) from None

    # -- playlists -------------------------------------------------------------------------------------------

    async def _load_tracks(self) -> list[tuple[str, MediaPlaylist]]:
        task = self._ctx.task
        preference = task.engine_options.get("quality") or self._ctx.config.hls_quality
        playlist = await self._load(task.url)
        visited = {task.url, playlist.url}
        audio_url: Optional[str] = None
        depth = 0
        while isinstance(playlist, MasterPlaylist):
            depth += 1
            if depth > _MAX_MASTER_DEPTH:
                raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Master playlists nest more than {_MAX_MASTER_DEPTH} deep")
            variant = select_variant(playlist, preference)
            rendition = select_audio(playlist, variant)
            audio_url = rendition.uri if rendition is not None else audio_url
            if variant.uri in visited:
                raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Master playlist refers back to {variant.uri}")
            playlist = await self._load(variant.uri)
            visited.update((variant.uri, playlist.url))
        tracks = [("video", playlist)]
        if audio_url is not None:
            audio = await self._load(audio_url)
            if not isinstance(audio, MediaPlaylist):
                raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Audio rendition {audio_url} is not a media playlist")
            tracks.append(("audio", audio))
        for _, media in tracks:
            if not media.ended:
                raise VdpError(
                    ErrorCode.LIVE_STREAM,
                    "This is a live stream (the playlist has no #EXT-X-ENDLIST); recording live streams is not"
                    " supported by the HLS engine",
                )
        return tracks

    async def _load(self, url: str) -> Playlist:
        body, final_url = await self._retries.run(
            lambda: fetch_small(
                self._requests,
                url,
                cookies=self._cookies,
                limit=self._limits.max_bytes,
                what=f"Playlist {url}",
                oversize=ErrorCode.INVALID_PLAYLIST,
            )
        )
        return parse_playlist(body, final_url, self._limits)

    @staticmethod
    def _rate_limits(ctx: TransferContext) -> RateLimits:
        limits = ctx.services.limits
        limits.seed(ctx.task.id, ctx.task.engine_options.get("rate_limit"))
        return limits

    async def _fetch_key(self, uri: str) -> bytes:
        # No retries of its own: a key is fetched within a part's attempt, and the part is retried.
        body, _ = await fetch_small(
            self._requests,
            uri,
            cookies=self._cookies,
            limit=_MAX_KEY_BYTES,
            what=f"AES key {uri}",
            oversize=ErrorCode.INVALID_RESPONSE,
        )
        return body

    # -- resume ----------------------------------------------------------------------------------------------

    async def _resume(self, plan: Plan, output_dir: Path, stem: str) -> tuple[WorkDir, Assembler, ResumeState]:
        """The work folder, what is already assembled, and the durable parts this attempt may keep."""
        previous = self._ctx.resume
        identity = {"engine": names.HLS, **plan.identity()}
        name = previous.meta.get("work_dir")
        if not (isinstance(name, str) and is_work_dir_name(name)):
            name = work_dir_name(stem, self._ctx.task.id)
        work = WorkDir(output_dir / name)
        matches = all(previous.meta.get(key) == value for key, value in identity.items())
        positions: dict[str, list[int]] = {}
        chunks: list[Chunk] = []
        if matches:
            positions, chunks = await asyncio.to_thread(
                resume_parts, work, plan.tracks, len(plan.parts), previous.meta.get("assembled"), previous.chunks
            )
        if len(chunks) < len(previous.chunks):
            reason = (
                "some finished segments are missing from disk and will be fetched again"
                if matches
                else "the playlist changed since the last attempt, so the download starts over"
            )
            self._ctx.warn(ErrorCode.RESUME_INVALIDATED, f"Resume: {reason}")
        await asyncio.to_thread(work.create if chunks else work.clear)
        assembler = Assembler(work, plan.tracks, positions if chunks else {})
        return work, assembler, ResumeState({**identity, "work_dir": name, PARTIAL_PATHS: [name]}, chunks)

    # -- output ----------------------------------------------------------------------------------------------

    async def _deliver(
        self, plan: Plan, work: WorkDir, assembler: Assembler, output_dir: Path, stem: str
    ) -> TransferResult:
        assembled = [(track, assembler.track_file(track)) for track in plan.tracks]
        (video_track, video), *others = assembled
        audio_track, audio = others[0] if others else (None, None)
        wants_mp4 = video_track.extension == ".ts" or audio is not None
        if wants_mp4 and self._ctx.task.engine_options.get("remux", "auto") != "off":
            muxed = await self._remux(video, audio, work.path / "remuxed.mp4")
            if muxed is not None:
                return await self._finish(work, muxed, output_dir, stem, ".mp4")
        if audio_track is not None and audio is not None:
            await asyncio.to_thread(move_unique, audio, output_dir, f"{stem}.audio", audio_track.extension)
        return await self._finish(work, video, output_dir, stem, video_track.extension)

    async def _remux(self, video: Path, audio: Optional[Path], target: Path) -> Optional[Path]:
        """The MP4 made by ffmpeg, or None (with a warning when the user would expect one) to keep the stream."""
        configured = self._ctx.config.ffmpeg_path
        ffmpeg = find_ffmpeg(configured)
        if ffmpeg is None:
            if configured or audio is not None:
                where = f"at {configured}" if configured else "on PATH"
                kept = "the audio track is saved as a separate file" if audio else "keeping the stream as is"
                self._ctx.warn(ErrorCode.FFMPEG_MISSING, f"ffmpeg not found {where}; {kept}")
            return None
        failure = await until_cancelled(self._ctx.cancel, remux(ffmpeg, video, audio, target))
        if failure is not None:
            self._ctx.warn(ErrorCode.FFMPEG_MISSING, f"Remux to MP4 failed, keeping the stream as is: {failure}")
            return None
        await asyncio.to_thread(fsync_files, [target])
        return target

    async def _finish(
        self, work: WorkDir, source: Path, output_dir: Path, stem: str, extension: str
    ) -> TransferResult:
        final, size = await asyncio.to_thread(_move_into_place, work, source, output_dir, stem, extension)
        return TransferResult(final, size)


def _move_into_place(work: WorkDir, source: Path, output_dir: Path, stem: str, extension: str) -> tuple[Path, int]:
    """The output under its final name, that name made durable (with an audio file moved beside it before), then
    the work folder removed. Blocking: one trip to a thread."""
    final = move_unique(source, output_dir, stem, extension)
    fsync_folder(output_dir)
    size = final.stat().st_size
    work.remove()
    return final, size

"""The HTTP(S) TransferEngine: resumable, validated, optionally multi-connection.

One attempt, in order:
1. Open the first request (`Range: bytes=N-`, with `If-Range` when resuming) and judge the answer: a web page
   instead of the file, a range that was ignored (200) or answered wrongly, or a file that changed, all lead to a
   clean restart from zero or a clear failure, never a stitched file.
2. On a fresh start choose the file name, claim `<name>.part`, check free space and preallocate. A file of at most
   SMALL_FILE bytes is claimed later, at step 5: its body is held in memory until the last byte.
3. Stream into the `.part` file with `pwrite` in large batches, asking the kernel to write them out as they come.
   Range-capable files get one more connection at a time while the open ones are slow (slow start by measurement);
   an idle connection takes an orphaned piece or splits the largest remaining one (work stealing). Connections the
   server refuses (429/503, resets, one connection only) are dropped and their pieces flow back, down to one.
4. Checkpoints: `fsync` first, then hand the piece map to the runtime (at least every 3 s or 1 MiB, at most once a
   second), so the database never claims bytes that are not on disk. A held small file stopped before its last byte
   writes what came to its `.part` and checkpoints it instead (`_spill`).
5. Completing: verify length (and hash when configured), seal (`fsync`), checkpoint the sealed file's fingerprint,
   rename `.part` atomically, `fsync` the folder; a run killed after the rename finds its file by that fingerprint
   (`_renamed_before`). A small file is claimed, written, sealed and renamed here, in one trip to a thread; it has
   no checkpoint, so it is marked with its task's id instead, and a run killed after its rename finds its file by
   that mark and its bytes (`_stored_before`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import shutil
import time
import zlib
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Coroutine, Optional

import httpx

from ...contract import ErrorCode
from ...errors import VdpError, classify_os_error
from ...regular_file import open_regular
from .. import names
from ..base import PARTIAL_PATHS, Chunk, ResumeState, TransferContext, TransferInterrupted, TransferResult
from ..budget import ConnectionBudget
from ..durability import fsync_folder, start_writeback
from ..naming import choose_filename, claim_unique, inside, open_unique, unique_candidates
from ..portable_io import BINARY, pread, preallocate, pwrite
from ..request_errors import error_for_exception
from ..request_path import RequestPath
from ..responses import error_for_status, if_range_value, looks_like_web_page, parse_content_range, validators
from ..scope import TransferScope, run_to_end
from .pieces import PieceMap
from .ramp import RATE_LIMIT_WINDOW, RampUp

log = logging.getLogger(__name__)

WRITE_BATCH = 1 << 20
WRITE_DIRECT = 256 << 10
FLUSH_INTERVAL = 0.5
CHECKPOINT_BYTES = 1 << 20
CHECKPOINT_MIN_INTERVAL = 0.5
CHECKPOINT_MAX_INTERVAL = 3.0
WRITEBACK_BYTES = 32 << 20
MIN_SPLIT = 1 << 20
SEGMENT_THRESHOLD = 4 << 20
FREE_SPACE_MARGIN = 16 << 20
MAX_RESTARTS = 2
# A fresh file no larger than this is held in memory until its last byte, then claimed, written, synced and renamed
# in one trip to a thread. Per file that saves a trip to a thread and back, the first checkpoint (a row written)
# and the writes on the loop thread, which were most of what a small file cost beyond its request. Stopped before
# its last byte (a pause, a broken connection), it writes what came to its `.part` and checkpoints it (`_spill`), as
# the final checkpoint of a larger file does; only a crash loses what was held (at most this much).
SMALL_FILE = WRITE_BATCH
# ResumeState.meta key: the sealed file's fingerprint (`_fingerprint`), saved just before its rename.
FINISHED_FILE = "finished_file"
FINGERPRINT_EDGE = 64 << 10
# The extended attribute that names the task that wrote a small file (`_stored_before`). Where Python or the file
# system keeps no such attributes (Windows, macOS, FAT, some network shares, tmpfs before Linux 6.6), a file is not
# marked and a killed run's file is fetched again under a second name. The mark stays with the file (and with copies
# that keep extended attributes); it names a task, nothing else.
OWNER_MARK = "user.vdp.task"


class _Restart(Exception):
    """The bytes on disk can no longer be trusted (file changed, range answered wrongly): start from zero."""

    def __init__(self, reason: str, *, no_ranges: bool = False) -> None:
        super().__init__(reason)
        self.no_ranges = no_ranges


class _ConnectionRefused(Exception):
    """A secondary connection the server would not serve; its piece goes back to the others."""

    def __init__(self, error: VdpError, *, single_connection: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.single_connection = single_connection


class HttpEngine:
    name = names.HTTP

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        transfer = _Transfer(ctx)
        async with transfer.budget.first():
            return await transfer.run()


class _Transfer:
    def __init__(self, ctx: TransferContext) -> None:
        self.ctx = ctx
        self.requests: RequestPath = ctx.services.requests
        self.cookies = httpx.Cookies()  # this download's own: filled only if its server sets cookies
        self.limits = ctx.services.limits
        self.budget: ConnectionBudget = ctx.services.connections
        self.limits.seed(ctx.task.id, ctx.task.engine_options.get("rate_limit"))  # limits change at run time
        self.meta: dict[str, Any] = dict(ctx.resume.meta)
        self.pieces = PieceMap(list(ctx.resume.chunks), MIN_SPLIT)
        ctx.progress.live_state = lambda: ResumeState(dict(self.meta), self.pieces.snapshot())
        self.fd: Optional[int] = None
        self._claimed: Optional[Path] = None  # the partial file being claimed, until a checkpoint names it
        self._held: Optional[HeldFile] = None  # a small file's body, until its last byte (SMALL_FILE)
        self.conn_limit = max(1, ctx.config.max_connections_per_download)
        # The connections open now, for the ramp and the limits. A connection handing its lease back counts itself
        # out before it ends, so this can be smaller than the scope's count of tasks.
        self.connections: dict[int, asyncio.Task[None]] = {}
        self._scope: Optional[TransferScope] = None  # owns the connections while they run
        self._next_conn = 0
        self.ramp = RampUp()
        self._last_error: Optional[VdpError] = None
        self._unsynced = 0
        self._unwritten = 0  # bytes written since the kernel was last asked to start writing them out
        self._writing_back: Optional[Future[None]] = None
        self._last_checkpoint = time.monotonic()
        # The checkpoint being saved beside the download: owned here, awaited by the next one, the final one or the
        # completion.
        self._checkpointing: Optional[asyncio.Task[None]] = None
        # A fresh download's first checkpoint (the partial file's name, no bytes): it never touches the file, so the
        # completion finishes the file while it is saved, and waits for it before reporting.
        self._announcing: Optional[asyncio.Task[None]] = None
        # Set when fsync failed: the kernel may have dropped the unsynced bytes, so nothing more is ever claimed.
        self._sync_error: Optional[VdpError] = None

    # -- the attempt -------------------------------------------------------------------------------

    async def run(self) -> TransferResult:
        try:
            for restarts in range(MAX_RESTARTS + 1):
                try:
                    return await self._attempt()
                except _Restart as restart:
                    if restarts == MAX_RESTARTS:
                        raise VdpError(ErrorCode.RESUME_INVALIDATED,
                                       f"The file keeps changing on the server ({restart}); try again later") from None
                    self.ctx.warn(ErrorCode.RESUME_INVALIDATED, f"Restarting from zero: {restart}")
                    await self._restart_from_zero(no_ranges=restart.no_ranges)
                finally:
                    self._close_file()
            raise AssertionError("unreachable")
        finally:
            # However the transfer ends, its first checkpoint has ended before: a result is reported once the
            # database holds it, so before the task's Completed (which clears it).
            await self._announced()

    async def _attempt(self) -> TransferResult:
        part = self._part_path()
        if part is not None and self.pieces.chunks and self.pieces.complete and part.exists():
            return await self._complete()  # every byte is already durable: no request, no 416
        if part is not None and not part.exists():
            if FINISHED_FILE in self.meta:
                renamed = await asyncio.to_thread(self._renamed_before)
                if renamed is not None:
                    return renamed
            self.meta, self.pieces.chunks = {}, []
            part = None
        if self.ctx.cancel.cancelled:
            raise TransferInterrupted()

        first = self.pieces.take(0) if part is not None else None
        start = first.start + first.done if first else 0
        response = await self._open(start, first.end if first else None, resuming=self.pieces.done > 0)
        try:
            first = await self._judge_first(response, first, start)
        except BaseException:
            await response.aclose()
            raise
        if self.fd is None and self._held is None:  # resuming (a fresh file was opened when it was claimed)
            await asyncio.to_thread(self._open_file)
        await self._run_connections(first, response)
        return await self._complete()

    async def _open(self, start: int, end: Optional[int], *, resuming: bool) -> httpx.Response:
        headers = {}
        if self.meta.get("ranges", True):
            headers["Range"] = f"bytes={start}-{'' if end is None else end}"
            validator = if_range_value(self.meta) if resuming else None
            if validator:
                headers["If-Range"] = validator
        try:
            return await self.requests.send(self.ctx.task.url, headers, cookies=self.cookies)
        except httpx.HTTPError as exc:
            raise error_for_exception(exc) from exc

    async def _judge_first(self, response: httpx.Response, chunk: Optional[Chunk], start: int) -> Chunk:
        """Decide what the first answer means; returns the piece the response body fills."""
        status = response.status_code
        if status == 416 and chunk is not None:
            raise _Restart("the server refused to resume this download")
        if status == 416 and response.headers.get("content-range", "").strip() == "bytes */0":
            return await self._begin(response, status, 0, validators(response))  # an empty file has no byte 0
        if status not in (200, 206):
            raise error_for_status(response)
        if looks_like_web_page(response, self.ctx.task.url):
            raise VdpError(ErrorCode.GOT_HTML_PAGE,
                           "The server sent a web page instead of the file (the link may have expired or need a login)")
        found = validators(response)
        if status == 206:
            content_range = parse_content_range(response.headers.get("content-range"))
            if content_range is None or content_range.start != start:
                raise _Restart("the server answered a different byte range than requested", no_ranges=True)
            total = content_range.total
        else:
            total = _content_length(response)
        if chunk is None:
            return await self._begin(response, status, total, found)
        if self.pieces.done == 0 or status == 200:
            # Nothing kept, or the server ignored the range / the file changed (If-Range): this body is the whole
            # file, written into the partial file this task already owns.
            if self.pieces.done:
                self.ctx.warn(ErrorCode.RESUME_INVALIDATED, "The server could not resume; restarting from zero")
            for stale in ("etag", "last_modified"):
                self.meta.pop(stale, None)
            self.meta.update(found, total=total)
            await self._restart_from_zero(no_ranges=status == 200 and not self._range_capable(response))
            first = self.pieces.take(0)
            assert first is not None
            return first
        if total != self.meta.get("total") or (found.get("etag") and found.get("etag") != self.meta.get("etag")):
            raise _Restart("the file on the server changed since the download began")
        return chunk

    async def _begin(self, response: httpx.Response, status: int, total: Optional[int], found: dict[str, Any]) -> Chunk:
        """A fresh download: name, partial file, free-space check and the first piece."""
        name = choose_filename(
            content_disposition=response.headers.get("content-disposition"), url=str(response.url),
            title=self.ctx.task.title, content_type=response.headers.get("content-type"),
            stem=self.ctx.task.engine_options.get("file_stem"),
        )
        ranges = status == 206 or self._range_capable(response)
        if total is not None and total <= SMALL_FILE:
            self._held = HeldFile(name)
            self.meta = {"total": total, "ranges": ranges, **found}
            return self._first_piece(total)
        try:
            # The executor's future itself: no task or context copy of `asyncio.to_thread` for each file.
            claim = asyncio.get_running_loop().run_in_executor(None, self._claim, name, total)
            final, part = await run_to_end(claim)
        except OSError as exc:
            raise classify_os_error(exc, str(self.ctx.output_dir)) from exc
        except asyncio.CancelledError:
            self._unclaim()  # stopped while claiming: no checkpoint names the file, so nothing else would delete it
            raise
        self._claimed = None  # from here on the checkpoint below names it
        self.meta = {"file_name": final.name, "part_name": part.name, "total": total, "ranges": ranges,
                     PARTIAL_PATHS: [part.name], **found}
        chunk = self._first_piece(total)
        # Saved while the body streams (it claims no bytes); the completion waits for it. A second fresh start (the
        # partial file vanished) lets the first one end first.
        await self._announced()
        self._announcing = asyncio.create_task(
            self.ctx.checkpoint(ResumeState(dict(self.meta), self.pieces.snapshot())))
        return chunk

    def _first_piece(self, total: Optional[int]) -> Chunk:
        self.pieces.reset(total)
        chunk = self.pieces.take(0) or self.pieces.chunks[0]  # an empty file's one piece is complete from the start
        self.ctx.progress.restart(0)
        self.ctx.progress.set_total(total)
        return chunk

    # -- connections -------------------------------------------------------------------------------

    async def _run_connections(self, first: Chunk, response: httpx.Response) -> None:
        """The connections in one scope: it ends when they all have; the first failure (a _Restart or a fatal
        error) cancels the others and ends the attempt, and so does the cancel token (TransferInterrupted)."""
        self.ctx.progress.set_total(self.meta.get("total"))
        self.pieces.request_end[0] = first.end
        try:
            async with TransferScope(self.ctx.cancel) as self._scope:
                self._spawn(self._connection(0, first, response))
                self._next_conn = 1
                self.ramp.start(time.monotonic())
            if self.ctx.cancel.cancelled and not self.pieces.complete:
                raise TransferInterrupted()  # the connections saw the token before the scope did
        except BaseException:
            if self._held is not None:
                await self._spill(self._held)
            else:
                await self._checkpoint(final=True)
            raise
        finally:
            self._scope = None
            # Its connection closed it, unless stopped before its first step (or never started: token fired).
            await response.aclose()
        if not self.pieces.complete and self.meta.get("total") is not None:
            raise self._last_error or VdpError(ErrorCode.NETWORK, "The connection closed before the file was complete")

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> Optional[asyncio.Task[None]]:
        """A connection in the scope, or None (coro closed) when the scope is stopping."""
        task = self._scope.start(coro) if self._scope is not None else None
        if task is None:
            return None
        self.connections[id(task)] = task
        self.ctx.progress.connections = len(self.connections)
        task.add_done_callback(self._connection_done)
        return task

    def _connection_done(self, task: asyncio.Task[None]) -> None:
        self.connections.pop(id(task), None)
        self.ctx.progress.connections = len(self.connections)

    def _maybe_add_connection(self) -> None:
        """One more connection, if the file is segmented and the limits allow it."""
        # A held file (SMALL_FILE) is always smaller than SEGMENT_THRESHOLD; checked anyway: it must stay in order.
        segmented = (self.meta.get("ranges") and (self.meta.get("total") or 0) >= SEGMENT_THRESHOLD
                     and self._held is None)
        if not segmented or len(self.connections) >= self.conn_limit or not (self._scope and self._scope.accepting):
            return
        if not self.budget.try_extra():
            return  # all downloads together are at the connection budget
        conn = self._next_conn
        chunk = self.pieces.take(conn)
        if chunk is None:
            self.budget.release()
            return
        self._next_conn += 1
        connection = self._spawn(self._connection(conn, chunk, None, leased=True))
        assert connection is not None, "the scope accepts: checked above, nothing ran since"
        # Released when the task ends, however it ends: even cancelled before its first step, it gives it back.
        connection.add_done_callback(lambda _: self.budget.release())

    async def _connection(self, conn: int, chunk: Optional[Chunk], response: Optional[httpx.Response], *,
                          leased: bool = False) -> None:
        """Stream pieces until none is left to take; `leased`: an extra connection on the shared budget."""
        while chunk is not None:
            try:
                if response is None:
                    response = await self._open_piece(conn, chunk)
                await self._stream(chunk, response)
            except _ConnectionRefused as refused:
                self.pieces.release(chunk)
                self._last_error = refused.error
                self.conn_limit = 1 if refused.single_connection else max(1, self.conn_limit // 2)
                log.info("task %s: connection %s dropped (%s); limit now %s", self.ctx.task.id, conn,
                         refused.error.message, self.conn_limit)
                if len(self.connections) <= 1 and not self.pieces.complete:
                    raise refused.error from None
                return
            except (VdpError, OSError) as exc:
                error = exc if isinstance(exc, VdpError) else classify_os_error(exc, self.meta.get("part_name", ""))
                self.pieces.release(chunk)
                self._last_error = error
                if not error.retryable or len(self.connections) <= 1:
                    raise error from None
                self.conn_limit = max(1, self.conn_limit // 2)
                return
            finally:
                if response is not None:
                    await response.aclose()
                    response = None
            self.pieces.finish(chunk)
            if leased and self.budget.contended and len(self.connections) > 1:
                # Another download waits for a connection: this one hands its lease back between pieces. It counts
                # itself out now, so that of several doing so in one turn the last always stays for what is left.
                self.connections.pop(id(asyncio.current_task()), None)
                return
            chunk = self.pieces.take(conn)

    async def _open_piece(self, conn: int, chunk: Chunk) -> httpx.Response:
        start = chunk.start + chunk.done
        self.pieces.request_end[conn] = chunk.end
        headers = {"Range": f"bytes={start}-{'' if chunk.end is None else chunk.end}"}
        validator = if_range_value(self.meta)
        if validator:
            headers["If-Range"] = validator
        try:
            response = await self.requests.send(self.ctx.task.url, headers, cookies=self.cookies)
        except httpx.HTTPError as exc:
            raise _ConnectionRefused(error_for_exception(exc), single_connection=False) from exc
        status = response.status_code
        if status == 206:
            content_range = parse_content_range(response.headers.get("content-range"))
            if content_range is None or content_range.start != start:
                await response.aclose()
                raise _ConnectionRefused(VdpError(ErrorCode.INVALID_RESPONSE, "wrong Content-Range"),
                                         single_connection=True)
            if content_range.total != self.meta.get("total"):
                await response.aclose()
                raise _Restart("the file size changed on the server")
            return response
        if status == 200:
            etag = validators(response).get("etag")
            await response.aclose()
            if etag and self.meta.get("etag") and etag != self.meta["etag"]:
                raise _Restart("the file on the server changed while downloading")
            raise _ConnectionRefused(VdpError(ErrorCode.INVALID_RESPONSE, "range ignored"), single_connection=True)
        error = error_for_status(response)
        await response.aclose()
        raise _ConnectionRefused(error, single_connection=status in (401, 403, 404, 410))

    async def _stream(self, chunk: Chunk, response: httpx.Response) -> None:
        """Read the body into the piece until it is full or the body ends, writing in large batches."""
        assert self.fd is not None or self._held is not None
        progress, cancel, ramp, task_id = self.ctx.progress, self.ctx.cancel, self.ramp, self.ctx.task.id
        buffer = bytearray()
        offset = chunk.start + chunk.done
        flushed_at = time.monotonic()
        # Bytes read past the piece's end. They are kept, not dropped: a refused connection's piece may be merged
        # back into this one before the next read, and the body then goes on from them (dropping them would put
        # everything after at the wrong offset).
        overflow = b""
        try:
            async for data in response.aiter_raw():
                if overflow:
                    data, overflow = overflow + data, b""
                if chunk.end is not None:
                    room = chunk.end - offset - len(buffer) + 1
                    if room <= 0:
                        break  # a split gave the rest of this piece to another connection
                    if len(data) > room:
                        data, overflow = data[:room], data[room:]
                ramp.received += len(data)
                now = time.monotonic()
                if now >= ramp.due_at and ramp.grow(now, len(self.connections),
                                                    rate_limited=self.limits.holding(task_id, RATE_LIMIT_WINDOW)):
                    self._maybe_add_connection()
                if self.limits.limited:
                    counted = _Counted(progress.advance)
                    try:
                        await self.limits.pace(task_id, len(data), counted)
                    except BaseException:
                        # Stopped (a pause) while this read waited its turn, part of it counted: its bytes came all
                        # the same. All of it that fits the piece is kept (written with the buffer below) and
                        # counted, so what the progress showed is what the pause keeps and the resume goes on from.
                        fits = len(data) if chunk.end is None else chunk.end + 1 - offset - len(buffer)
                        # Below 0: a split moved the piece's end below bytes buffered before, which the write
                        # drops too, so their count goes with them.
                        progress.advance(min(fits, len(data)) - counted.total)
                        buffer += data[:max(0, fits)]
                        raise
                    now = time.monotonic()  # the wait counts towards the flush interval
                    # A split while this read waited may have moved the piece's end below bytes read (buffered or
                    # just read). They go back in front of the body, uncounted: the write below would drop them,
                    # and a piece merged back before the next read would then go on at the wrong offset.
                    beyond = 0 if chunk.end is None else offset + len(buffer) + len(data) - chunk.end - 1
                    if beyond > 0:
                        progress.advance(-beyond)
                        if beyond > len(data):
                            cut = len(buffer) - (beyond - len(data))
                            data, overflow = b"", bytes(buffer[cut:]) + data + overflow
                            del buffer[cut:]
                        else:
                            data, overflow = data[:len(data) - beyond], data[len(data) - beyond:] + overflow
                else:
                    progress.advance(len(data))
                if not buffer and len(data) >= WRITE_DIRECT:
                    offset = self._write(chunk, data, offset)  # a big read goes straight to disk: no copy
                else:
                    buffer += data
                    if len(buffer) >= WRITE_BATCH or now - flushed_at >= FLUSH_INTERVAL:
                        offset = self._write(chunk, buffer, offset)
                        buffer.clear()
                        flushed_at = now
                if cancel.cancelled:
                    break
        except httpx.HTTPError as exc:
            raise error_for_exception(exc) from exc
        finally:
            if buffer:
                self._write(chunk, buffer, offset)
        if chunk.end is None and not cancel.cancelled:
            chunk.end = chunk.start + chunk.done - 1  # unknown length: the clean end of the body is the end
            self.meta["total"] = chunk.end + 1
        elif not chunk.complete and not cancel.cancelled:
            raise VdpError(ErrorCode.NETWORK, "The server closed the connection before the end of the data")

    def _write(self, chunk: Chunk, buffer: bytes | bytearray, offset: int) -> int:
        size = len(buffer)
        if chunk.end is not None:
            # A split may have moved the piece's end below bytes already buffered: those belong to the new piece, and
            # counting them here would claim more bytes than the file has.
            size = max(0, min(size, chunk.end + 1 - offset))
        if self._held is not None:  # one piece, one connection (smaller than a split): the bytes come in order
            self._held.keep(buffer, size)
            chunk.done += size
            return offset + size
        assert self.fd is not None
        view = memoryview(buffer)[:size]
        while view:
            written = pwrite(self.fd, view, offset)
            offset += written
            view = view[written:]
        chunk.done += size
        self._unsynced += size
        self._unwritten += size
        if self._unwritten >= WRITEBACK_BYTES and (self._writing_back is None or self._writing_back.done()):
            self._unwritten = 0
            self._writing_back = start_writeback(self.fd)
        self._maybe_checkpoint()
        return offset

    # -- durability ---------------------------------------------------------------------------------

    def _maybe_checkpoint(self) -> None:
        if self._sync_error is not None:
            raise self._sync_error
        since = time.monotonic() - self._last_checkpoint
        due = (self._unsynced >= CHECKPOINT_BYTES and since >= CHECKPOINT_MIN_INTERVAL) or (
            self._unsynced and since >= CHECKPOINT_MAX_INTERVAL)
        if due and (self._checkpointing is None or self._checkpointing.done()):
            self._checkpointing = asyncio.create_task(self._checkpoint())

    async def _checkpoint(self, *, final: bool = False) -> None:
        if final and self._checkpointing is not None:
            await asyncio.gather(self._checkpointing, return_exceptions=True)
        await self._announced()  # saved after the first one (no bytes), which must not overwrite this map
        if self.fd is None or self._sync_error is not None:
            return
        snapshot = self.pieces.snapshot()  # only bytes already written; fsync makes them durable
        self._unsynced = 0
        self._last_checkpoint = time.monotonic()
        fd = self.fd
        try:
            await asyncio.to_thread(os.fsync, fd)
        except OSError as exc:
            self._sync_error = classify_os_error(exc, self.meta.get("part_name", ""))
            raise self._sync_error from exc
        await self.ctx.checkpoint(ResumeState(dict(self.meta), snapshot))

    async def _complete(self) -> TransferResult:
        if self._checkpointing is not None:
            await asyncio.gather(self._checkpointing, return_exceptions=True)
        if self._sync_error is not None:
            raise self._sync_error
        total = self.meta.get("total")
        size = self.pieces.done
        if total is not None and size != total:
            raise VdpError(ErrorCode.SIZE_MISMATCH, f"Downloaded {size} bytes but the server announced {total}")
        self.ctx.completing()  # every byte is in: the slot goes to the next download
        if self._held is not None:
            return await self._store(self._held, size)
        part = self._part_path()
        assert part is not None
        fd, self.fd = self.fd, None  # _seal closes it
        loop = asyncio.get_running_loop()
        try:
            sealed = await loop.run_in_executor(None, self._seal_and_fingerprint, fd, part, size)
            # Saved before the rename (after the first checkpoint, which must not land over it): killed after the
            # rename, the next run knows the final file for this download's own (`_renamed_before`).
            await self._announced()
            self.meta[FINISHED_FILE] = sealed
            await self.ctx.checkpoint(ResumeState(dict(self.meta), self.pieces.snapshot()))
            final = await loop.run_in_executor(None, self._give_name, part, self.meta["file_name"])
        except OSError as exc:
            raise classify_os_error(exc, str(part)) from exc
        return TransferResult(file_path=final, size=size)

    async def _store(self, held: HeldFile, size: int) -> TransferResult:
        """A small file's last byte is in (SMALL_FILE): claim, write, sync and rename it, in one trip to a thread."""
        self._held = None  # stored below or not at all: a stop from here on has nothing to spill
        try:
            # Awaited to its end even when stopped: the thread's files are settled before the task is.
            final = await run_to_end(asyncio.get_running_loop().run_in_executor(None, self._store_held, held, size))
        except OSError as exc:
            raise classify_os_error(exc, str(self.ctx.output_dir)) from exc
        return TransferResult(file_path=final, size=size)

    def _store_held(self, held: HeldFile, size: int) -> Path:
        """No checkpoint ever names this `.part`: whatever stops it here deletes it. A pause does not: past the last
        byte a download finishes its file (the runtime's rule), and stopping here would throw every byte away."""
        earlier = self._stored_before(held)
        if earlier is not None:  # as a file stored now: its hash checked, not taken after a cancel, its name durable
            self._verify_hash(earlier)
            self._unless_stopped_by(("cancel",))
            fsync_folder(earlier.parent)  # the run that renamed it may have died before the rename was made durable
            return earlier
        final, part, fd = self._write_part(held, size)
        try:
            self._seal(fd, part, size)
            return self._give_name(part, final.name, stopped_by=("cancel",))
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    async def _spill(self, held: HeldFile) -> None:
        """A held file stopped before its last byte (a pause, a broken connection): what came is written to its
        `.part` and checkpointed, so the next attempt asks for the rest instead of starting again (a server that cuts
        the body at the same point every time would otherwise never let it finish). A cancel keeps nothing."""
        self._held = None
        if not held.size or self.ctx.cancel.reason == "cancel":
            return
        total = self.meta.get("total")
        try:
            final, part = await run_to_end(asyncio.get_running_loop().run_in_executor(
                None, self._write_held_part, held, total))
        except OSError as exc:  # nothing kept: the next attempt starts from zero; the stop's own error is raised
            log.warning("task %s: the received bytes could not be kept: %s", self.ctx.task.id, exc)
            return
        self.meta.update({"file_name": final.name, "part_name": part.name, PARTIAL_PATHS: [part.name]})
        await self.ctx.checkpoint(ResumeState(dict(self.meta), self.pieces.snapshot()))

    def _write_held_part(self, held: HeldFile, total: Optional[int]) -> tuple[Path, Path]:
        final, part, fd = self._write_part(held, total)
        try:
            os.fsync(fd)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)
        return final, part

    def _write_part(self, held: HeldFile, total: Optional[int]) -> tuple[Path, Path, int]:
        """A new `.part` holding the held bytes and this task's mark (OWNER_MARK), still open (no preallocation: they
        are written at once); deleted if they cannot be written."""
        final, part, fd = self._create_part(held.name, total, reserve=False)
        try:
            held.write_to(fd)
            _mark_owner(fd, self.ctx.task.id)
        except BaseException:
            os.close(fd)
            part.unlink(missing_ok=True)
            raise
        return final, part, fd

    async def _announced(self) -> None:
        """Wait for the first checkpoint. Its failure needs no answer here: the outcome is written by the same path,
        and a later checkpoint or the outcome meets the same fault."""
        announcing = self._announcing
        if announcing is None:
            return
        if not announcing.done():
            await asyncio.gather(announcing, return_exceptions=True)
        elif not announcing.cancelled():
            announcing.exception()  # seen: asyncio would report it as never retrieved (mostly saved long before)

    def _seal_and_fingerprint(self, fd: Optional[int], part: Path, size: int) -> list[int]:
        self._seal(fd, part, size)
        return _fingerprint(part)

    def _seal(self, fd: Optional[int], part: Path, size: int) -> None:
        """Make the bytes durable and check them."""
        if fd is None:  # every byte was durable before this attempt: nothing opened the file
            fd = os.open(part, os.O_RDWR | BINARY)
        try:
            os.ftruncate(fd, size)  # a preallocated file of an unknown-length body may be longer than what came
            os.fsync(fd)
        finally:
            os.close(fd)
        self._verify_hash(part)

    def _give_name(self, part: Path, name: str, *, stopped_by: tuple[str, ...] = ("pause", "cancel")) -> Path:
        """Give the sealed file its final name, durably, unless a stop for one of the reasons `stopped_by` came."""
        self._unless_stopped_by(stopped_by)  # stopped meanwhile: the `.part` stays what the checkpoint names
        final = inside(self.ctx.output_dir, name)
        if final.exists():
            final, spare = claim_unique(self.ctx.output_dir, final.name)
            spare.unlink()
        os.replace(part, final)
        fsync_folder(final.parent)
        return final

    def _unless_stopped_by(self, reasons: tuple[str, ...]) -> None:
        """TransferInterrupted if a stop for one of `reasons` came: the file is not made the task's final one."""
        if self.ctx.cancel.reason in reasons:
            raise TransferInterrupted("stopped before the final rename")

    def _verify_hash(self, path: Path) -> None:
        expected = self.ctx.config.expected_hashes.get(self.ctx.task.url)
        if not expected:
            return
        algorithm = (self.ctx.config.integrity_algorithm or "sha256").lower()
        if _hash_file(path, algorithm).lower() != expected.lower().split(":")[-1]:
            raise VdpError(ErrorCode.HASH_MISMATCH, f"{algorithm} of the file does not match the expected hash")

    # -- files --------------------------------------------------------------------------------------

    def _renamed_before(self) -> Optional[TransferResult]:
        """The partial file is gone because an earlier run renamed it and was stopped (killed, a crash, a power cut)
        before the task was recorded Completed. If the final file is the very file that run sealed (same device,
        inode, size, modification time and first and last bytes: FINISHED_FILE), it is taken as it is instead of
        being fetched again under a second name. Anything else under that name (the user's own) is left alone."""
        final = inside(self.ctx.output_dir, self.meta["file_name"])
        try:
            found = _fingerprint(final)
        except OSError:
            return None
        if found != self.meta[FINISHED_FILE]:
            return None
        log.info("task %s: %s was finished by an earlier run, stopped before it was recorded", self.ctx.task.id,
                 final.name)
        return TransferResult(file_path=final, size=found[2])

    def _stored_before(self, held: HeldFile) -> Optional[Path]:
        """A small file has no checkpoint, so a run killed between its rename and the record of it leaves nothing that
        says the file under its name is this download's. Its mark does (OWNER_MARK): a file under the name (or under
        `name (1)` ... , where that run would have put it) that this task wrote, with the very bytes just fetched, is
        taken as it is instead of being written once more. Anything else there (the user's own, or this task's with
        other bytes) is left alone; the first name that is free ends the search."""
        for candidate in unique_candidates(self.ctx.output_dir, held.name):
            try:
                with open_regular(candidate, follow_symlinks=False) as file:
                    # The mark and the bytes from the one descriptor: nothing can be put in the file's place between.
                    if os.getxattr(file.fileno(), OWNER_MARK) != self.ctx.task.id.encode() \
                            or os.fstat(file.fileno()).st_size != held.size or file.read() != held.body():
                        continue
            except FileNotFoundError:
                return None
            except (AttributeError, OSError):  # not a regular file, no mark, or no extended attributes here
                continue
            log.info("task %s: %s was stored by an earlier run, stopped before it was recorded", self.ctx.task.id,
                     candidate.name)
            return candidate
        return None

    def _part_path(self) -> Optional[Path]:
        name = self.meta.get("part_name")
        return inside(self.ctx.output_dir, name) if name else None

    # The file system calls below run on a thread: creating, preallocating, renaming and syncing wait for the file
    # system's journal, which the other downloads' fsyncs keep busy, and the loop thread must not wait with them.

    def _claim(self, name: str, total: Optional[int]) -> tuple[Path, Path]:
        """The partial file of a fresh download, as this transfer's own (`fd`; `_unclaim` until a checkpoint names
        it)."""
        final, part, fd = self._create_part(name, total)
        self.fd = fd
        self._claimed = part
        return final, part

    def _create_part(self, name: str, total: Optional[int], *, reserve: bool = True) -> tuple[Path, Path, int]:
        """Free-space check, and the partial file: created exclusively, opened and preallocated. The folder is made
        here if it is missing (found by the free-space check, so an existing one costs no call of its own: every call
        the event loop's thread makes lets a busy thread take the interpreter lock, and waiting for it back cost
        some 40 µs per file)."""
        try:
            self._check_free_space(total or 0)
        except FileNotFoundError:
            self.ctx.output_dir.mkdir(parents=True, exist_ok=True)
            self._check_free_space(total or 0)
        final, part, fd = open_unique(self.ctx.output_dir, name)
        try:
            if reserve:
                preallocate(fd, total or 0)
        except OSError:
            os.close(fd)
            part.unlink(missing_ok=True)  # no checkpoint names it yet: nothing would ever delete it
            raise
        return final, part, fd

    def _unclaim(self) -> None:
        self._close_file()
        if self._claimed is not None:
            self._claimed.unlink(missing_ok=True)
            self._claimed = None

    def _open_file(self) -> None:
        part = self._part_path()
        assert part is not None
        try:
            self.fd = _open_preallocated(part, self.meta.get("total"))
        except OSError as exc:
            raise classify_os_error(exc, str(part)) from exc

    def _close_file(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    async def _restart_from_zero(self, *, no_ranges: bool) -> None:
        part = self._part_path()
        total = self.meta.get("total")
        self.pieces.reset(total)
        if no_ranges:
            self.meta["ranges"] = False
            self.conn_limit = 1
        self.ctx.progress.restart(0)
        if part is not None:
            # The claim on the kept bytes is taken back before they go: killed in between, the next run must not
            # trust a map of bytes the file no longer holds.
            await self.ctx.checkpoint(ResumeState(dict(self.meta), []))
            if part.exists():
                with open(part, "r+b") as handle:
                    handle.truncate(0)

    @staticmethod
    def _range_capable(response: httpx.Response) -> bool:
        accepted: str = response.headers.get("accept-ranges", "")
        return accepted.lower() == "bytes"

    def _check_free_space(self, needed: int) -> None:
        free = shutil.disk_usage(self.ctx.output_dir).free
        if needed and free < needed + FREE_SPACE_MARGIN:
            raise VdpError(ErrorCode.DISK_FULL,
                           f"Not enough free space in {self.ctx.output_dir}: {needed} bytes needed, {free} free")


class _Counted:
    """`advance`, keeping the total it was given."""

    __slots__ = ("advance", "total")

    def __init__(self, advance: Callable[[int], None]) -> None:
        self.advance = advance
        self.total = 0

    def __call__(self, nbytes: int) -> None:
        self.total += nbytes
        self.advance(nbytes)


class HeldFile:
    """A small file's body in memory (SMALL_FILE), as the reads came, in order (one connection: smaller than a split),
    and the name to claim for it."""

    __slots__ = ("name", "pieces", "size")

    def __init__(self, name: str) -> None:
        self.name = name
        self.pieces: list[bytes] = []
        self.size = 0

    def keep(self, buffer: bytes | bytearray, size: int) -> None:
        # A read is kept as it came, no copy on the loop's thread (`write_to` joins them on the file's); the caller's
        # own buffer is reused, so its bytes are copied.
        self.pieces.append(buffer if isinstance(buffer, bytes) and size == len(buffer) else bytes(buffer[:size]))
        self.size += size

    def body(self) -> bytes:
        return self.pieces[0] if len(self.pieces) == 1 else b"".join(self.pieces)

    def write_to(self, fd: int) -> None:
        """Every byte kept, from the file's start, in one buffer (a vectored write takes at most 1024 pieces, and a
        slow server hands a body over in thousands); the kernel may take fewer per call: the rest follows."""
        view, offset = memoryview(self.body()), 0
        while offset < len(view):
            offset += pwrite(fd, view[offset:], offset)


def _mark_owner(fd: int, task_id: str) -> None:
    try:
        os.setxattr(fd, OWNER_MARK, task_id.encode())
    except (AttributeError, OSError):  # no extended attributes here: the file is simply not marked
        pass


def _fingerprint(path: Path) -> list[int]:
    """What tells a sealed file from another that took its name: device, inode (a rename keeps both; a new file may
    reuse a freed inode at once), size, modification time and a CRC of its first and last 64 KiB."""
    fd = os.open(path, os.O_RDONLY | BINARY)
    try:
        found = os.fstat(fd)
        edges = pread(fd, FINGERPRINT_EDGE, 0) + pread(fd, FINGERPRINT_EDGE, max(0, found.st_size - FINGERPRINT_EDGE))
    finally:
        os.close(fd)
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, zlib.crc32(edges)]


def _open_preallocated(path: Path, total: Optional[int]) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | BINARY, 0o644)
    try:
        preallocate(fd, total or 0)
    except OSError:
        os.close(fd)
        raise
    return fd


def _content_length(response: httpx.Response) -> Optional[int]:
    # With a content coding this is the length of the coded bytes, which are what we store (aiter_raw).
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


def _hash_file(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm if algorithm in hashlib.algorithms_available else "sha256")
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


"""Fetching the parts of a plan: bounded concurrency, streamed (and decrypted) into one file per part.

A part is written to `<n>.part` and renamed to `<n>.seg`; only then is it recorded as a complete `Chunk`.
Checkpoints are coalesced (every second or every 32 parts, and on demand through `save`): each one appends the
in-order parts to the track files, makes durable what it is about to claim (the track files, the part files still
out of order, the folder), commits, and only then deletes the part files now inside a track file. (An fsync per
part made the disk, not the network, the limit.)
"""

from __future__ import annotations

import asyncio
import os
from typing import Awaitable, Callable, Iterator, Optional, Sequence

import httpx

from ...contract import ErrorCode
from ...errors import VdpError, classify_os_error
from ..base import CancelToken, Chunk, ProgressSink, ResumeState
from ..budget import ConnectionBudget
from ..durability import fsync_files
from ..ratelimit import RateLimits
from ..request_errors import error_for_exception
from ..request_path import RequestPath
from ..responses import error_for_status, is_web_page, parse_content_range
from ..scope import TransferScope, run_to_end
from ._assemble import Assembler
from ._crypto import CbcDecryptor, KeyStore
from ._http import QuickRetries
from ._plan import Part
from ._workdir import WorkDir

_PROGRESS_BATCH = 256 * 1024
_FILE_BUFFER = 1024 * 1024
_CHECKPOINT_SECONDS = 1.0
_CHECKPOINT_PARTS = 32


class _Attempt:
    """Byte counts of one request, so a failed attempt can take back the progress it reported."""

    __slots__ = ("received", "reported")

    def __init__(self) -> None:
        self.received = 0
        self.reported = 0


class SegmentDownloader:
    def __init__(
        self,
        *,
        requests: RequestPath,
        cookies: httpx.Cookies,
        retries: QuickRetries,
        keys: KeyStore,
        work: WorkDir,
        assembler: Assembler,
        state: ResumeState,
        progress: ProgressSink,
        checkpoint: Callable[[ResumeState], Awaitable[None]],
        cancel: CancelToken,
        concurrency: int,
        budget: ConnectionBudget,
        exact_size: Optional[int],
        limits: Optional[RateLimits] = None,
        task_id: str = "",
    ) -> None:
        self._limits = limits  # the bandwidth limits (global and this task's), every part's bytes pass them
        self._task_id = task_id
        self._requests = requests  # sends `Accept-Encoding: identity`: the body is read raw, checked against its length
        self._cookies = cookies
        self._retries = retries
        self._keys = keys
        self._work = work
        self._assembler = assembler
        self._discarded = assembler.consumed()  # part files already deleted
        self._state = state
        self._progress = progress
        self._checkpoint = checkpoint
        self._cancel = cancel
        self._concurrency = concurrency
        self._budget = budget
        self._waiting: set[asyncio.Task[None]] = set()  # extra workers waiting for a lease
        self._durability_error: Optional[VdpError] = None
        self._drained = False
        self._exact_size = exact_size
        self._saved = len(state.chunks)
        self._saved_at = 0.0
        self._save_lock = asyncio.Lock()
        self._done_bytes = state.durable_bytes
        self._pending_ranged_bytes = 0
        self._pending_unranged = 0
        self._in_flight = 0  # parts being fetched now (the details pane's "connections")
        progress.live_state = lambda: ResumeState(dict(self._state.meta), list(self._state.chunks))

    async def run(self, pending: Sequence[Part]) -> None:
        """Fetch every pending part; the first part that fails for good stops the rest and is raised, and the
        cancel token firing stops them all (TransferInterrupted). Returns once no worker runs."""
        for part in pending:
            if part.byte_range is None:
                self._pending_unranged += 1
            else:
                self._pending_ranged_bytes += part.byte_range.length
        self._progress.set_total(self._exact_size if self._exact_size is not None else self._estimate())
        self._saved_at = asyncio.get_running_loop().time()
        queue = iter(pending)
        count = min(self._concurrency, len(pending))
        async with TransferScope(self._cancel) as workers:
            # The first worker uses the download's own connection; the others lease theirs from the shared budget.
            own = workers.start(self._work_through(queue))
            if own is not None:  # else the token fired already, and the scope raises TransferInterrupted
                own.add_done_callback(lambda _: self._stop_waiting())
            for _ in range(count - 1):
                workers.start(self._lease_and_work_through(queue))

    async def save(self) -> None:
        """Checkpoint every part that finished since the last checkpoint.

        Run to completion: a pause that cancels the caller must not cut a checkpoint in half (a thread would go on
        appending while the next one starts). The next save waits for it on the lock and meets any fault it left.
        """
        await run_to_end(self._save())

    async def _save(self) -> None:
        async with self._save_lock:
            if self._durability_error is not None:
                raise self._durability_error
            chunks = list(self._state.chunks)
            if len(chunks) == self._saved:
                return
            try:
                await asyncio.to_thread(self._make_durable, chunks, chunks[self._saved:])
            except (OSError, VdpError) as exc:
                # Never retried within this attempt: after a failed fsync the kernel may have dropped the pages,
                # and a second fsync can succeed without them. The next attempt resumes from the last commit.
                error = exc if isinstance(exc, VdpError) else classify_os_error(exc, str(self._work.path))
                self._durability_error = error
                raise error from None
            meta = {**self._state.meta, "assembled": self._assembler.recorded()}
            await self._checkpoint(ResumeState(meta, chunks))
            self._saved = len(chunks)
            self._saved_at = asyncio.get_running_loop().time()
            appended = self._assembler.consumed()
            await asyncio.to_thread(self._work.discard, appended - self._discarded)
            self._discarded = appended

    def _make_durable(self, chunks: Sequence[Chunk], fresh: Sequence[Chunk]) -> None:
        """Append what is in order, then fsync what the checkpoint will claim. Blocking."""
        self._assembler.append({chunk.index: chunk.done for chunk in chunks})
        appended = self._assembler.consumed()
        fsync_files([self._work.part(c.index) for c in fresh if c.index not in appended])
        self._assembler.sync()
        self._work.sync()

    async def _work_through(self, queue: Iterator[Part]) -> None:
        for part in queue:
            await self._fetch_part(part)

    async def _lease_and_work_through(self, queue: Iterator[Part]) -> None:
        """An extra worker: a lease per part (taken before the part, so no part waits on a lease), which shares
        the budget out again as parts finish."""
        me = asyncio.current_task()
        assert me is not None, "runs as a task of its own"
        while True:
            self._waiting.add(me)
            try:
                await self._budget.extra()
            except asyncio.CancelledError:
                if self._drained:
                    return  # the own worker took the last part while this one waited
                raise
            finally:
                self._waiting.discard(me)
            try:
                part = next(queue, None)
                if part is None:
                    return
                await self._fetch_part(part)
            finally:
                self._budget.release()

    def _stop_waiting(self) -> None:
        """The own worker is done, so the queue is empty: extras waiting for a lease have nothing to fetch."""
        self._drained = True
        for worker in self._waiting:
            worker.cancel()

    async def _fetch_part(self, part: Part) -> None:
        self._in_flight += 1
        self._progress.connections = self._in_flight
        try:
            size = await self._retries.run(lambda: self._fetch(part))
        finally:
            self._in_flight -= 1
            self._progress.connections = self._in_flight
        self._finished(part, size)
        unsaved = len(self._state.chunks) - self._saved
        waited = asyncio.get_running_loop().time() - self._saved_at
        if unsaved >= _CHECKPOINT_PARTS or waited >= _CHECKPOINT_SECONDS:
            await self.save()

    def _finished(self, part: Part, size: int) -> None:
        self._state.chunks.append(Chunk(part.index, 0, size - 1, size))
        self._done_bytes += size
        if part.byte_range is None:
            self._pending_unranged -= 1
        else:
            self._pending_ranged_bytes -= part.byte_range.length
        if self._exact_size is None:
            self._progress.set_total(self._estimate())

    def _estimate(self) -> Optional[int]:
        """Bytes done plus what remains: byte ranges where known, else the mean size of the parts done."""
        done = len(self._state.chunks)
        if self._pending_unranged and not done:
            return None
        mean = self._done_bytes / done if done else 0
        return self._done_bytes + self._pending_ranged_bytes + round(mean * self._pending_unranged)

    async def _fetch(self, part: Part) -> int:
        attempt = _Attempt()
        try:
            return await self._stream(part, attempt)
        except BaseException:
            self._progress.advance(-attempt.reported)
            raise

    async def _stream(self, part: Part, attempt: _Attempt) -> int:
        decryptor = None
        if part.key is not None:
            decryptor = CbcDecryptor(await self._keys.get(part.key.uri), part.key.iv, part.label)
        headers = {"Range": part.byte_range.header} if part.byte_range is not None else None
        partial = self._work.partial(part.index)
        expected: Optional[int] = None
        try:
            async with self._requests.stream(part.url, headers, cookies=self._cookies) as response:
                expected = _expected_length(response, part)
                raw = response.headers.get("Content-Encoding", "identity").lower() == "identity"
                with open(partial, "wb", buffering=_FILE_BUFFER) as out:
                    async for data in response.aiter_raw() if raw else response.aiter_bytes():
                        attempt.received += len(data)
                        if expected is not None and attempt.received > expected:
                            raise VdpError(
                                ErrorCode.SIZE_MISMATCH, f"{part.label}: more bytes than the {expected} announced"
                            )
                        out.write(decryptor.update(data) if decryptor else data)
                        if self._limits is not None and self._limits.limited:
                            await self._limits.pace(self._task_id, len(data), _ignore)
                        if attempt.received - attempt.reported >= _PROGRESS_BATCH:
                            self._progress.advance(attempt.received - attempt.reported)
                            attempt.reported = attempt.received
                    if expected is not None and attempt.received != expected:
                        raise VdpError(
                            ErrorCode.SIZE_MISMATCH, f"{part.label}: received {attempt.received} of {expected} bytes"
                        )
                    if decryptor is not None:
                        out.write(decryptor.finish())
                    size = out.tell()
            os.replace(partial, self._work.part(part.index))
        except httpx.HTTPError as exc:
            error = error_for_exception(exc, part.label)
            if expected is None:
                raise error from None
            raise VdpError(error.code, f"{error.message} after {attempt.received} of {expected} bytes") from None
        except (ConnectionError, TimeoutError) as exc:  # a socket error the transport let through unmapped
            raise VdpError(ErrorCode.NETWORK, f"{part.label}: {exc}") from None
        except OSError as exc:
            raise classify_os_error(exc, str(partial)) from None
        # Report the durable size: decryption removed padding, so it can differ from the bytes received.
        self._progress.advance(size - attempt.reported)
        attempt.reported = size
        return size


def _expected_length(response: httpx.Response, part: Part) -> Optional[int]:
    """Check the status and headers of a part's response; return the body length it must have, if known."""
    if response.status_code >= 400:
        raise error_for_status(response, part.label)
    if is_web_page(response):
        raise VdpError(
            ErrorCode.GOT_HTML_PAGE, f"{part.label}: got a web page instead of media (the link may have expired)"
        )
    if part.byte_range is not None:
        if response.status_code != 206:
            raise VdpError(
                ErrorCode.INVALID_RESPONSE,
                f"{part.label}: the server ignored the byte range (HTTP {response.status_code} instead of 206)",
            )
        answered = parse_content_range(response.headers.get("Content-Range"))
        start = None if answered is None else answered.start
        if start != part.byte_range.offset:
            raise VdpError(
                ErrorCode.INVALID_RESPONSE,
                f"{part.label}: asked for bytes from {part.byte_range.offset}, got a range starting at {start}",
            )
        return part.byte_range.length
    declared = response.headers.get("Content-Length")
    if declared is None or not declared.isdigit():
        return None
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        return None  # Content-Length counts the encoded bytes
    return int(declared)


def _ignore(_: int) -> None:
    """Progress of a part is reported in batches of its own (`_PROGRESS_BATCH`)."""

"""A piece whose end moves while its body streams: a split shrinks it, a refused neighbour's piece is merged back.

The race behind a corrupt "Completed" file (seen under load with a one-connection server): a read that crossed the
shrunk end was cut there and the cut bytes dropped; the merge that followed let the same body read on, so every
later byte landed at the wrong offset. The engine's `_stream` is driven here by a body whose reads are released one
at a time, so the split and the merge fall exactly between two reads; the bytes go to a real file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import AsyncIterator, Callable, Optional

import pytest

from tests.engines.hls.hls_fixtures import RecordingProgress
from tests.engines.ytdlp.media_site import RecordingSink
from tests.support.payload import make_payload
from vdp.contract import DownloadConfig, VideoTask
from vdp.engines.base import CancelToken, Chunk, ResumeState, RetryBudget, TransferContext
from vdp.engines.http.engine import _Transfer
from vdp.engines.ratelimit import RateLimits
from vdp.engines.services import TransferServices

READ = 256 << 10


class _Body:
    """A response body of fixed reads; `between(n)` runs after read n was handed out, before read n + 1."""

    def __init__(self, data: bytes, between: Callable[[int], None], read: int) -> None:
        self._data = data
        self._between = between
        self._read = read

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        for n, start in enumerate(range(0, len(self._data), self._read)):
            if n:
                self._between(n - 1)
            yield self._data[start:start + self._read]


class _PacingLimits(RateLimits):
    """Real limits with a task limit high enough to let every read pass at once; `during(n)` runs while read n
    waits its turn, which is where another connection can split the piece."""

    def __init__(self, during: Callable[[int], None]) -> None:
        super().__init__()
        self.set_task_rate("t1", float(1 << 40))
        self._during = during
        self._reads = 0

    async def pace(self, task_id: str, nbytes: int, advance: Callable[[int], None]) -> None:
        self._during(self._reads)
        self._reads += 1
        await super().pace(task_id, nbytes, advance)


async def _stream_through(tmp_path: Path, transfer_services: TransferServices, data: bytes,
                          between: Callable[[Chunk], Callable[[int], None]], read: int = READ, *,
                          pacing: Optional[Callable[[Chunk], Callable[[int], None]]] = None,
                          progress: Optional[RecordingProgress] = None) -> tuple[Chunk, bytes]:
    task = VideoTask(id="t1", url="http://127.0.0.1:9/f.bin", title="f", output_path=str(tmp_path))
    ctx = TransferContext(task=task, output_dir=tmp_path, config=DownloadConfig(), resume=ResumeState(),
                          progress=progress or RecordingSink(), cancel=CancelToken(), checkpoint=_no_checkpoint,
                          warn=lambda code, message: None, services=transfer_services, retries=RetryBudget(0))
    transfer = _Transfer(ctx)
    chunk = Chunk(0, 0, len(data) - 1, 0)
    if pacing is not None:
        transfer.limits = _PacingLimits(pacing(chunk))
    path = tmp_path / "f.bin.part"
    transfer.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        await transfer._stream(chunk, _Body(data, between(chunk), read))  # type: ignore[arg-type]
    finally:
        os.close(transfer.fd)
        transfer.fd = None
    return chunk, path.read_bytes()


async def _no_checkpoint(state: ResumeState) -> None:
    return None


async def test_a_piece_merged_back_after_a_read_crossed_its_shrunk_end_keeps_every_byte_in_place(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    data = make_payload(4 << 20, seed=7)
    end = len(data) - 1

    def between(chunk: Chunk) -> Callable[[int], None]:
        def step(n: int) -> None:
            if n == 1:
                chunk.end = 3 * READ + READ // 2 - 1  # split: the next read crosses the new end
            elif n == 3:
                chunk.end = end  # the new piece's connection was refused: its piece is merged back
        return step

    chunk, written = await _stream_through(tmp_path, transfer_services, data, between)
    assert chunk.complete and chunk.done == len(data)
    assert written == data


async def test_a_split_below_bytes_already_buffered_claims_only_the_piece(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    data = make_payload(2 << 20, seed=8)
    read = 64 << 10  # below WRITE_DIRECT: reads wait in the write buffer
    new_end = read + read // 2 - 1

    def between(chunk: Chunk) -> Callable[[int], None]:
        def step(n: int) -> None:
            if n == 1:
                chunk.end = new_end  # both reads so far are still in the write buffer, past the new end
        return step

    chunk, written = await _stream_through(tmp_path, transfer_services, data, between, read)
    assert chunk.done == new_end + 1, "the piece claims no byte past its end"
    assert written[:new_end + 1] == data[:new_end + 1]


@pytest.mark.parametrize(("read", "split_during", "new_end"), [
    (READ, 2, 2 * READ + READ // 2 - 1),  # direct writes: the new end cuts the read that waits in half
    # buffered reads: read 15 fills the 1 MiB write buffer, and the new end cuts into the bytes already in it
    (64 << 10, 15, 14 * (64 << 10) + (32 << 10) - 1),
], ids=["in-the-read", "in-the-buffer"])
async def test_a_piece_split_and_merged_back_while_a_read_waits_for_the_rate_limit_keeps_every_byte_in_place(
        tmp_path: Path, transfer_services: TransferServices, read: int, split_during: int, new_end: int) -> None:
    data = make_payload(4 << 20, seed=9)
    end = len(data) - 1

    def pacing(chunk: Chunk) -> Callable[[int], None]:
        def during(n: int) -> None:
            if n == split_during:
                # split while the read waits: bytes already read are the new piece's (a split never goes below the
                # bytes written, as PieceMap.take splits after them)
                chunk.end = max(new_end, chunk.start + chunk.done)
        return during

    def between(chunk: Chunk) -> Callable[[int], None]:
        def step(n: int) -> None:
            if n == split_during:
                chunk.end = end  # the new piece's connection was refused: merged back before the next read
        return step

    progress = RecordingProgress()
    chunk, written = await _stream_through(tmp_path, transfer_services, data, between, read, pacing=pacing,
                                           progress=progress)
    assert chunk.complete and chunk.done == len(data)
    assert written == data
    assert progress.downloaded == len(data), "bytes moved back out of the piece are not counted twice"

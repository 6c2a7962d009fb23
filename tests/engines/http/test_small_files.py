"""A fresh file of at most SMALL_FILE bytes is held in memory until its last byte, then claimed, written, synced and
renamed in one trip to a thread: it never has a first checkpoint, and whatever stops it leaves no partial file."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path
from typing import Any, Optional

import pytest

from tests.engines.hls.hls_fixtures import RecordingProgress
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import DownloadConfig, ErrorCode, VideoTask
from vdp.engines.base import CancelToken, ResumeState, RetryBudget, TransferContext, TransferInterrupted
from vdp.engines.http import engine as engine_module
from vdp.engines.http.engine import SMALL_FILE, HttpEngine
from vdp.engines.services import TransferServices
from vdp.errors import VdpError


class _Progress(RecordingProgress):
    """Tells the test when `at` bytes have come."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.reached = asyncio.Event()

    def advance(self, nbytes: int) -> None:
        super().advance(nbytes)
        if self.downloaded >= self.at:
            self.reached.set()


def _context(tmp_path: Path, url: str, checkpoints: list[ResumeState], progress: RecordingProgress,
             cancel: Optional[CancelToken] = None, services: Optional[TransferServices] = None) -> TransferContext:
    async def checkpoint(state: ResumeState) -> None:
        checkpoints.append(state)

    assert services is not None
    task = VideoTask(id="t1", url=url, title="f", output_path=str(tmp_path))
    return TransferContext(task=task, output_dir=tmp_path, config=DownloadConfig(), resume=ResumeState(),
                           progress=progress, cancel=cancel or CancelToken(), checkpoint=checkpoint,
                           warn=lambda code, message: None, services=services, retries=RetryBudget(0))


@pytest.mark.parametrize("size", [0, 256 << 10, SMALL_FILE])
async def test_a_small_file_is_claimed_after_its_last_byte_and_never_checkpointed(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch,
        size: int) -> None:
    data = make_payload(size, seed=5)
    server.add_file("/f.bin", data)
    progress = RecordingProgress()
    received_at_claim: list[int] = []
    open_unique = engine_module.open_unique

    def claim(*args: Any) -> Any:
        received_at_claim.append(progress.downloaded)
        return open_unique(*args)

    monkeypatch.setattr(engine_module, "open_unique", claim)
    checkpoints: list[ResumeState] = []
    ctx = _context(tmp_path, server.url("/f.bin"), checkpoints, progress, services=transfer_services)
    result = await HttpEngine().transfer(ctx)
    assert result.file_path == tmp_path / "f.bin" and result.size == size
    assert (tmp_path / "f.bin").read_bytes() == data
    assert received_at_claim == [size], "claimed once, after the last byte"
    assert checkpoints == [], "nothing to resume from: no checkpoint names a partial file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]


async def test_a_file_just_over_the_limit_is_claimed_at_its_first_byte(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices) -> None:
    data = make_payload(SMALL_FILE + 1, seed=6)
    server.add_file("/f.bin", data, stall_after=SMALL_FILE // 2)
    progress = _Progress(SMALL_FILE // 2)
    checkpoints: list[ResumeState] = []
    cancel = CancelToken()
    ctx = _context(tmp_path, server.url("/f.bin"), checkpoints, progress, cancel, transfer_services)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    await progress.reached.wait()
    assert (tmp_path / "f.bin.part").exists()
    cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        await transfer
    assert checkpoints[0].meta["part_name"] == "f.bin.part"
    assert checkpoints[-1].durable_bytes == SMALL_FILE // 2, "what came is kept"


async def test_a_small_file_stopped_before_its_last_byte_leaves_nothing_and_starts_again_from_zero(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices) -> None:
    data = make_payload(512 << 10, seed=7)
    server.add_file("/stalls.bin", data, stall_after=200_000)
    progress = _Progress(200_000)
    checkpoints: list[ResumeState] = []
    cancel = CancelToken()
    ctx = _context(tmp_path, server.url("/stalls.bin"), checkpoints, progress, cancel, transfer_services)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    await progress.reached.wait()
    cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        await transfer
    assert list(tmp_path.iterdir()) == [] and checkpoints == []

    server.add_file("/stalls.bin", data)  # the server mends; the next attempt resumes from what was saved: nothing
    again = _context(tmp_path, server.url("/stalls.bin"), checkpoints, RecordingProgress(), services=transfer_services)
    result = await HttpEngine().transfer(again)
    assert result.file_path.read_bytes() == data
    assert server.stats("/stalls.bin").ranges[-1] == "bytes=0-"


async def test_a_small_file_paused_while_it_is_stored_leaves_no_partial_file(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.add_file("/f.bin", make_payload(100_000, seed=8))
    cancel = CancelToken()
    write_to = engine_module._HeldFile.write_to

    def paused_meanwhile(held: Any, fd: int) -> None:
        cancel.cancel("pause")  # as a pause that comes while the thread writes the file
        write_to(held, fd)

    monkeypatch.setattr(engine_module._HeldFile, "write_to", paused_meanwhile)
    ctx = _context(tmp_path, server.url("/f.bin"), [], RecordingProgress(), cancel, transfer_services)
    with pytest.raises(TransferInterrupted):
        await HttpEngine().transfer(ctx)
    assert list(tmp_path.iterdir()) == [], "the partial file no checkpoint names is deleted"


async def test_a_small_file_that_cannot_be_written_fails_clearly_and_leaves_no_partial_file(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.add_file("/f.bin", make_payload(100_000, seed=9))

    def disk_full(held: Any, fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(engine_module._HeldFile, "write_to", disk_full)
    ctx = _context(tmp_path, server.url("/f.bin"), [], RecordingProgress(), services=transfer_services)
    with pytest.raises(VdpError) as failure:
        await HttpEngine().transfer(ctx)
    assert failure.value.code == ErrorCode.DISK_FULL
    assert list(tmp_path.iterdir()) == []


def test_the_held_pieces_are_all_written_when_the_kernel_takes_fewer_bytes_per_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pwritev = os.pwritev
    calls: list[int] = []

    def short_writes(fd: int, buffers: list[bytes], offset: int) -> int:
        calls.append(offset)
        taken, budget = [], 1000  # at most 1000 bytes per call, splitting a piece as the kernel may
        for piece in buffers:
            taken.append(piece[:budget])
            budget -= len(taken[-1])
            if not budget:
                break
        return pwritev(fd, taken, offset)

    monkeypatch.setattr(os, "pwritev", short_writes)
    held = engine_module._HeldFile("f.bin")
    pieces = [make_payload(n, seed=n) for n in (10, 2500, 1, 999, 3000)]
    for piece in pieces:
        held.keep(piece, len(piece))
    held.keep(bytearray(b"tail-and-more"), 4)  # a reused buffer: only its first bytes count, copied
    fd = os.open(tmp_path / "f.bin", os.O_CREAT | os.O_RDWR)
    try:
        held.write_to(fd)
    finally:
        os.close(fd)
    assert (tmp_path / "f.bin").read_bytes() == b"".join(pieces) + b"tail"
    assert len(calls) == 7 and calls == sorted(calls)


@pytest.mark.parametrize("ranges", ["honour", "ignore"])
async def test_an_empty_file_is_downloaded_whether_its_range_is_refused_or_ignored(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices, ranges: str) -> None:
    # 416 with `bytes */0` (an empty file has no byte 0) used to fail as an unexpected answer, 200 with no body as an
    # internal error.
    server.add_file("/empty.txt", b"", ranges=ranges)
    ctx = _context(tmp_path, server.url("/empty.txt"), [], RecordingProgress(), services=transfer_services)
    result = await HttpEngine().transfer(ctx)
    assert result.size == 0 and result.file_path.read_bytes() == b""
    assert server.stats("/empty.txt").statuses == ((416,) if ranges == "honour" else (200,))

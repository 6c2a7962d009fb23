"""A fresh file of at most SMALL_FILE bytes is held in memory until its last byte, then claimed, written, synced and
renamed in one trip to a thread: it never has a first checkpoint. Stopped before its last byte it keeps what came
(unless cancelled); stopped while it is stored, a pause lets it finish and a cancel deletes it."""

from __future__ import annotations

import asyncio
import errno
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.engines.hls.hls_fixtures import RecordingProgress
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import ErrorCode
from vdp.engines.base import CancelToken, ResumeState, TransferInterrupted
from vdp.engines.http import engine as engine_module
from vdp.engines.http.engine import SMALL_FILE, HttpEngine
from vdp.engines.services import TransferServices
from vdp.errors import VdpError

from .contexts import http_context


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
    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services, checkpoints=checkpoints, progress=progress)
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
    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services, checkpoints=checkpoints, progress=progress,
                       cancel=cancel)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    await asyncio.wait_for(progress.reached.wait(), 30)
    assert (tmp_path / "f.bin.part").exists()
    cancel.cancel("pause")
    with pytest.raises(TransferInterrupted):
        await transfer
    assert checkpoints[0].meta["part_name"] == "f.bin.part"
    assert checkpoints[-1].durable_bytes == SMALL_FILE // 2, "what came is kept"


@pytest.mark.parametrize("stop", ["pause", "cancel", "broken body"])
async def test_a_small_file_stopped_before_its_last_byte_keeps_what_came_unless_cancelled(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices, stop: str) -> None:
    data = make_payload(512 << 10, seed=7)
    cut = 200_000
    if stop == "broken body":  # the server resets the connection there: the next attempt asks for the rest
        server.add_file("/cut.bin", data, reset_after=cut)
    else:
        server.add_file("/cut.bin", data, stall_after=cut)
    progress = _Progress(cut)
    checkpoints: list[ResumeState] = []
    cancel = CancelToken()
    ctx = http_context(tmp_path, server.url("/cut.bin"), transfer_services, checkpoints=checkpoints,
                       progress=progress, cancel=cancel)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    if stop == "broken body":
        with pytest.raises(VdpError):
            await transfer
    else:
        await asyncio.wait_for(progress.reached.wait(), 30)
        cancel.cancel(stop)
        with pytest.raises(TransferInterrupted):
            await transfer
    if stop == "cancel":
        assert list(tmp_path.iterdir()) == [] and checkpoints == [], "a cancel keeps nothing"
        return
    (saved,) = checkpoints
    kept = saved.durable_bytes  # a reset drops what the socket had not handed over yet
    assert 0 < kept <= cut and (kept == cut or stop == "broken body")
    assert (tmp_path / "cut.bin.part").read_bytes()[:kept] == data[:kept]

    server.add_file("/cut.bin", data)  # the server mends; the next attempt asks for the rest only
    again = http_context(tmp_path, server.url("/cut.bin"), transfer_services, resume=saved)
    result = await HttpEngine().transfer(again)
    assert result.file_path.read_bytes() == data
    assert server.stats("/cut.bin").ranges[-1].startswith(f"bytes={kept}-")


@pytest.mark.parametrize("reason", ["pause", "cancel"])
async def test_a_small_file_stopped_while_it_is_stored_is_finished_if_paused_and_deleted_if_cancelled(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch, reason: str) -> None:
    data = make_payload(100_000, seed=8)
    server.add_file("/f.bin", data)
    cancel = CancelToken()
    write_to = engine_module.HeldFile.write_to

    def stopped_meanwhile(held: Any, fd: int) -> None:
        cancel.cancel(reason)  # as a stop that comes while the thread writes the file
        write_to(held, fd)

    monkeypatch.setattr(engine_module.HeldFile, "write_to", stopped_meanwhile)
    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services, cancel=cancel)
    if reason == "pause":  # past its last byte a download finishes its file: stopping now would lose every byte
        result = await HttpEngine().transfer(ctx)
        assert result.file_path.read_bytes() == data
        assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]
    else:
        with pytest.raises(TransferInterrupted):
            await HttpEngine().transfer(ctx)
        assert list(tmp_path.iterdir()) == [], "the partial file no checkpoint names is deleted"


async def test_a_small_file_that_cannot_be_written_fails_clearly_and_leaves_no_partial_file(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.add_file("/f.bin", make_payload(100_000, seed=9))

    def disk_full(held: Any, fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(engine_module.HeldFile, "write_to", disk_full)
    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services)
    with pytest.raises(VdpError) as failure:
        await HttpEngine().transfer(ctx)
    assert failure.value.code == ErrorCode.DISK_FULL
    assert list(tmp_path.iterdir()) == []


def test_a_body_read_in_many_small_pieces_is_written_whole_even_when_the_kernel_takes_less_per_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A slow server (or a rate limit) hands the body over in thousands of reads: more than a vectored write takes.
    pwrite = os.pwrite
    calls: list[int] = []

    def short_writes(fd: int, data: Any, offset: int) -> int:
        calls.append(offset)
        return pwrite(fd, data[:1000], offset)  # at most 1000 bytes per call, as the kernel may

    monkeypatch.setattr(os, "pwrite", short_writes)
    reads = [make_payload(n % 7 + 1, seed=n) for n in range(3000)]
    held = engine_module.HeldFile("f.bin")
    for piece in reads:
        held.keep(piece, len(piece))
    held.keep(bytearray(b"tail-and-more"), 4)  # a reused buffer: only its first bytes count
    fd = os.open(tmp_path / "f.bin", os.O_CREAT | os.O_RDWR)
    try:
        held.write_to(fd)
    finally:
        os.close(fd)
    assert (tmp_path / "f.bin").read_bytes() == b"".join(reads) + b"tail"
    assert calls == sorted(calls) and len(calls) == -(-held.size // 1000)


@pytest.mark.parametrize("ranges", ["honour", "ignore"])
async def test_an_empty_file_is_downloaded_whether_its_range_is_refused_or_ignored(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices, ranges: str) -> None:
    # 416 with `bytes */0` (an empty file has no byte 0) used to fail as an unexpected answer, 200 with no body as an
    # internal error.
    server.add_file("/empty.txt", b"", ranges=ranges)
    ctx = http_context(tmp_path, server.url("/empty.txt"), transfer_services)
    result = await HttpEngine().transfer(ctx)
    assert result.size == 0 and result.file_path.read_bytes() == b""
    assert server.stats("/empty.txt").statuses == ((416,) if ranges == "honour" else (200,))


async def test_a_transfer_stopped_by_force_while_its_small_file_is_stored_waits_for_the_store(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A stop's deadline cancels the engine's task; the thread writing the file cannot be stopped, so the task ends
    # only after it (its descriptor is its own), and no partial file is left for nothing to name.
    data = make_payload(100_000, seed=10)
    server.add_file("/f.bin", data)
    loop = asyncio.get_running_loop()
    writing, go_on = asyncio.Event(), threading.Event()
    write_to = engine_module.HeldFile.write_to

    def slow_write(held: Any, fd: int) -> None:
        loop.call_soon_threadsafe(writing.set)
        go_on.wait(30)
        write_to(held, fd)

    monkeypatch.setattr(engine_module.HeldFile, "write_to", slow_write)
    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    try:
        await asyncio.wait_for(writing.wait(), 30)
        transfer.cancel()
        await asyncio.sleep(0)  # let the cancellation reach the transfer: it must wait for the thread
        assert not transfer.done(), "the task ended while its thread still wrote the file"
    finally:
        go_on.set()
    with pytest.raises(asyncio.CancelledError):
        await transfer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"] and (tmp_path / "f.bin").read_bytes() == data

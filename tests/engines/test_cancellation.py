"""The cancellation model (engines/scope.py): a paused transfer leaves no task of its own behind, a failure ends its
siblings, and the token's race helper keeps the result of work that finished first.

The servers run on a thread of their own (FaultServerThread), so every task left on this loop after a pause is the
client's: the engine's, or one the engine's transport left.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, AsyncIterator, Iterator, Optional

import pytest

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload
from tests.support.services import open_services
from vdp.contract import DownloadConfig, VideoTask
from vdp.engines.base import CancelToken, ResumeState, RetryBudget, TransferContext, TransferInterrupted
from vdp.engines.hls import HlsEngine
from vdp.engines.http import HttpEngine
from vdp.engines.scope import TransferScope, until_cancelled
from vdp.engines.services import TransferServices

MIB = 1 << 20


class WatchedProgress:
    """A progress sink that says when the engine has `wanted` connections (HTTP) or parts (HLS) in flight."""

    def __init__(self, wanted: int) -> None:
        self.wanted = wanted
        self.reached = asyncio.Event()
        self.live_state: Any = None
        self._connections = 0

    @property
    def connections(self) -> int:
        return self._connections

    @connections.setter
    def connections(self, count: int) -> None:
        self._connections = count
        if count >= self.wanted:
            self.reached.set()

    def advance(self, nbytes: int) -> None:
        pass

    def set_total(self, total: Optional[int]) -> None:
        pass

    def restart(self, downloaded: int) -> None:
        pass


@pytest.fixture
def thread_server() -> Iterator[FaultServerThread]:
    with FaultServerThread() as srv:
        yield srv


@pytest.fixture
async def services() -> AsyncIterator[TransferServices]:
    async with open_services(DownloadConfig(max_connections_per_download=8, hls_segment_concurrency=4)) as opened:
        yield opened


def _context(url: str, out: Path, progress: WatchedProgress, services: TransferServices,
             checkpoints: list[ResumeState]) -> TransferContext:
    async def checkpoint(state: ResumeState) -> None:
        checkpoints.append(state)

    config = DownloadConfig(max_connections_per_download=8, hls_segment_concurrency=4, retry_attempts=0)
    return TransferContext(
        task=VideoTask(id="t", url=url, title="video", output_path=str(out), engine_options={"remux": "off"}),
        output_dir=out, config=config, resume=ResumeState(), progress=progress, cancel=CancelToken(),
        checkpoint=checkpoint, warn=lambda code, message: None, services=services, retries=RetryBudget(0),
    )


async def _pause_when_reached(ctx: TransferContext, progress: WatchedProgress, engine: Any) -> set[asyncio.Task[Any]]:
    """Start the transfer, pause it once `progress.wanted` are in flight; the tasks it left on the loop."""
    before = asyncio.all_tasks()
    transfer = asyncio.create_task(engine.transfer(ctx))
    async with asyncio.timeout(60):  # a guard against hanging, not a timing claim
        reached = asyncio.create_task(progress.reached.wait())
        await asyncio.wait({transfer, reached}, return_when=asyncio.FIRST_COMPLETED)
        reached.cancel()
        assert not transfer.done(), transfer.exception() if not transfer.cancelled() else "cancelled"
        ctx.cancel.cancel("pause")
        with pytest.raises(TransferInterrupted):
            await transfer
    return {t for t in asyncio.all_tasks() - before if not t.done()}


async def test_pausing_an_eight_connection_http_transfer_leaves_no_task_behind(
        thread_server: FaultServerThread, services: TransferServices, tmp_path: Path) -> None:
    thread_server.add_file("/big.bin", make_payload(64 * MIB, seed=81), rate=MIB)  # slow: the ramp opens all 8
    progress, checkpoints = WatchedProgress(8), []  # type: ignore[var-annotated]
    ctx = _context(thread_server.url("/big.bin"), tmp_path, progress, services, checkpoints)
    left = await _pause_when_reached(ctx, progress, HttpEngine())
    assert left == set(), [t.get_coro() for t in left]
    assert progress.connections == 0
    assert services.connections.in_use == 0  # every lease came back with its connection
    assert checkpoints and checkpoints[-1].durable_bytes > 0  # the checkpoint was saved before the interruption


async def test_pausing_an_hls_transfer_with_four_segment_workers_leaves_no_task_behind(
        thread_server: FaultServerThread, services: TransferServices, tmp_path: Path) -> None:
    count = 12
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:4", "#EXT-X-PLAYLIST-TYPE:VOD"]
    for n in range(count):
        # Each part stalls after its first bytes until the client hangs up: four workers stay in flight.
        thread_server.add_file(f"/v/seg{n}.ts", make_payload(256 << 10, seed=n), stall_after=4096,
                               content_type="video/mp2t")
        lines += ["#EXTINF:4,", f"seg{n}.ts"]
    thread_server.add_file("/v/index.m3u8", ("\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n").encode(),
                           content_type="application/vnd.apple.mpegurl")
    progress = WatchedProgress(4)
    ctx = _context(thread_server.url("/v/index.m3u8"), tmp_path, progress, services, [])
    left = await _pause_when_reached(ctx, progress, HlsEngine(retry_backoff=0))
    assert left == set(), [t.get_coro() for t in left]
    assert progress.connections == 0
    assert services.connections.in_use == 0


async def test_the_first_failure_ends_its_siblings_and_is_raised_as_itself() -> None:
    token, siblings_cancelled = CancelToken(), []

    async def sibling() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            siblings_cancelled.append(True)
            raise

    async def failing() -> None:
        raise LookupError("the first failure")

    with pytest.raises(LookupError, match="the first failure"):
        async with TransferScope(token) as scope:
            scope.start(sibling())
            scope.start(sibling())
            scope.start(failing())
    assert siblings_cancelled == [True, True]
    assert not scope.accepting
    this = asyncio.current_task()
    assert this is not None and this.cancelling() == 0  # the group's cancel of its parent was taken back


async def test_the_token_cancels_the_scope_and_refuses_new_work() -> None:
    token, started = CancelToken(), asyncio.Event()

    async def forever() -> None:
        started.set()
        await asyncio.Event().wait()

    with pytest.raises(TransferInterrupted):
        async with TransferScope(token) as scope:
            task = scope.start(forever())
            await started.wait()
            token.cancel("pause")
            assert task is not None and task.cancelling() == 1  # in the call that fired it: no watcher task
            assert not scope.accepting
    assert task is not None and task.cancelled()
    late = forever()
    assert scope.start(late) is None and late.cr_frame is None  # closed, never run
    assert token._listeners == []  # the token holds no left scope (it would keep it and its tasks alive)


async def test_until_cancelled_keeps_a_finished_result_and_stops_unfinished_work() -> None:
    token = CancelToken()
    assert await until_cancelled(token, asyncio.sleep(0, result="done")) == "done"
    waited = asyncio.get_running_loop().create_future()
    job = asyncio.create_task(until_cancelled(token, waited))
    await asyncio.sleep(0)  # let the race begin
    token.cancel("cancel")
    with pytest.raises(TransferInterrupted):
        await job
    assert waited.cancelled()
    with pytest.raises(TransferInterrupted):  # fired already: the work is not begun
        await until_cancelled(token, asyncio.sleep(0))


async def test_a_scope_entered_after_the_token_fired_starts_nothing() -> None:
    token = CancelToken()
    token.cancel("cancel")
    work = asyncio.sleep(0)
    with pytest.raises(TransferInterrupted):  # work was left undone for the token
        async with TransferScope(token) as scope:
            assert scope.start(work) is None
    assert work.cr_frame is None and token._listeners == []


async def test_waiting_for_a_token_ends_when_it_fires_and_leaves_no_listener() -> None:
    token = CancelToken()
    waiter = asyncio.create_task(token.wait())
    await asyncio.sleep(0)  # the waiter is waiting
    assert len(token._listeners) == 1
    token.cancel("pause")
    await waiter
    assert token._listeners == [] and token.reason == "pause"
    await token.wait()  # fired already: returns at once

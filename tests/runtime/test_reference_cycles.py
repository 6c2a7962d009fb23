"""A transfer's objects go by reference counting when it ends, whether it completed, was paused, was cancelled or
failed: none of the app's objects is left in a reference cycle. A transfer lives for seconds, long enough for its
objects to reach the collector's oldest generation, so a cycle among them waits for a full (generation-2)
collection, which holds the event loop while it walks and frees them (docs/benchmarks.md, "Where the loop
waited"). Libraries' own cycles are not counted here (an HLS segment's answer fetched through `httpx.AsyncClient` is
one: its response and stream refer to each other); the HTTP engine's requests do not go through that client."""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import TaskStatus

SIZE = 256 << 10
HELD_AT = 64 << 10  # the server holds each body here until its gate opens, so a pause or cancel meets a live transfer


@contextmanager
def collector_off() -> Iterator[Counter[str]]:
    """The cyclic collector off inside the block, so no cycle made there can be freed unseen; on leaving, the app's
    own objects (types of `vdp.*`) that one collection finds unreachable, counted by type."""
    gc.collect()  # what came before is not the block's
    was_enabled = gc.isenabled()
    gc.disable()
    found: Counter[str] = Counter()
    try:
        yield found
    finally:
        gc.set_debug(gc.DEBUG_SAVEALL)  # unreachable objects kept in gc.garbage, to be looked at
        try:
            gc.collect()
            found.update(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.garbage
                         if type(o).__module__.startswith("vdp."))
        finally:
            gc.garbage.clear()
            gc.set_debug(0)
            if was_enabled:
                gc.enable()


async def _held_transfer(kit: AppKit, server: FaultServer) -> str:
    server.add_file("/held.bin", make_payload(SIZE, seed=3), stall_after=HELD_AT)
    task_id = await kit.add(server.url("/held.bin"))
    await kit.call("start_download", taskId=task_id)
    await server.wait_for_bytes_sent("/held.bin", HELD_AT)
    return task_id


async def _completed(kit: AppKit, server: FaultServer) -> TaskStatus:
    server.add_file("/whole.bin", make_payload(SIZE, seed=1))
    return (await kit.download(server.url("/whole.bin"))).status


async def _failed(kit: AppKit, server: FaultServer) -> TaskStatus:
    server.add_file("/missing.bin", status=404)
    return (await kit.download(server.url("/missing.bin"))).status


async def _paused(kit: AppKit, server: FaultServer) -> TaskStatus:
    task_id = await _held_transfer(kit, server)
    await kit.call("pause_download", taskId=task_id)
    return await kit.wait_status(task_id, {TaskStatus.PAUSED})


async def _cancelled(kit: AppKit, server: FaultServer) -> TaskStatus:
    task_id = await _held_transfer(kit, server)
    await kit.call("cancel_download", taskId=task_id)
    return await kit.wait_status(task_id, {TaskStatus.CANCELLED})


@pytest.mark.parametrize(("ending", "expected"), [(_completed, TaskStatus.COMPLETED), (_failed, TaskStatus.FAILED),
                                                  (_paused, TaskStatus.PAUSED), (_cancelled, TaskStatus.CANCELLED)],
                         ids=["completed", "failed", "paused", "cancelled"])
async def test_an_ended_transfer_leaves_no_reference_cycle(kit: AppKit, server: FaultServer, ending, expected) -> None:  # type: ignore[no-untyped-def]
    with collector_off() as cyclic_garbage:
        assert await ending(kit, server) == expected

    assert cyclic_garbage == Counter()

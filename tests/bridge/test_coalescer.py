"""The UI's event pump: a long backlog goes out in order, as several batches with the event loop free between them
(converting 10,000 `task_added` in one go held the loop for most of a second), and progress is still coalesced."""

from __future__ import annotations

import asyncio
from typing import Any

from vdp.bridge.coalescer import DELIVERY_SLICE, pump
from vdp.contract import DownloadProgressEvent, TaskRemovedEvent
from vdp.runtime.bus import EventBus


def _progress(task_id: str, downloaded: int) -> DownloadProgressEvent:
    return DownloadProgressEvent(task_id=task_id, downloaded=downloaded, downloaded_size=downloaded)


async def test_a_long_backlog_goes_out_in_order_in_slices_with_the_loop_free_between() -> None:
    bus = EventBus()
    subscription = bus.subscribe("ui")
    count = 3 * DELIVERY_SLICE + 7
    bus.publish("download_progress", _progress("a", 1))
    for n in range(count):
        bus.publish("task_removed", TaskRemovedEvent(task_id=f"t{n}"))
    bus.publish("download_progress", _progress("a", 2))  # replaces the first one, at the newest position

    turns = 0  # how many times another coroutine got the loop

    async def other_work() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    batches: list[tuple[int, list[dict[str, Any]]]] = []
    all_out = asyncio.Event()

    def deliver(batch: list[dict[str, Any]]) -> None:
        batches.append((turns, batch))
        if sum(len(b) for _, b in batches) == count + 1:
            all_out.set()

    tasks = [asyncio.ensure_future(other_work()), asyncio.ensure_future(pump(subscription, deliver))]
    try:
        await asyncio.wait_for(all_out.wait(), 10)
    finally:
        for task in tasks:
            task.cancel()

    delivered = [item for _, batch in batches for item in batch]
    assert [item["payload"]["task_id"] for item in delivered[:-1]] == [f"t{n}" for n in range(count)]
    assert delivered[-1] == {"event": "download_progress", "payload": _progress("a", 2).model_dump(mode="json")}
    assert [len(batch) for _, batch in batches] == [DELIVERY_SLICE] * 3 + [8]
    seen_turns = [seen for seen, _ in batches]
    assert all(later > earlier for earlier, later in zip(seen_turns, seen_turns[1:]))  # the loop ran in between

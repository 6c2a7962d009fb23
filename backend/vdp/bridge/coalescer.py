"""Coalesced event batches for a UI: per task only the latest progress, everything else in order.

A batch goes out at most every ~60 ms, so a thousand busy tasks cost the UI one update per frame or so, while
status changes are never dropped or reordered. A long backlog (10,000 `task_added` after one big add) goes out as
several consecutive batches of at most `DELIVERY_SLICE` events, with the event loop free between them: converting and
encoding it in one go held the loop for most of a second.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Union

from ..runtime.bus import Event, Subscription
from ..slices import loop_slices

BATCH_INTERVAL = 0.06
DELIVERY_SLICE = 200  # events converted and delivered at a time (≈ 5 ms of loop time for task-sized payloads)

Deliver = Callable[[list[dict[str, Any]]], Union[None, Awaitable[None]]]


def coalesce(events: list[Event]) -> list[Event]:
    """Keep the order of last occurrence; a newer progress event for a task replaces the older one."""
    batch: dict[object, Event] = {}
    for position, event in enumerate(events):
        if event.name == "download_progress":
            key: object = ("progress", event.payload.task_id)
            batch.pop(key, None)  # re-insert at the end: newest position
        else:
            key = position
        batch[key] = event
    return list(batch.values())


async def pump(subscription: Subscription, deliver: Deliver, interval: float = BATCH_INTERVAL) -> None:
    """Forward batches from `subscription` to `deliver` until cancelled."""
    while True:
        await subscription.wait()
        events = coalesce(subscription.drain())
        async for part in loop_slices(events, DELIVERY_SLICE):
            result = deliver([event.wire() for event in part])
            if inspect.isawaitable(result):
                await result
        await asyncio.sleep(interval)

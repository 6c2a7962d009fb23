"""Coalesced event batches for a UI: per task only the latest progress, everything else in order.

A batch goes out at most every ~60 ms, so a thousand busy tasks cost the UI one update per frame or so, while
status changes are never dropped or reordered.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Union

from ..runtime.bus import Event, Subscription

BATCH_INTERVAL = 0.06

Deliver = Callable[[list[dict[str, Any]]], Union[None, Awaitable[None]]]


def coalesce(events: list[Event]) -> list[dict[str, Any]]:
    """Keep the order of last occurrence; a newer progress event for a task replaces the older one."""
    batch: dict[object, Event] = {}
    for position, event in enumerate(events):
        if event.name == "download_progress":
            key: object = ("progress", event.payload.task_id)
            batch.pop(key, None)  # re-insert at the end: newest position
        else:
            key = position
        batch[key] = event
    return [event.wire() for event in batch.values()]


async def pump(subscription: Subscription, deliver: Deliver, interval: float = BATCH_INTERVAL) -> None:
    """Forward batches from `subscription` to `deliver` until cancelled."""
    while True:
        await subscription.wait()
        batch = coalesce(subscription.drain())
        if batch:
            result = deliver(batch)
            if inspect.isawaitable(result):
                await result
        await asyncio.sleep(interval)

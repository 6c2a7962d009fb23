"""The event bus: typed events fanned out to subscribers, each with its own bounded queue.

Publishing never blocks. A subscriber that falls behind loses its backlog and receives one
`runtime_warning{code: lagged}` instead, after which it resyncs from a snapshot (docs/contract.md, "Events").
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from typing import Any, Optional

from ..contract import ErrorCode, RuntimeWarningEvent


@dataclass(slots=True, frozen=True)
class Event:
    name: str
    payload: Any  # a contract model, or a bare bool/str for the original lifecycle events

    def wire(self) -> dict[str, Any]:
        payload = self.payload
        if hasattr(payload, "model_dump"):
            payload = payload.model_dump(mode="json")
        return {"event": self.name, "payload": payload}

    def wire_json(self) -> str:
        """`wire()` as JSON text, the payload serialised by pydantic in one step (no intermediate dicts)."""
        payload = self.payload
        text = payload.model_dump_json() if hasattr(payload, "model_dump_json") else json.dumps(payload)
        return f'{{"event": {json.dumps(self.name)}, "payload": {text}}}'


class Subscription:
    def __init__(self, bus: "EventBus", capacity: int, name: str) -> None:
        self._bus = bus
        self._items: deque[Event] = deque()
        self._capacity = capacity
        self._ready = asyncio.Event()
        self.name = name
        self.lagged_count = 0

    def _offer(self, event: Event) -> None:
        if len(self._items) >= self._capacity:
            self._items.clear()
            self.lagged_count += 1
            event = Event(
                "runtime_warning",
                RuntimeWarningEvent(
                    code=ErrorCode.LAGGED,
                    message=f"Event subscriber '{self.name}' fell behind; resync the task list",
                ),
            )
        self._items.append(event)
        self._ready.set()

    async def wait(self) -> None:
        """Wait until at least one event is queued."""
        if not self._items:
            self._ready.clear()
            await self._ready.wait()

    def drain(self) -> list[Event]:
        items = list(self._items)
        self._items.clear()
        return items

    async def next(self) -> Event:
        await self.wait()
        return self._items.popleft()

    def close(self) -> None:
        self._bus._subscribers.discard(self)


class EventBus:
    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self.published = 0

    def subscribe(self, name: str, capacity: int = 20_000) -> Subscription:
        sub = Subscription(self, capacity, name)
        self._subscribers.add(sub)
        return sub

    def publish(self, name: str, payload: Any) -> None:
        event = Event(name, payload)
        self.published += 1
        for sub in self._subscribers:
            sub._offer(event)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    @property
    def lagged_count(self) -> int:
        return sum(1 for s in self._subscribers if s.lagged_count)

    def find(self, name: str) -> Optional[Subscription]:
        return next((s for s in self._subscribers if s.name == name), None)

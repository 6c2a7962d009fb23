"""The scheduler: three queues and the slot accounting. Pure and synchronous; the command loop owns it.

- interactive: tasks a user started or resumed; runs even while the backlog is paused.
- automatic: the backlog of pending tasks; runs only while the backlog is running.
- retry: tasks waiting out a backoff; each becomes eligible at its `ready_at`.

Priority first (higher `priority` wins), then FIFO. Automatic and retry take turns so retries never starve the
backlog. A paused task may reserve its slot: automatic and retry work cannot take a reserved slot, an
interactive start can (docs/architecture.md, "Statuses and queues").
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any, Optional

INTERACTIVE = "interactive"
AUTOMATIC = "automatic"
RETRY = "retry"
QUEUES = (INTERACTIVE, AUTOMATIC, RETRY)
SortKey = tuple[Any, ...]  # compared element by element: the earliest key leaves first


@dataclass(order=True)
class _Entry:
    sort_key: SortKey
    task_id: str = field(compare=False)


class _Queue:
    """A priority queue with O(1) membership and lazy deletion."""

    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._live: dict[str, SortKey] = {}

    def push(self, task_id: str, sort_key: SortKey) -> None:
        self._live[task_id] = sort_key
        heapq.heappush(self._heap, _Entry(sort_key, task_id))

    def discard(self, task_id: str) -> bool:
        return self._live.pop(task_id, None) is not None

    def peek(self) -> Optional[_Entry]:
        while self._heap:
            top = self._heap[0]
            if self._live.get(top.task_id) == top.sort_key:
                return top
            heapq.heappop(self._heap)
        return None

    def pop(self) -> Optional[str]:
        top = self.peek()
        if top is None:
            return None
        heapq.heappop(self._heap)
        del self._live[top.task_id]
        return top.task_id

    def __contains__(self, task_id: str) -> bool:
        return task_id in self._live

    def __len__(self) -> int:
        return len(self._live)

    def ids(self) -> list[str]:
        return list(self._live)


class Scheduler:
    def __init__(self, concurrency: int) -> None:
        self.concurrency = concurrency
        self.backlog_running = False
        self.active: set[str] = set()
        self.finishing: set[str] = set()  # every byte in, the file being finished: no longer holds a download slot
        self.reserved: set[str] = set()
        self._queues = {name: _Queue() for name in QUEUES}
        self._counter = itertools.count()
        self._retry_turn = False

    # -- queue membership ----------------------------------------------------------------------

    def enqueue(self, task_id: str, queue: str, *, priority: int = 0, order: Optional[int] = None,
                ready_at: float = 0.0, front: bool = False) -> None:
        """Put a task in one queue (leaving any other). `order` keeps backlog FIFO across restarts."""
        self.dequeue(task_id)
        seq = -next(self._counter) if front else (order if order is not None else next(self._counter))
        key = (ready_at, -priority, seq) if queue == RETRY else (-priority, seq)
        self._queues[queue].push(task_id, key)

    def dequeue(self, task_id: str) -> Optional[str]:
        for name, queue in self._queues.items():
            if queue.discard(task_id):
                return name
        return None

    def queue_of(self, task_id: str) -> Optional[str]:
        for name, queue in self._queues.items():
            if task_id in queue:
                return name
        return None

    def depths(self) -> dict[str, int]:
        return {name: len(queue) for name, queue in self._queues.items()}

    def queued_ids(self, queue: str) -> list[str]:
        return self._queues[queue].ids()

    def next_retry_at(self) -> Optional[float]:
        top = self._queues[RETRY].peek()
        return top.sort_key[0] if top else None

    # -- slots -----------------------------------------------------------------------------------

    def reserve(self, task_id: str) -> None:
        self.reserved.add(task_id)

    def finish(self, task_id: str) -> None:
        """A running task has every byte: its slot goes to the next download while it finishes its file (a big file's
        final fsync can take seconds). At most `concurrency` finish at once, so a slow disk cannot pile them up: past
        that, a finishing task keeps its slot."""
        if task_id in self.active and len(self.finishing) < self.concurrency:
            self.active.discard(task_id)
            self.finishing.add(task_id)

    def release(self, task_id: str) -> None:
        """Forget a task's slot and reservation (finished, paused without reservation, removed)."""
        self.active.discard(task_id)
        self.finishing.discard(task_id)
        self.reserved.discard(task_id)

    @property
    def free_slots(self) -> int:
        return max(0, self.concurrency - len(self.active))

    def _free_unreserved(self) -> int:
        held = len(self.active) + len(self.reserved - self.active)
        return max(0, self.concurrency - held)

    def next_to_run(self, now: float) -> Optional[tuple[str, str]]:
        """Pick the next task to hand to a worker, marking it active; None when nothing may run now."""
        if self.free_slots == 0:
            return None
        choice = self._pick(now)
        if choice is not None:
            task_id, queue = choice
            self.reserved.discard(task_id)
            self.active.add(task_id)
        return choice

    def _pick(self, now: float) -> Optional[tuple[str, str]]:
        interactive = self._queues[INTERACTIVE].pop()
        if interactive is not None:
            return interactive, INTERACTIVE
        if self._free_unreserved() == 0:
            return None
        retry_top = self._queues[RETRY].peek()
        retry_ready = retry_top is not None and retry_top.sort_key[0] <= now
        backlog_ready = self.backlog_running and len(self._queues[AUTOMATIC]) > 0
        if retry_ready and (self._retry_turn or not backlog_ready):
            self._retry_turn = False
            return self._queues[RETRY].pop(), RETRY  # type: ignore[return-value]
        if backlog_ready:
            self._retry_turn = True
            return self._queues[AUTOMATIC].pop(), AUTOMATIC  # type: ignore[return-value]
        return None

"""Bandwidth limits, changeable at run time: one global token bucket and, on request, one per task.

The unit on the wire: `set_rate_limit`, `set_task_rate_limit` and every bucket count bytes per second; the setting
`advanced.rate_limit_mbps` counts megabits per second, as its name says (docs/network.md).

A bucket holds at most a tenth of a second of credit and never goes into debt: a batch that finds too few tokens
waits in line (first come, first served) until they have accrued, taking what there is as it goes. Changing or
lifting the rate wakes every waiter at once, and each looks again at the new rate: nothing sleeps out a wait that
was computed for a rate no longer in force. Unlimited buckets cost nothing per batch.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Callable, Optional

BURST_SECONDS = 0.1  # credit saved up while idle: small, so any 5 s window holds the rate within 2 %
SLICE_SECONDS = 0.05  # `pace` lets a read pass in slices this long at the limit...
MIN_SLICE = 4096  # ...but never smaller than this
MEGABIT = 1_000_000 / 8  # bytes


def rate_limit_bytes(mbps: Optional[float]) -> Optional[float]:
    """The setting `advanced.rate_limit_mbps` (megabits per second) in bytes per second; None for no limit."""
    return mbps * MEGABIT if mbps else None


class _Waiter:
    __slots__ = ("need", "wake")

    def __init__(self, need: float) -> None:
        self.need = need
        self.wake: Optional[asyncio.Future[None]] = None


class TokenBucket:
    def __init__(self, rate: Optional[float] = None) -> None:
        self._rate: Optional[float] = None
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self._line: deque[_Waiter] = deque()  # batches waiting for tokens; the first one is served
        self._held_at = float("-inf")  # when a batch last had to wait
        self.set_rate(rate)

    @property
    def rate(self) -> Optional[float]:
        return self._rate

    @property
    def waiting(self) -> int:
        """Batches held back right now."""
        return len(self._line)

    def holding(self, within: float) -> bool:
        """Whether this limit held a batch back in the last `within` seconds: it, not the server, is the
        bottleneck."""
        return self._rate is not None and (bool(self._line) or time.monotonic() - self._held_at < within)

    def set_rate(self, rate: Optional[float]) -> None:
        """A new rate (None or 0: unlimited), in force for every waiter at once."""
        self._rate = float(rate) if rate and rate > 0 else None
        self._tokens = 0.0  # neither credit nor a wait carries over from the old rate
        self._stamp = time.monotonic()
        for waiter in self._line:
            _resolve(waiter.wake)

    async def consume(self, nbytes: int) -> None:
        """Return once `nbytes` may pass."""
        rate = self._rate
        if rate is None:
            return
        self._refill(rate)
        if not self._line and self._tokens >= nbytes:
            self._tokens -= nbytes
            return
        waiter = _Waiter(float(nbytes))
        self._line.append(waiter)
        self._held_at = time.monotonic()
        try:
            while (rate := self._rate) is not None:
                if self._line[0] is waiter:
                    self._refill(rate)
                    taken = min(self._tokens, waiter.need)
                    self._tokens -= taken
                    waiter.need -= taken
                    if waiter.need <= 0:
                        return
                    await self._sleep(waiter, min(waiter.need, rate * BURST_SECONDS) / rate)
                else:
                    await self._sleep(waiter, None)  # until it is first in line, or the rate changes
        finally:
            first = self._line[0] is waiter
            self._line.remove(waiter)
            if first and self._line:
                _resolve(self._line[0].wake)

    def _refill(self, rate: float) -> None:
        now = time.monotonic()
        self._tokens = min(rate * BURST_SECONDS, self._tokens + (now - self._stamp) * rate)
        self._stamp = now

    @staticmethod
    async def _sleep(waiter: _Waiter, seconds: Optional[float]) -> None:
        loop = asyncio.get_running_loop()
        waiter.wake = loop.create_future()
        timer = loop.call_later(seconds, _resolve, waiter.wake) if seconds is not None else None
        try:
            await waiter.wake
        finally:
            if timer is not None:
                timer.cancel()


def _resolve(future: Optional[asyncio.Future[None]]) -> None:
    if future is not None and not future.done():
        future.set_result(None)


class RateLimits:
    """The global bucket plus one per task that has a limit of its own; a batch passes both."""

    def __init__(self, global_rate: Optional[float] = None) -> None:
        self.global_bucket = TokenBucket(global_rate)
        self._tasks: dict[str, TokenBucket] = {}
        self._set_live: set[str] = set()  # tasks whose limit was set or lifted at run time: their option is old news

    @property
    def limited(self) -> bool:
        """Whether any limit is in force: an unlimited transfer skips `consume` altogether."""
        return self.global_bucket.rate is not None or bool(self._tasks)

    def set_task_rate(self, task_id: str, rate: Optional[float]) -> None:
        """A task's own limit (None: none), in force at once for its running transfer."""
        self._set_live.add(task_id)
        bucket = self._tasks.get(task_id)
        if rate:
            if bucket is None:
                self._tasks[task_id] = TokenBucket(rate)
            else:
                bucket.set_rate(rate)
        elif bucket is not None:
            del self._tasks[task_id]
            bucket.set_rate(None)  # whoever waits on it goes on

    def forget(self, task_id: str) -> None:
        """The task is gone from the list: its own limit goes with it (a running transfer was stopped before)."""
        self.set_task_rate(task_id, None)
        self._set_live.discard(task_id)

    def task_rate(self, task_id: str) -> Optional[float]:
        bucket = self._tasks.get(task_id)
        return bucket.rate if bucket else None

    def seed(self, task_id: str, option: Optional[str]) -> None:
        """A task's `rate_limit` engine option (bytes per second) is its limit unless one was set (or lifted) live."""
        if task_id in self._set_live:
            return
        if option and option.replace(".", "", 1).isdigit() and float(option) > 0 and task_id not in self._tasks:
            self._tasks[task_id] = TokenBucket(float(option))

    def holding(self, task_id: str, within: float) -> bool:
        """Whether a limit that applies to this task held it back in the last `within` seconds: more connections
        would not make it faster."""
        bucket = self._tasks.get(task_id)
        return self.global_bucket.holding(within) or (bucket is not None and bucket.holding(within))

    async def consume(self, task_id: Optional[str], nbytes: int) -> None:
        bucket = self._tasks.get(task_id) if task_id is not None else None
        if bucket is not None:
            await bucket.consume(nbytes)
        if self.global_bucket.rate is not None:
            await self.global_bucket.consume(nbytes)

    async def pace(self, task_id: str, nbytes: int, advance: Callable[[int], None]) -> None:
        """Let `nbytes` already read pass in slices of about 1/20 s of the tightest limit, reporting each slice to
        `advance` as it passes: progress and throughput then move smoothly, not in jumps of a whole read (up to
        1 MiB, sixteen seconds at the lowest limit)."""
        rates = [r for r in (self.global_bucket.rate, self.task_rate(task_id)) if r is not None]
        piece = max(MIN_SLICE, int(min(rates) * SLICE_SECONDS)) if rates else nbytes
        while nbytes > 0:
            size = min(piece, nbytes)
            await self.consume(task_id, size)
            advance(size)
            nbytes -= size

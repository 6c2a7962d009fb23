"""Probes that run inside the process under test: loop lag, command round trips, event latency, CPU and RSS.

Event latency needs the moment bytes reached the runtime. The runtime has no hook for that, so the probe wraps
`ProgressCell.advance` (the call an engine makes per received batch) in this process only: the first advance
after a publish stamps the task, and the next `download_progress` a bus subscriber receives for that task closes
the interval. That is exactly "byte received → event delivered to a subscriber", the worst case within a publish
period. (A permanent hook would be an optional `on_first_dirty` timestamp in the cell; see docs/benchmarks.md.)
"""

from __future__ import annotations

import asyncio
import resource
import time
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, Iterator

import psutil

from vdp.runtime.progress import ProgressCell


class LoopLag:
    """Oversleep of a 10 ms sleep, sampled continuously."""

    def __init__(self, period: float = 0.010) -> None:
        self.period = period
        self.samples: list[float] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.period)
            self.samples.append(max(0.0, loop.time() - started - self.period))


class RoundTrips:
    """Times a command (a coroutine factory) called every `period` seconds."""

    def __init__(self, call: Callable[[], Awaitable[Any]], period: float = 0.05) -> None:
        self.call = call
        self.period = period
        self.samples: list[float] = []

    async def run(self) -> None:
        while True:
            started = time.perf_counter()
            await self.call()
            self.samples.append(time.perf_counter() - started)
            await asyncio.sleep(self.period)


class Resources:
    """RSS over time and CPU seconds of this process."""

    def __init__(self, period: float = 1.0) -> None:
        self.period = period
        self.process = psutil.Process()
        self.rss: list[tuple[float, float]] = []  # (seconds since start, MiB)
        self._t0 = time.monotonic()
        self._cpu0 = _cpu()

    async def run(self) -> None:
        while True:
            self.rss.append((time.monotonic() - self._t0, self.process.memory_info().rss / 2**20))
            await asyncio.sleep(self.period)

    @property
    def cpu_seconds(self) -> float:
        return _cpu() - self._cpu0

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    @property
    def peak_rss_mib(self) -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class EventLatency:
    """Byte received (first `advance` since the last publish) → `download_progress` taken off a subscription."""

    def __init__(self) -> None:
        self.first_byte: dict[str, float] = {}
        self.samples: list[float] = []

    @contextmanager
    def installed(self) -> Iterator["EventLatency"]:
        original = ProgressCell.advance
        pending = self.first_byte

        def advance(cell: ProgressCell, nbytes: int) -> None:
            if cell.task_id not in pending:
                pending[cell.task_id] = time.monotonic()
            original(cell, nbytes)

        ProgressCell.advance = advance  # type: ignore[method-assign]
        try:
            yield self
        finally:
            ProgressCell.advance = original  # type: ignore[method-assign]

    def delivered(self, task_id: str) -> None:
        stamp = self.first_byte.pop(task_id, None)
        if stamp is not None:
            self.samples.append(time.monotonic() - stamp)


@contextmanager
def running(*coroutines: Awaitable[None]) -> Iterator[None]:
    """Run probe coroutines in the background for the duration of a `with` block. A probe that failed meanwhile
    fails the block: one that died quietly would leave its figures short without a word."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise RuntimeError(f"a probe failed: {task.exception()!r}") from task.exception()

"""The ProgressHub: one latest-value cell per running task, sampled and published at a bounded rate.

Engines call `advance()` per received batch (cheap: an add and a flag). The hub wakes only when some
cell changed, publishes at most 15 `download_progress` per second per task, and runs a 2 Hz heartbeat
while anything is active (metrics when they changed, speed decay, stall detection).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Callable, Optional

from ..contract import DownloadMetricsEvent, DownloadProgressEvent
from ..engines.base import ResumeState
from .bus import EventBus

PROGRESS_INTERVAL = 1 / 15
HEARTBEAT_INTERVAL = 0.5
SPEED_WINDOW = 3.0
STALL_AFTER = 30.0
METRICS_DEBOUNCE = 0.1


class ProgressCell:
    __slots__ = ("task_id", "protocol", "downloaded", "total", "_wake", "_dirty", "changed_at",
                 "samples", "instantaneous", "smoothed", "stall_reported", "_last_sample", "connections",
                 "live_state")

    def __init__(self, wake: Optional[Callable[[], None]], task_id: str, protocol: str, downloaded: int,
                 total: Optional[int]) -> None:
        self._wake = wake  # told when the cell turns dirty, so the publisher sleeps while nothing changes
        self.task_id = task_id
        self.protocol = protocol
        self.downloaded = downloaded
        self.total = total
        self._dirty = True
        self.changed_at = time.monotonic()
        self.samples: deque[tuple[float, int]] = deque([(self.changed_at, downloaded)])
        self._last_sample = (self.changed_at, downloaded)
        self.instantaneous = 0.0
        self.smoothed = 0.0
        self.stall_reported = False
        self.connections = 0  # set by the engine (ProgressSink.connections); read by the details pane
        self.live_state: Optional[Callable[[], ResumeState]] = None  # likewise (ProgressSink.live_state)

    # ProgressSink
    def advance(self, nbytes: int) -> None:
        self.downloaded += nbytes
        self._mark()

    def set_total(self, total: Optional[int]) -> None:
        if total != self.total:
            self.total = total
            self._mark()

    def restart(self, downloaded: int) -> None:
        self.downloaded = downloaded
        now = time.monotonic()
        self.samples.clear()
        self.samples.append((now, downloaded))
        self._last_sample = (now, downloaded)
        self._mark()

    def _mark(self) -> None:
        if not self._dirty:
            self._dirty = True
            if self._wake is not None:
                self._wake()

    def sample(self, now: float) -> None:
        """Update the speeds from the bytes seen since the last sample."""
        last_t, last_b = self._last_sample
        if self.downloaded != last_b:
            self.changed_at = now
            self.stall_reported = False
        dt = now - last_t
        if dt > 0:
            self.instantaneous = max(0.0, (self.downloaded - last_b) / dt)
        self._last_sample = (now, self.downloaded)
        self.samples.append((now, self.downloaded))
        while len(self.samples) > 2 and now - self.samples[0][0] > SPEED_WINDOW:
            self.samples.popleft()
        first_t, first_b = self.samples[0]
        span = now - first_t
        self.smoothed = max(0.0, (self.downloaded - first_b) / span) if span > 0 else self.instantaneous

    def event(self) -> DownloadProgressEvent:
        total = self.total
        eta = None
        if total is not None and self.smoothed > 0:
            eta = max(0, int((total - self.downloaded) / self.smoothed))
        # Never 100% before Completed: finishing (verify, rename, remux) still lies ahead.
        fraction = min(self.downloaded / total, 0.999) if total else 0.0
        return DownloadProgressEvent(
            task_id=self.task_id, downloaded=self.downloaded, total=total,
            instantaneous_speed=self.instantaneous, smoothed_speed=self.smoothed, eta_secs=eta,
            downloaded_size=self.downloaded, total_size=total, speed=self.smoothed, eta=eta, progress=fraction,
        )


class ProgressHub:
    def __init__(self, bus: EventBus, *, on_sample: Callable[[ProgressCell], None],
                 metrics: Callable[[], DownloadMetricsEvent], on_stall: Callable[[ProgressCell], None]) -> None:
        self._bus = bus
        self._on_sample = on_sample
        self._metrics = metrics
        self._on_stall = on_stall
        self._cells: dict[str, ProgressCell] = {}
        self._wake = asyncio.Event()
        self._active = asyncio.Event()
        self._last_metrics: Optional[DownloadMetricsEvent] = None
        self._metrics_timer: Optional[asyncio.TimerHandle] = None
        self.loop_lag = 0.0  # seconds the heartbeat overslept last time: how late the loop runs callbacks
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._publish_loop(), name="progress-hub"),
                       asyncio.create_task(self._heartbeat_loop(), name="progress-heartbeat")]

    async def stop(self) -> None:
        if self._metrics_timer is not None:
            self._metrics_timer.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def attach(self, task_id: str, protocol: str, downloaded: int, total: Optional[int]) -> ProgressCell:
        cell = ProgressCell(self._wake.set, task_id, protocol, downloaded, total)
        self._cells[task_id] = cell
        self._wake.set()
        self._active.set()
        return cell

    def detach(self, task_id: str) -> Optional[ProgressCell]:
        cell = self._cells.pop(task_id, None)
        if cell is not None:
            # The engine's live_state closure holds its transfer, which holds this cell: dropped here, the transfer's
            # objects go by reference counting when it ends, not in a full collection (docs/benchmarks.md).
            cell.live_state = None
            if cell._dirty:
                cell.sample(time.monotonic())
                self._publish(cell)
        return cell

    def cell(self, task_id: str) -> Optional[ProgressCell]:
        return self._cells.get(task_id)

    def cells(self) -> list[ProgressCell]:
        return list(self._cells.values())

    def metrics_changed(self) -> None:
        """Publish metrics soon if they changed. Bursts of status changes (a batch of small files finishing) are
        folded into one computation every METRICS_DEBOUNCE seconds: metrics() looks at every task."""
        if self._metrics_timer is None:
            self._metrics_timer = asyncio.get_running_loop().call_later(METRICS_DEBOUNCE, self._publish_metrics)

    def _publish_metrics(self) -> None:
        self._metrics_timer = None
        metrics = self._metrics()
        if metrics != self._last_metrics:
            self._last_metrics = metrics
            self._bus.publish("download_metrics", metrics)

    def _publish(self, cell: ProgressCell) -> None:
        cell._dirty = False
        self._on_sample(cell)
        self._bus.publish("download_progress", cell.event())

    async def _publish_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            self._publish_dirty(time.monotonic())
            await asyncio.sleep(PROGRESS_INTERVAL)

    # The two loops visit the cells in methods of their own: a loop variable left in a sleeping coroutine would keep
    # the last cell visited, and with it a transfer that has ended, alive until the next round.
    def _publish_dirty(self, now: float) -> None:
        for cell in list(self._cells.values()):
            if cell._dirty:
                cell.sample(now)
                self._publish(cell)

    async def _heartbeat_loop(self) -> None:
        while True:
            if not self._cells:
                self._active.clear()
                self.metrics_changed()
                await self._active.wait()
            asleep = time.monotonic()
            await asyncio.sleep(HEARTBEAT_INTERVAL)
            now = time.monotonic()
            self.loop_lag = max(0.0, now - asleep - HEARTBEAT_INTERVAL)
            self._beat(now)
            self.metrics_changed()

    def _beat(self, now: float) -> None:
        for cell in list(self._cells.values()):
            idle = now - cell.changed_at
            if not cell._dirty and idle >= 1.0 and (cell.instantaneous or cell.smoothed):
                cell.sample(now)
                self._publish(cell)
            if idle >= STALL_AFTER and not cell.stall_reported:
                cell.stall_reported = True
                self._on_stall(cell)

"""The worker pool: long-lived workers that each run one transfer at a time.

The scheduler decides what runs; the pool only executes. It has a worker per download slot and one per task that
may be finishing its file meanwhile (`Scheduler.finish`). Workers own the asyncio task of the transfer so a
stop that is not acknowledged in time can be forced (the `job` is cancelled).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Optional

from ..engines.base import CancelToken, RetryBudget

log = logging.getLogger(__name__)


@dataclass(eq=False)
class TaskHandle:
    task_id: str
    attempt: int  # 1-based try within the current retry budget
    serial: int  # unique per dispatch, so late reports from an earlier attempt are recognised
    queue: str
    retries: RetryBudget  # the task's retries, this attempt's quick retries (an HLS segment's) spend from it too
    token: CancelToken = field(default_factory=CancelToken)
    job: Optional["asyncio.Task[object]"] = None
    deadline: Optional[asyncio.TimerHandle] = None  # the stop's deadline timer, once a stop was asked
    completing: Optional[asyncio.TimerHandle] = None  # shows Completing if the engine's finish takes a while
    worker: Optional[int] = None
    waiters: list["asyncio.Future[object]"] = field(default_factory=list)
    keep_file: bool = False
    paused_while_finishing: bool = False  # a pause left it to finish: if the finish fails, it is paused, not retried
    remove_after: Optional[bool] = None  # set when the task is removed while running (value: delete the file)


class WorkerPool:
    def __init__(self, execute: Callable[[TaskHandle], Awaitable[None]], size: int) -> None:
        self._execute = execute
        self._inbox: asyncio.Queue[Optional[TaskHandle]] = asyncio.Queue()
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._next_id = 0
        self.resize(size)

    @property
    def size(self) -> int:
        return len(self._workers)

    def submit(self, handle: TaskHandle) -> None:
        self._inbox.put_nowait(handle)

    def resize(self, size: int) -> None:
        """Grow at once; shrink by letting surplus workers exit when they are idle (none is killed)."""
        while len(self._workers) < size:
            worker_id = self._next_id
            self._next_id += 1
            self._workers[worker_id] = asyncio.create_task(self._run(worker_id), name=f"worker-{worker_id}")
        for _ in range(len(self._workers) - size):
            self._inbox.put_nowait(None)

    async def _run(self, worker_id: int) -> None:
        try:
            while True:
                handle = await self._inbox.get()
                if handle is None:
                    return
                handle.worker = worker_id
                try:
                    await self._execute(handle)
                except Exception:  # the executor reports its own failures; this is a last resort
                    log.exception("worker %s crashed on task %s", worker_id, handle.task_id)
        finally:
            self._workers.pop(worker_id, None)

    async def close(self) -> None:
        tasks = list(self._workers.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

"""The runtime's own small tasks and timers, held so that its stop ends every one (docs/architecture.md,
"Cancellation model"): a report put on a full command queue, a commit's retry, a stop's deadline."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine


class Background:
    """Tasks and `call_later` timers started for the runtime, each forgotten when it ends, all ended by `close`."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._timers: set[asyncio.TimerHandle] = set()

    def start(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def later(self, delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        """`callback` after `delay` seconds, unless cancelled first (by `cancel`, or by `close`)."""
        timer: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(timer)
            callback()

        timer = asyncio.get_running_loop().call_later(delay, fire)
        self._timers.add(timer)
        return timer

    def cancel(self, timer: asyncio.TimerHandle) -> None:
        timer.cancel()
        self._timers.discard(timer)

    async def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

"""A real token bucket that tells a test when it has held transfers back, so tests wait on events, not clocks."""

from __future__ import annotations

import asyncio
from typing import Optional

from vdp.engines.ratelimit import TokenBucket


class ObservedBucket(TokenBucket):
    """Counts the waits it imposed; `await held(n)` returns once it has made batches wait `n` times."""

    def __init__(self, rate: Optional[float] = None) -> None:
        super().__init__(rate)
        self.waits = 0
        self._counted = asyncio.Event()

    async def _sleep(self, waiter, seconds):  # type: ignore[no-untyped-def,override]
        if seconds is not None:  # a wait for tokens (the others wait for their turn in line)
            self.waits += 1
            self._counted.set()
        await TokenBucket._sleep(waiter, seconds)

    async def held(self, times: int, timeout: float = 30.0) -> None:
        async def until() -> None:
            while self.waits < times:
                self._counted.clear()
                await self._counted.wait()

        await asyncio.wait_for(until(), timeout)

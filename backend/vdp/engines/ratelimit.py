"""Token buckets for bandwidth limits, changeable at run time. Unlimited buckets cost nothing per batch."""

from __future__ import annotations

import asyncio
import time
from typing import Optional


class TokenBucket:
    def __init__(self, rate: Optional[float] = None) -> None:
        self._rate: Optional[float] = None
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self.set_rate(rate)

    @property
    def rate(self) -> Optional[float]:
        return self._rate

    def set_rate(self, rate: Optional[float]) -> None:
        self._rate = rate if rate and rate > 0 else None
        self._tokens = 0.0
        self._stamp = time.monotonic()

    async def consume(self, nbytes: int) -> None:
        """Wait until `nbytes` may pass. Debt is allowed, so one large batch never waits forever."""
        rate = self._rate
        if rate is None:
            return
        now = time.monotonic()
        burst = rate / 4  # at most a quarter second of saved-up credit
        self._tokens = min(burst, self._tokens + (now - self._stamp) * rate) - nbytes
        self._stamp = now
        if self._tokens < 0:
            await asyncio.sleep(-self._tokens / rate)


class RateLimits:
    """The global bucket plus an optional one per transfer; a batch passes both."""

    def __init__(self, global_rate: Optional[float] = None) -> None:
        self.global_bucket = TokenBucket(global_rate)

    async def consume(self, task_bucket: Optional[TokenBucket], nbytes: int) -> None:
        if task_bucket is not None and task_bucket.rate is not None:
            await task_bucket.consume(nbytes)
        if self.global_bucket.rate is not None:
            await self.global_bucket.consume(nbytes)

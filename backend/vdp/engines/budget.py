"""The connection budget all running transfers share (`download.max_total_connections`).

Every running download always has its first connection: the scheduler's `concurrent_downloads` already bounds
those, and making one wait here could leave a task Downloading with nothing to download with. Extra connections
(HTTP pieces beyond the first, HLS segments fetched in parallel) are leased while the total is below the limit,
so eight downloads of eight connections each cannot open 64 sockets to one small server. Waiters are served in
arrival order, and a lease holder that sees `contended` gives its lease back at the next natural boundary.
"""

from __future__ import annotations

import asyncio
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator

UNLIMITED = 1 << 30  # an engine run outside a runtime (tests, tools) counts but never waits


class ConnectionBudget:
    def __init__(self, limit: int = UNLIMITED) -> None:
        self._limit = max(1, limit)
        self._in_use = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def in_use(self) -> int:
        return self._in_use

    @property
    def contended(self) -> bool:
        """Someone waits for a lease: extra connections should hand theirs back when they can."""
        return any(not waiter.done() for waiter in self._waiters)

    def resize(self, limit: int) -> None:
        """A new limit applies at once to new leases; connections already open finish their current work."""
        self._limit = max(1, limit)
        self._wake()

    @asynccontextmanager
    async def first(self) -> AsyncIterator[None]:
        """A download's own connection: counted, never refused."""
        self._in_use += 1
        try:
            yield
        finally:
            self.release()

    def try_extra(self) -> bool:
        if self._in_use >= self._limit or self.contended:
            return False
        self._in_use += 1
        return True

    async def extra(self) -> None:
        """Wait for an extra connection's lease; pair with `release`."""
        if self.try_extra():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # granted in the same instant as the cancel: give it back
            raise

    def release(self) -> None:
        self._in_use -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self._in_use < self._limit:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._in_use += 1
                waiter.set_result(None)

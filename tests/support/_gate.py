"""Gate: a latch a test holds closed to freeze transfers mid-body and opens to let them go."""

from __future__ import annotations

import asyncio


class Gate:
    """Closed until `open()`; stays open until `close()`. `open` and `close` work from any thread.

    Waiters run on the server's event loop; `open()` called from another thread wakes them through
    `call_soon_threadsafe`. `close()` swaps in a fresh event, so waiters woken by an earlier `open()` that
    find the gate closed again wait on the new one.
    """

    def __init__(self) -> None:
        self._open = False
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        if self._open:
            return
        self._open = True
        loop, event = self._loop, self._event
        if loop is None:  # nobody has waited yet; a later wait() sees the flag
            return
        if _running_loop() is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    def close(self) -> None:
        if self._open:
            self._open = False
            self._event = asyncio.Event()

    async def wait(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._open:
            await self._event.wait()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

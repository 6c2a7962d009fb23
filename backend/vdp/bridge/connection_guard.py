"""Server mode sheds load instead of running out of file descriptors.

A connection costs a descriptor from the moment it is accepted, and one that never sends a request (half-open, a
slow-loris client) would hold it forever. So:
  * at most `limit` connections are open; a new one beyond that first evicts the oldest connection that has not
    sent a request yet (a real client sends its request at once; a flood of idle sockets only evicts itself), and
    is closed at once when every open connection is busy;
  * a connection that has not sent a whole request head within `header_timeout` seconds is closed (after the
    first request, aiohttp's keep-alive timeout closes idle connections and stalled heads);
  * when accept() itself fails for lack of descriptors, asyncio retries it after a second and reports each
    failure; those reports are condensed to one line per `LOG_INTERVAL` seconds with a count.

It hooks the three places aiohttp's `web.Server` is told about a connection: `connection_made`, `connection_lost`
and `request_factory` (each request's head, complete).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any, Optional

from aiohttp import web

log = logging.getLogger(__name__)

HEADER_TIMEOUT = 10.0
KEEPALIVE_TIMEOUT = 15.0
LOG_INTERVAL = 10.0
_ACCEPT_FAILURE = "socket.accept() out of system resource"


def default_connection_limit() -> int:
    """A quarter of this process's descriptor limit (the rest is for downloads, the database and logs), 16 to 512."""
    try:
        import resource  # POSIX only: Windows has no such limit to read
    except ImportError:
        return 256
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return 256
    if soft == resource.RLIM_INFINITY:
        return 512
    return max(16, min(512, soft // 4))


class ConnectionGuard:
    def __init__(self, *, limit: Optional[int] = None, header_timeout: float = HEADER_TIMEOUT) -> None:
        self.limit = limit or default_connection_limit()
        self.header_timeout = header_timeout
        self.shed = 0  # connections closed because of the limit or the header timeout (health, tests)
        self._waiting: "OrderedDict[Any, tuple[asyncio.Transport, asyncio.TimerHandle]]" = OrderedDict()
        self._busy: set[Any] = set()
        self._log_gate = _LogGate()

    @property
    def open(self) -> int:
        return len(self._waiting) + len(self._busy)

    def attach(self, server: web.Server) -> None:
        made, lost, make_request = server.connection_made, server.connection_lost, server.request_factory
        loop = asyncio.get_running_loop()

        def connection_made(handler: Any, transport: asyncio.Transport) -> None:
            if self.open >= self.limit and not self._evict_one():
                self._close(transport, "the server has %d busy connections")
                return
            made(handler, transport)
            timer = loop.call_later(self.header_timeout, self._expire, handler)
            self._waiting[handler] = (transport, timer)

        def connection_lost(handler: Any, exc: Optional[BaseException] = None) -> None:
            waiting = self._waiting.pop(handler, None)
            if waiting is not None:
                waiting[1].cancel()
            self._busy.discard(handler)
            lost(handler, exc)

        def request_factory(message: Any, payload: Any, protocol: Any, writer: Any, task: Any) -> Any:
            waiting = self._waiting.pop(protocol, None)
            if waiting is not None:
                waiting[1].cancel()
                self._busy.add(protocol)
            return make_request(message, payload, protocol, writer, task)

        server.connection_made = connection_made  # type: ignore[method-assign]
        server.connection_lost = connection_lost  # type: ignore[method-assign]
        server.request_factory = request_factory

    def _evict_one(self) -> bool:
        if not self._waiting:
            return False
        handler, (transport, timer) = self._waiting.popitem(last=False)
        timer.cancel()
        self._close(transport, "evicted an idle connection: %d connections open")
        return True

    def _expire(self, handler: Any) -> None:
        waiting = self._waiting.pop(handler, None)
        if waiting is not None:
            self._close(waiting[0], "closed a connection that sent no request in time (%d open)")

    def _close(self, transport: asyncio.Transport, why: str) -> None:
        self.shed += 1
        transport.abort()
        self._log_gate.log(logging.INFO, why, why % self.open)

    def install_accept_log_filter(self, loop: asyncio.AbstractEventLoop) -> Any:
        """Condense asyncio's accept() failure reports (EMFILE); everything else goes on as before. Returns the
        previous handler, to put back at stop."""
        previous = loop.get_exception_handler()

        def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            if context.get("message") == _ACCEPT_FAILURE:
                exception = context.get("exception")
                self._log_gate.log(logging.WARNING, _ACCEPT_FAILURE,
                                   f"cannot accept connections: {exception} (retrying each second)")
                return
            if previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)

        loop.set_exception_handler(handler)
        return previous


class _LogGate:
    """At most one line per LOG_INTERVAL per message kind, saying how many were held back."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def log(self, level: int, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last.get(kind, -LOG_INTERVAL) < LOG_INTERVAL:
            self._held[kind] = self._held.get(kind, 0) + 1
            return
        held = self._held.pop(kind, 0)
        self._last[kind] = now
        log.log(level, "%s%s", message, f" (and {held} more like it)" if held else "")

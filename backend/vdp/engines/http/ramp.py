"""Slow start by measurement: when a segmented download is worth one more connection."""

from __future__ import annotations

INTERVAL = 0.1
# A connection this fast (bytes/s) is not what limits the download: the link, the disk or this process is, and another
# connection would only cost CPU. Servers that limit each connection serve far less than this.
FAST_CONNECTION = 64 << 20
# A rate limit that held the download back this recently (seconds) is what limits it, not the server.
RATE_LIMIT_WINDOW = 0.5


class RampUp:
    """Measures the body bytes of all connections together. Every `interval` it answers whether to open one more:
    yes while the open connections average less than `fast` each (a server that limits each connection, a long
    path), no while they are fast or a rate limit holds them back. A download that slows down later grows then."""

    def __init__(self, *, interval: float = INTERVAL, fast: float = FAST_CONNECTION) -> None:
        self.interval = interval
        self.fast = fast
        self.received = 0  # the caller adds every body byte
        self.due_at = float("inf")
        self._since = 0.0
        self._received_since = 0

    def start(self, now: float) -> None:
        self._since, self._received_since, self.due_at = now, self.received, now + self.interval

    def grow(self, now: float, connections: int, *, rate_limited: bool = False) -> bool:
        """Whether to open one more connection now; call it once `now` reaches `due_at`. Starts the next interval.
        `rate_limited`: a bandwidth limit held this download back lately. Its connections look slow because the
        limit makes them wait, not because the server is slow: another one would only hold more unread data."""
        rate = (self.received - self._received_since) / max(now - self._since, 1e-9)
        self.start(now)
        return not rate_limited and rate < self.fast * connections

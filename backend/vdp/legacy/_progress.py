"""Progress as the original streamed it: published from the engine's own call, at most every 200 ms per task.

No hub loop: the original's HTTP stream sent one event when it started, then at most one per 200 ms, plus a
final one (docs/architecture.md, "Progress and events"). Unlike the original, a batch that arrives inside the
200 ms window is not left unannounced until the next one (a stalled stream would show stale bytes): a one-shot timer
publishes it when the window ends. The v2 ProgressCell does the speed sampling and builds the event with both field
sets; this cell only changes *when* it is published.
"""

from __future__ import annotations

import asyncio
from time import monotonic
from typing import Callable, Optional

from ..contract import DownloadProgressEvent
from ..runtime.progress import ProgressCell

PROGRESS_INTERVAL = 0.2


class LegacyProgressCell(ProgressCell):
    __slots__ = ("_emit", "_published_at", "_trailing")

    def __init__(self, task_id: str, protocol: str, downloaded: int, total: Optional[int],
                 emit: Callable[[DownloadProgressEvent], None]) -> None:
        super().__init__(None, task_id, protocol, downloaded, total)  # no hub: this cell publishes by itself
        self._emit = emit
        self._published_at = float("-inf")
        self._trailing: Optional[asyncio.TimerHandle] = None

    def _mark(self) -> None:
        self._dirty = True
        now = monotonic()
        wait = self._published_at + PROGRESS_INTERVAL - now
        if wait <= 0:
            self.flush(now)
        elif self._trailing is None:
            self._trailing = asyncio.get_running_loop().call_later(wait, self.flush)

    def flush(self, now: Optional[float] = None) -> None:
        """Publish what changed since the last event (also the final event of an attempt)."""
        if self._trailing is not None:
            self._trailing.cancel()
            self._trailing = None
        if not self._dirty:
            return
        now = monotonic() if now is None else now
        self.sample(now)
        self._dirty = False
        self._published_at = now
        self._emit(self.event())

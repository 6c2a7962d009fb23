"""yt-dlp's progress hooks (called in its download thread) carried to the runtime's progress sink on the loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Mapping, Optional

from yt_dlp.utils import DownloadCancelled

from ..base import CancelToken, ProgressSink


class DownloadInterrupted(DownloadCancelled):
    """Raised inside yt-dlp by the hook once the task is paused or cancelled; yt-dlp lets it through untouched."""


class ProgressBridge:
    """Keeps the latest byte counts per file and schedules at most one flush on the loop at a time.

    yt-dlp reports cumulative bytes per file (a merge downloads video and audio one after the other), so the
    task's total downloaded is their sum; the sink receives the difference since the previous flush.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, sink: ProgressSink, cancel: CancelToken, reported: int,
                 throttle: Optional[Callable[[int], None]] = None, *,
                 resumed: Optional[Mapping[str, int]] = None) -> None:
        self._loop = loop
        self._throttle = throttle  # blocks the download thread until this many more bytes may pass
        # Part file -> bytes it held when this attempt began: yt-dlp's first report of a resumed part counts them,
        # and they were not fetched now (charged to the limit, they would hold the download as long as refetching).
        self._resumed = dict(resumed or {})
        self._sink = sink
        self._cancel = cancel
        self._aborted = threading.Event()
        self._lock = threading.Lock()
        self._done: dict[str, int] = {}
        self._totals: dict[str, int] = {}
        self._parts: set[str] = set()
        self._flush_scheduled = False
        self._reported = reported

    def abort(self) -> None:
        """Stop the download thread at its next block even though the cancel token is untouched."""
        self._aborted.set()

    @property
    def stopped(self) -> bool:
        return self._cancel.cancelled or self._aborted.is_set()

    def hook(self, status: dict[str, Any]) -> None:
        """yt-dlp's progress hook; runs in the download thread after every block it wrote to disk."""
        name = status.get("filename")
        if name and status.get("status") in ("downloading", "finished"):
            fresh = self._record(name, status)
            if self._throttle is not None and fresh > 0 and not self.stopped:
                self._throttle(fresh)  # yt-dlp reads its next block only after this returns
        # After recording: the block just reported is in the part file, so progress and part agree on a pause.
        if self.stopped:
            raise DownloadInterrupted(self._cancel.reason or "aborted")

    def _record(self, name: str, status: dict[str, Any]) -> int:
        """Record the counts; returns the bytes this report adds to the file's previous one."""
        total = status.get("total_bytes") or status.get("total_bytes_estimate")
        done = int(status.get("downloaded_bytes") or 0)
        with self._lock:
            previous = self._done.get(name)
            if previous is None:
                resumed = self._resumed.get(status.get("tmpfilename") or "", 0)
                previous = done if status.get("status") == "finished" else resumed
            fresh = done - previous
            self._done[name] = done
            if total:
                self._totals[name] = int(total)
            if status.get("tmpfilename"):
                self._parts.add(status["tmpfilename"])
            if self._flush_scheduled:
                return fresh
            self._flush_scheduled = True
        self._loop.call_soon_threadsafe(self.flush)
        return fresh

    def flush(self) -> None:
        """Publish the latest counts to the sink; runs on the loop."""
        with self._lock:
            self._flush_scheduled = False
            downloaded = sum(self._done.values())
            total = sum(self._totals.values()) if self._totals else None
        if total is not None:
            self._sink.set_total(max(total, downloaded))
        if downloaded < self._reported:
            # yt-dlp started the file over (e.g. the server ignored the range request).
            self._sink.restart(downloaded)
        elif downloaded > self._reported:
            self._sink.advance(downloaded - self._reported)
        self._reported = downloaded

    @property
    def part_files(self) -> list[str]:
        with self._lock:
            return sorted(self._parts)

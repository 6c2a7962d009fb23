"""The legacy progress cell publishes from the engine's own call, at most every 200 ms, plus a final event."""

from __future__ import annotations

import asyncio

import pytest

from vdp.contract import DownloadProgressEvent
from vdp.legacy import _progress
from vdp.legacy._progress import LegacyProgressCell


async def test_progress_is_published_at_most_every_200_ms_and_flushed_at_the_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(_progress, "monotonic", lambda: now[0])
    events: list[DownloadProgressEvent] = []
    cell = LegacyProgressCell("t", "http", 0, 1000, events.append)
    cell.advance(10)  # the first batch is announced at once
    cell.advance(10)
    now[0] += 0.199
    cell.advance(10)  # still inside the window
    now[0] += 0.001
    cell.advance(10)
    cell.flush()  # nothing new since: no event
    cell.advance(5)
    cell.flush()  # the final event carries the last batch
    assert [e.downloaded for e in events] == [10, 40, 45]
    assert all(e.downloaded_size == e.downloaded and e.total_size == 1000 for e in events)
    assert events[-1].progress == 0.045


async def test_a_batch_inside_the_window_is_published_when_the_window_ends() -> None:
    published = asyncio.Event()
    events: list[DownloadProgressEvent] = []

    def emit(event: DownloadProgressEvent) -> None:
        events.append(event)
        published.set()

    cell = LegacyProgressCell("t", "http", 0, None, emit)
    cell.advance(1)
    published.clear()
    cell.advance(2)  # then the stream stalls: no further call from the engine
    await asyncio.wait_for(published.wait(), 5)
    assert [e.downloaded for e in events] == [1, 3]
    assert events[-1].progress == 0.0 and events[-1].total_size is None

"""Blocking file work (fsyncs, renames, a yt-dlp transfer) has threads enough: one download's fsync never waits for a
thread while others sleep in theirs. Python's default pool (min(32, CPUs + 4) threads) could not run these at once."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from tests.support.appkit import running_app
from vdp.blocking_pool import BLOCKING_THREADS

AT_ONCE = 40  # more than Python's default pool has on any machine


async def test_many_sleeping_blocking_calls_run_at_once_once_the_app_started(tmp_path: Path) -> None:
    assert BLOCKING_THREADS >= AT_ONCE
    async with running_app(tmp_path / "data"):
        everyone_in = threading.Barrier(AT_ONCE, timeout=15)  # breaks (and raises) unless all run at the same time
        calls = [asyncio.to_thread(everyone_in.wait) for _ in range(AT_ONCE)]
        await asyncio.gather(*calls)


async def test_starting_the_app_again_keeps_the_same_pool(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    async with running_app(tmp_path / "data"):
        pool = loop._default_executor  # type: ignore[attr-defined]
    async with running_app(tmp_path / "data"):
        assert loop._default_executor is pool  # type: ignore[attr-defined]

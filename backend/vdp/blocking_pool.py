"""The thread pool behind `asyncio.to_thread` (the event loop's default executor), sized for what the app puts there.

Engines make bytes durable (fsync), open, claim and rename files there, and a yt-dlp download runs its whole transfer
on one of its threads. Python's own default has min(32, CPUs + 4) threads, 6 on a 2-core machine: a few downloads
finishing together (each syncing its file and its folder) kept all of them, and a pause then waited a third of a
second for a thread before its own fsync could even start (docs/benchmarks.md, "Where the loop waited"). These
threads spend their time asleep in the kernel, so having many costs little; they are started only when needed.
"""

from __future__ import annotations

import asyncio
import weakref
from concurrent.futures import ThreadPoolExecutor

BLOCKING_THREADS = 64 + 32  # every download slot may hold one (yt-dlp), and short file work still finds one free

_installed: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


def use_blocking_pool(loop: asyncio.AbstractEventLoop) -> None:
    """Give `loop` the app's default executor (once per loop: an app started again on it keeps the same pool)."""
    if loop in _installed:
        return
    loop.set_default_executor(ThreadPoolExecutor(BLOCKING_THREADS, thread_name_prefix="vdp-blocking"))
    _installed.add(loop)

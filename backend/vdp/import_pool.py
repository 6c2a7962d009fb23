"""Imports run on their own small thread pool, each with a time limit and a cancel flag the readers check.

Reading a sheet blocks, so it must leave the event loop; on asyncio's default executor a few slow imports would
take every thread that downloads and the database also need. Here at most `IMPORT_THREADS` imports read at once
(more wait their turn), and a reader stops at its next read or reply (`budget_problem`, checked by the importers)
when its caller is cancelled (Ctrl-C in `vdp import`), when the app stops (`cancel_running`: SIGTERM of
`vdp serve`, the window closing), or when it has run longer than its time limit.

Kept apart from `vdp.importers` so the app can cancel imports at stop without loading the parsers.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Optional, TypeVar

T = TypeVar("T")

IMPORT_THREADS = 2
DEFAULT_SECONDS = 300.0

_executor: Optional[ThreadPoolExecutor] = None
_executor_lock = threading.Lock()
_running: set[threading.Event] = set()
_paused = 0
_was_enabled = True


@dataclass(slots=True)
class _Budget:
    cancelled: threading.Event
    deadline: float
    seconds: float
    handed_over: float  # when `hand_over` last let the event loop's thread have the interpreter lock


_budget: ContextVar[Optional[_Budget]] = ContextVar("vdp_import_budget", default=None)


def budget_problem() -> Optional[str]:
    """Why the import running on this thread must stop now (cancelled, out of time), or None."""
    budget = _budget.get()
    if budget is None:
        return None
    if budget.cancelled.is_set():
        return "the import was cancelled"
    if time.monotonic() > budget.deadline:
        return f"reading the file took longer than {budget.seconds:g} s; it was stopped"
    return None


HAND_OVER_EVERY = 0.010
"""Seconds an import may run before it steps aside for the event loop's thread (`hand_over`)."""
HAND_OVER_SLEEP = 0.0002


def hand_over() -> None:
    """On the import pool: let the event loop's thread take the interpreter lock, at most every `HAND_OVER_EVERY`.

    CPython 3.11 does not do it reliably by itself: a thread parsing a 200,000-row sheet kept a thread that wakes
    every 5 ms from the lock for up to 570 ms, with the switch interval at 1 ms (docs/benchmarks.md, "Import:
    200,000 rows"). A real sleep, however short, leaves the lock free long enough for the waiting thread to be
    scheduled and take it; every 10 ms it costs the import about 2 % of its time. A no-op off the pool."""
    budget = _budget.get()
    if budget is None:
        return
    now = time.monotonic()
    if now - budget.handed_over >= HAND_OVER_EVERY:
        time.sleep(HAND_OVER_SLEEP)
        budget.handed_over = time.monotonic()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(IMPORT_THREADS, thread_name_prefix="vdp-import")
        return _executor


async def run_import(fn: Callable[..., T], *args: Any, seconds: float = DEFAULT_SECONDS, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` on the import pool, with `seconds` from the moment it starts running."""
    cancelled = threading.Event()

    def call() -> T:
        if cancelled.is_set():
            raise asyncio.CancelledError()  # cancelled while it waited for a thread: nobody waits for an answer
        started = time.monotonic()
        token = _budget.set(_Budget(cancelled, started + seconds, seconds, started))
        try:
            with _loop_favoured():
                return fn(*args, **kwargs)
        finally:
            _budget.reset(token)

    _running.add(cancelled)
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool(), call)
    except asyncio.CancelledError:
        cancelled.set()  # a thread cannot be interrupted: the reader stops at its next check
        raise
    finally:
        _running.discard(cancelled)


LOOP_SWITCH_INTERVAL = 0.001
"""Seconds a thread waiting for the interpreter lock lets its holder run before asking for it (Python's default:
0.005), while an import reads or plans. The event loop's thread takes the lock back after every wait for I/O, and
behind a busy import thread each of those waits could last a whole interval: one loop turn with a dozen of them held
a download's progress or a UI request for 50-100 ms (docs/benchmarks.md, "Import: 200,000 rows")."""

_favoured = 0
_favoured_lock = threading.Lock()
_default_interval = sys.getswitchinterval()


@contextmanager
def _loop_favoured() -> Iterator[None]:
    global _favoured, _default_interval
    with _favoured_lock:
        if _favoured == 0:
            _default_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_default_interval, LOOP_SWITCH_INTERVAL))
        _favoured += 1
    try:
        yield
    finally:
        with _favoured_lock:
            _favoured -= 1
            if _favoured == 0:
                sys.setswitchinterval(_default_interval)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import creates its objects, then those objects frozen.

    A 200,000-row import creates millions of objects; each full collection walks every one of them while holding
    the interpreter lock, and during such growth full collections come one after another: seconds in which the
    event loop could not run. The import's objects have no reference cycles (they go when their last reference does),
    and the tasks it created live on in the task list, so they are frozen (`gc.freeze`): later collections skip
    them instead of walking 200,000 tasks each time."""
    global _paused, _was_enabled
    if _paused == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1
        if _paused == 0:
            gc.freeze()
            if _was_enabled:
                gc.enable()


def cancel_running() -> None:
    """Stop every import now reading or waiting (when the app stops)."""
    for flag in list(_running):
        flag.set()

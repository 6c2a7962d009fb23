"""While an import reads or plans on its pool, a thread waiting for the interpreter lock asks for it after 1 ms
instead of Python's 5 (vdp/import_pool.py): the event loop's thread waits for it after every I/O wait. Afterwards
the process's own setting is back."""

from __future__ import annotations

import asyncio
import sys
import threading
import time

import pytest

from vdp import import_pool
from vdp.import_pool import LOOP_SWITCH_INTERVAL, run_import

GUARD = 60  # seconds: only so a regression fails instead of hanging the suite; never a measurement


async def test_the_lock_is_handed_over_sooner_only_while_imports_run() -> None:
    before = sys.getswitchinterval()
    assert before > LOOP_SWITCH_INTERVAL  # Python's default; the test is void if something lowered it already
    started, release = threading.Event(), threading.Event()

    def held() -> float:
        started.set()
        release.wait(GUARD)
        return sys.getswitchinterval()

    # Two imports at once: the first to finish must not restore the setting under the other.
    long_one = asyncio.ensure_future(run_import(held))
    assert await asyncio.to_thread(started.wait, GUARD)
    assert await run_import(sys.getswitchinterval) == LOOP_SWITCH_INTERVAL
    release.set()
    assert await long_one == LOOP_SWITCH_INTERVAL
    assert sys.getswitchinterval() == before


async def test_a_long_read_steps_aside_for_the_loop_every_few_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython 3.11 can keep a waiting thread from the lock for half a second behind a busy parser; the import steps
    aside (a real sleep) at most every HAND_OVER_EVERY while it runs on the pool, and never off it."""
    real_sleep = time.sleep
    sleeps: list[float] = []

    def recorded(seconds: float) -> None:
        if threading.current_thread() is not threading.main_thread():
            sleeps.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(import_pool.time, "sleep", recorded)

    def busy_read() -> int:
        calls = 0
        until = time.monotonic() + 10 * import_pool.HAND_OVER_EVERY
        while time.monotonic() < until:
            import_pool.hand_over()
            calls += 1
        return calls

    calls = await run_import(busy_read)
    assert 1 <= len(sleeps) < calls, "it steps aside now and then, not at every call"
    assert set(sleeps) == {import_pool.HAND_OVER_SLEEP}
    sleeps.clear()
    await asyncio.to_thread(busy_read)  # not an import: nothing to step aside for
    assert sleeps == []

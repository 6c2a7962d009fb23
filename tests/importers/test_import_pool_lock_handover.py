"""While an import reads or plans on its pool, a thread waiting for the interpreter lock asks for it after 1 ms
instead of Python's 5 (vdp/import_pool.py): the event loop's thread waits for it after every I/O wait. Afterwards
the process's own setting is back."""

from __future__ import annotations

import asyncio
import sys
import threading

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

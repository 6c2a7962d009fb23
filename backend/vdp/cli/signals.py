"""Ctrl-C and requests to terminate, for the commands that run until told to stop."""

from __future__ import annotations

import asyncio
import signal
from typing import Callable


def on_interrupt(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    """`callback`, on the loop, at Ctrl-C or a request to terminate. Windows' event loop cannot watch signals: there
    a plain handler hands Ctrl-C (and Ctrl-Break) over to the loop instead."""
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, callback)
    except NotImplementedError:
        for sig in (signal.SIGINT, getattr(signal, "SIGBREAK", signal.SIGTERM)):
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(callback))

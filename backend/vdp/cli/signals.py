"""Ctrl-C and requests to terminate, for the commands that run until told to stop."""

from __future__ import annotations

import asyncio
import signal
from typing import Any, Callable


def on_interrupt(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> Callable[[], None]:
    """`callback`, on the loop, at Ctrl-C or a request to terminate, until the function returned is called. Windows'
    event loop cannot watch signals: there a plain handler hands Ctrl-C (and Ctrl-Break) over to the loop instead,
    and the handlers it replaced come back when it is undone."""
    watched = (signal.SIGINT, signal.SIGTERM)
    try:
        for sig in watched:
            loop.add_signal_handler(sig, callback)
    except NotImplementedError:
        return _plain_handlers(loop, callback)

    def undo() -> None:
        for sig in watched:
            loop.remove_signal_handler(sig)

    return undo


def _plain_handlers(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> Callable[[], None]:
    replaced: dict[int, Any] = {}
    for sig in (signal.SIGINT, getattr(signal, "SIGBREAK", signal.SIGTERM)):
        replaced[sig] = signal.signal(sig, lambda *_: loop.call_soon_threadsafe(callback))

    def undo() -> None:
        for sig, handler in replaced.items():
            signal.signal(sig, handler)

    return undo

"""Run callables on the Qt GUI thread from any other thread.

Qt widgets and the web page may only be touched on the thread that owns them. A queued signal to a QObject living
on that thread carries the callable over; `post` returns at once, `call` waits for the result.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any, Callable, Optional, TypeVar

from qtpy import QtCore

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Receiver(QtCore.QObject):
    requested = QtCore.Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.requested.connect(self._run, QtCore.Qt.ConnectionType.QueuedConnection)

    @QtCore.Slot(object)
    def _run(self, job: Callable[[], None]) -> None:
        job()


class GuiThread:
    """Create on the thread that will run the Qt event loop (the main thread), before `webview.start`."""

    def __init__(self) -> None:
        self._receiver = _Receiver()

    def post(self, function: Callable[[], Any]) -> None:
        """Fire and forget; a failure is logged, never raised into the event loop."""

        def job() -> None:
            try:
                function()
            except Exception:  # a closing window may already have deleted the widget
                log.debug("GUI call failed", exc_info=True)

        self._receiver.requested.emit(job)

    def call(self, function: Callable[[], T], timeout: Optional[float] = None) -> T:
        """Run on the GUI thread and return its result (or raise its exception) here. Never call from the GUI thread."""
        future: Future[T] = Future()

        def job() -> None:
            try:
                future.set_result(function())
            except BaseException as exc:
                future.set_exception(exc)

        self._receiver.requested.emit(job)
        return future.result(timeout)

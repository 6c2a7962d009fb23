"""Test-only remote control of the real window; off unless `VDP_TEST_CONTROL` names a Unix socket.

The test listens on that socket; once the page has loaded, the app connects to it and answers one JSON request
per line until the test hangs up:

    {"op": "eval", "script": "<js expression>", "timeout": 10} → {"ok": true, "value": <JSON>}  (a promise is awaited)
    {"op": "screenshot", "path": "/abs/file.png"}               → {"ok": true, "value": [width, height]}
    {"op": "wait_log", "text": "…", "count": 1, "timeout": 10}  → {"ok": true, "value": ["<message>", …]}
    anything that fails                                          → {"ok": false, "error": "<message>"}

The app connects out rather than listening, so nothing else on the machine can reach it, and the test learns
that the page is ready from `accept()` returning. `wait_log` answers once the app has logged `count` messages
containing `text` since the control started: how a test learns that something happened outside the page (a refused
navigation, say) without sleeping.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from typing import Any, Optional

from .gui_thread import GuiThread
from .page import evaluate

log = logging.getLogger(__name__)

ENV = "VDP_TEST_CONTROL"


def start_if_requested(gui: GuiThread, window: Any) -> Optional[threading.Thread]:
    path = os.environ.get(ENV)
    if not path:
        return None
    watch = _LogWatch()
    logging.getLogger().addHandler(watch)
    thread = threading.Thread(target=_serve, args=(path, gui, window, watch), name="vdp-test-control", daemon=True)
    thread.start()
    return thread


class _LogWatch(logging.Handler):
    """Keeps every message the app logs (test runs are short) and wakes `wait` on each one."""

    def __init__(self) -> None:
        super().__init__()
        self._messages: list[str] = []
        self._changed = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self._messages.append(record.getMessage())
            self._changed.notify_all()

    def wait(self, text: str, count: int, timeout: float) -> list[str]:
        def found() -> list[str]:
            return [message for message in self._messages if text in message]

        with self._changed:
            if not self._changed.wait_for(lambda: len(found()) >= count, timeout):
                raise TimeoutError(f"{len(found())} of {count} log messages with {text!r} within {timeout:g} s")
            return found()


def _serve(path: str, gui: GuiThread, window: Any, watch: _LogWatch) -> None:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(path)
            log.warning("test control connected to %s: the window is remote-controlled", path)
            requests, replies = sock.makefile("r", encoding="utf-8"), sock.makefile("w", encoding="utf-8")
            for line in requests:
                replies.write(json.dumps(_answer(line, gui, window, watch)) + "\n")
                replies.flush()
    except OSError as exc:
        log.warning("test control on %s ended: %s", path, exc)


def _answer(line: str, gui: GuiThread, window: Any, watch: _LogWatch) -> dict[str, Any]:
    try:
        request = json.loads(line)
        op = request.get("op")
        if op == "eval":
            return {"ok": True, "value": evaluate(gui, window, request["script"], float(request.get("timeout", 10)))}
        if op == "screenshot":
            return {"ok": True, "value": gui.call(lambda: _grab(window, request["path"]), timeout=10)}
        if op == "wait_log":
            found = watch.wait(request["text"], int(request.get("count", 1)), float(request.get("timeout", 10)))
            return {"ok": True, "value": found}
        return {"ok": False, "error": f"unknown op {op!r}"}
    except Exception as exc:  # every failure is an answer; the control loop keeps going
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}


def _grab(window: Any, path: str) -> list[int]:
    image = window.native.grab()
    if image.isNull() or not image.save(path, "PNG"):
        raise OSError(f"could not save a screenshot to {path}")
    return [image.width(), image.height()]

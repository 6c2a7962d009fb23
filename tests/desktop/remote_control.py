"""The desktop app under remote control: `vdp desktop` plus a control channel that only the tests load.

Run as `python tests/desktop/remote_control.py SOCKET <vdp arguments>` (desktop_app.DesktopApp does). It runs the
real `vdp` command line with one addition: once the page has loaded, the app connects to the Unix socket SOCKET,
on which the test listens, and answers one JSON request per line until the test hangs up:

    {"op": "eval", "script": "<js expression>", "timeout": 10} → {"ok": true, "value": <JSON>}  (a promise is awaited)
    {"op": "screenshot", "path": "/abs/file.png"}               → {"ok": true, "value": [width, height]}
    {"op": "wait_log", "text": "…", "count": 1, "timeout": 10}  → {"ok": true, "value": ["<message>", …]}
    anything that fails                                          → {"ok": false, "error": "<message>"}

The app connects out rather than listening, so nothing else on the machine can reach it, and the test learns
that the page is ready from `accept()` returning. `wait_log` answers once the app has logged `count` messages
containing `text` since the control started: how a test learns that something happened outside the page (a refused
navigation, say) without sleeping.

This file is not part of the `vdp` package, so the shipped app has no way to evaluate script on request; it hooks
in through `run_desktop(on_page_ready=…)`, which the product never passes.
"""

from __future__ import annotations

import functools
import json
import logging
import socket
import sys
import threading
from typing import Any

from vdp.desktop.gui_thread import GuiThread
from vdp.desktop.page import evaluate

log = logging.getLogger("vdp.tests.remote_control")


def start(path: str, gui: GuiThread, window: Any) -> threading.Thread:
    """Connect to the test's socket at `path` and serve its requests on a daemon thread."""
    watch = _LogWatch()
    logging.getLogger().addHandler(watch)
    thread = threading.Thread(target=_serve, args=(path, gui, window, watch), name="vdp-remote-control", daemon=True)
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
            log.warning("remote control connected to %s: the window is driven by a test", path)
            requests, replies = sock.makefile("r", encoding="utf-8"), sock.makefile("w", encoding="utf-8")
            for line in requests:
                replies.write(json.dumps(_answer(line, gui, window, watch)) + "\n")
                replies.flush()
    except OSError as exc:
        log.warning("remote control on %s ended: %s", path, exc)


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


def main(argv: list[str]) -> int:
    """`vdp <argv[1:]>` whose window connects to the socket `argv[0]` once its page has loaded."""
    from vdp.cli import main as vdp_main
    from vdp.desktop import shell

    path, vdp_args = argv[0], argv[1:]
    # The command line looks `run_desktop` up when it runs the desktop command, so it finds this one.
    shell.run_desktop = functools.partial(shell.run_desktop, on_page_ready=functools.partial(start, path))
    return vdp_main(vdp_args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

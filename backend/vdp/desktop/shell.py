"""`vdp` with a display: the pywebview window (Qt backend), `js_api.invoke`, and pushed event batches."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from typing import Any, Callable, Optional

from ..app import Application
from ..bridge.coalescer import pump
from ..bridge.invoke import invoke
from ..errors import VdpError
from ..paths import AppPaths
from ..storage.instance_lock import AlreadyRunning
from ..ui_assets import index_html
from .dialogs import WebviewDialogs
from .gui_thread import GuiThread
from .hardening import guard_page, log_uncaught_exceptions
from .navigation import lock_navigation
from .no_eval import bridge_without_eval
from .page import PageError, evaluate, push_events
from .runtime_thread import RuntimeThread
from .second_start import knock, listen_for_knocks
from .tray import Tray
from .window_state import WindowState

log = logging.getLogger(__name__)

TITLE = "Video Downloader Pro"
SMOKE_SCRIPT = "window.__vdp_bridge.invoke('get_app_info')"


class JsApi:
    """What the page sees as `window.pywebview.api`. Private attributes are hidden from JavaScript."""

    def __init__(self, app: Application, runtime: RuntimeThread) -> None:
        self._app = app
        self._runtime = runtime

    def invoke(self, command: str, args: Any = None) -> Any:
        try:
            return self._runtime.call(invoke(self._app, command, args))
        except VdpError as exc:
            raise CommandRejected(exc) from None


class CommandRejected(Exception):
    """A failed command leaving the js_api. pywebview hands the page only an exception's name and message, so the
    message is the JSON `{message, code}`; the page's API stub (no_eval.py) rejects with that object."""

    def __init__(self, error: VdpError) -> None:
        super().__init__(json.dumps({"message": error.text, "code": error.code.value}, ensure_ascii=False))


PageReady = Callable[[GuiThread, Any], None]


def run_desktop(args: argparse.Namespace, *, smoke_test: bool = False,
                on_page_ready: Optional[PageReady] = None) -> int:
    """Open the window and run until it closes. `on_page_ready(gui, window)` runs once the page has first loaded and
    events flow to it; the product passes none (the desktop tests attach their remote control there)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses its sandbox as root
    import webview

    gui = GuiThread()  # before webview.start: it must belong to the main thread, which runs the Qt loop
    paths = AppPaths.resolve(args.data_dir)
    runtime = RuntimeThread()
    app = Application(paths, runtime=args.runtime)
    try:
        runtime.call(app.start())
    except AlreadyRunning as refused:
        runtime.stop()
        # Started again (a second click on the app, which may sit in the tray): the running window comes forward.
        if refused.knock_port is not None and knock(refused.knock_port):
            print("Video Downloader Pro is already running with this data folder: its window was brought forward.")
            return 0
        raise
    state = WindowState.load(paths.window_state)
    window = webview.create_window(
        TITLE, url=str(index_html()), js_api=JsApi(app, runtime), width=state.width, height=state.height,
        x=state.x, y=state.y, min_size=(800, 600), background_color="#111827" if state.dark else "#FFFFFF",
    )
    if window is None:
        raise RuntimeError("pywebview did not create the window")
    lock_navigation(window)
    bridge_without_eval(window)
    app.dialogs = WebviewDialogs(window, gui)
    tray = Tray(app, runtime, gui, window)  # installed once shown, if minimize_to_tray is on and there is a tray
    knocks = runtime.call(listen_for_knocks(tray.show_window))
    app.instance.advertise(knocks.sockets[0].getsockname()[1])
    pump_future: Optional[Any] = None
    outcome = {"code": 0}

    def on_first_load() -> None:
        nonlocal pump_future
        subscription = app.bus.subscribe("desktop-window")
        pump_future = runtime.submit(pump(subscription, lambda batch: push_events(gui, window, batch)))
        if smoke_test:
            outcome["code"] = _smoke(gui, window)
            tray.let_close()
            window.destroy()
        elif on_page_ready is not None:
            on_page_ready(gui, window)

    def on_loaded() -> None:
        if pump_future is None:  # a reload fires `loaded` again; the page re-reads its state by itself
            on_first_load()

    def on_closing() -> None:
        ui = app.config.ui
        WindowState.capture(window, dark=bool(ui and ui.theme == "dark")).save(paths.window_state)

    close_requested = threading.Event()
    tray_installed = threading.Event()

    def request_close(*_: Any) -> None:
        close_requested.set()  # a window that does not exist yet closes as soon as it is shown
        tray.let_close()
        window.destroy()

    def on_shown() -> None:
        gui.post(lambda: guard_page(window))
        if tray.wanted and not tray_installed.is_set():
            tray_installed.set()
            gui.post(tray.install)
        if close_requested.is_set():
            window.destroy()

    window.events.shown += on_shown
    window.events.loaded += on_loaded
    window.events.closing += on_closing
    window.events.closing += tray.on_closing
    # pywebview wakes the interpreter every 500 ms, so this runs even while Qt's loop is idle.
    signal.signal(signal.SIGTERM, request_close)
    log_uncaught_exceptions()
    try:
        webview.start(gui="qt", private_mode=True, storage_path=str(paths.root / "webview"))
    finally:
        if pump_future is not None:
            pump_future.cancel()
        runtime.loop.call_soon_threadsafe(knocks.close)
        tray.close()
        runtime.call(app.stop(), timeout=30)  # pause what runs, flush the repository
        runtime.stop()
    _leave_stuck_threads_behind(outcome["code"])
    return outcome["code"]


def _leave_stuck_threads_behind(code: int, grace: float = 2.0) -> None:
    """Exit now if a pywebview thread cannot finish.

    pywebview answers each `js_api` call from a non-daemon thread that waits, without a timeout, for the page to
    take the answer; when the window closes first it waits forever and would keep the process from exiting. Our
    own work is already saved, so once they have had `grace` seconds they are abandoned.
    """
    deadline = time.monotonic() + grace
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threading.enumerate()
             if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if stuck:
        log.warning("exiting past %d stuck GUI thread(s): %s", len(stuck), ", ".join(stuck))
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _smoke(gui: GuiThread, window: Any) -> int:
    """Packaging check: the page reaches the backend through the real bridge."""
    try:
        info = evaluate(gui, window, SMOKE_SCRIPT, timeout=20)
    except PageError as exc:
        print(f"smoke test: FAILED {exc}", file=sys.stderr, flush=True)
        return 1
    ok = isinstance(info, dict) and bool(info.get("desktop"))
    print(f"smoke test: {'ok' if ok else 'FAILED'} {info}", flush=True)
    return 0 if ok else 1

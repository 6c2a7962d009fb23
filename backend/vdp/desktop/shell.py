"""`vdp` with a display: the pywebview window (Qt backend), `js_api.invoke`, and pushed event batches."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from typing import Any, Optional

from ..app import Application
from ..bridge.coalescer import pump
from ..bridge.invoke import InvokeError, invoke
from ..paths import AppPaths
from ..ui_assets import index_html
from .dialogs import WebviewDialogs
from .runtime_thread import RuntimeThread
from .window_state import WindowState

log = logging.getLogger(__name__)

TITLE = "Video Downloader Pro"


class JsApi:
    """What the page sees as `window.pywebview.api`. Private attributes are hidden from JavaScript."""

    def __init__(self, app: Application, runtime: RuntimeThread) -> None:
        self._app = app
        self._runtime = runtime

    def invoke(self, command: str, args: Any = None) -> Any:
        try:
            return self._runtime.call(invoke(self._app, command, args))
        except InvokeError as exc:
            raise RuntimeError(exc.message) from None  # the page's promise rejects with this message


def run_desktop(args: argparse.Namespace, *, smoke_test: bool = False) -> int:
    import webview

    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1" if hasattr(os, "geteuid") and os.geteuid() == 0 else "0")
    paths = AppPaths.resolve(args.data_dir)
    runtime = RuntimeThread()
    app = Application(paths, runtime=args.runtime)
    runtime.call(app.start())
    state = WindowState.load(paths.window_state)
    window = webview.create_window(
        TITLE, url=str(index_html()), js_api=JsApi(app, runtime), width=state.width, height=state.height,
        x=state.x, y=state.y, min_size=(800, 600), background_color="#111827" if state.dark else "#FFFFFF",
    )
    app.dialogs = WebviewDialogs(window)
    pump_future: Optional[Any] = None
    outcome = {"code": 0}

    def on_loaded() -> None:
        nonlocal pump_future
        if pump_future is None:
            subscription = app.bus.subscribe("desktop-window")
            pump_future = runtime.submit(pump(subscription, lambda batch: _push(window, batch)))
        if smoke_test:
            _smoke(window, outcome)

    def on_closing() -> None:
        WindowState.capture(window).save(paths.window_state)

    window.events.loaded += on_loaded
    window.events.closing += on_closing
    signal.signal(signal.SIGTERM, lambda *_: window.destroy())
    try:
        webview.start(gui="qt", private_mode=True, storage_path=str(paths.root / "webview"))
    finally:
        if pump_future is not None:
            pump_future.cancel()
        runtime.call(app.stop(), timeout=30)  # pause what runs, flush the repository
        runtime.stop()
    return outcome["code"]


async def _push(window: Any, batch: list[dict[str, Any]]) -> None:
    script = f"window.__vdp_emit && window.__vdp_emit({json.dumps(batch)})"
    await asyncio.to_thread(window.run_js, script)


def _smoke(window: Any, outcome: dict[str, int]) -> None:
    """Packaging check: the page reaches the backend through the real bridge, then the app exits."""
    try:
        result = window.evaluate_js(
            "window.__vdp_bridge ? window.__vdp_bridge.invoke('get_app_info').then(r => JSON.stringify(r)) : null"
        )
        info = json.loads(result) if isinstance(result, str) else None
        ok = bool(info and info.get("desktop"))
        print(f"smoke test: {'ok' if ok else 'FAILED'} {info}", flush=True)
        outcome["code"] = 0 if ok else 1
    except Exception as exc:  # report, then still close the window
        print(f"smoke test: FAILED {exc}", file=sys.stderr, flush=True)
        outcome["code"] = 1
    window.destroy()

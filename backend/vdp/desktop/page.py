"""Talking to the page: awaited JavaScript evaluation, and pushing event batches without waiting.

The page's own failures (a throwing script, a rejected promise, a syntax error) come back as `PageError` values;
none of them can reach the GUI thread or stop the app.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from .gui_thread import GuiThread

# eval runs inside the promise chain, so a syntax error or a throw becomes a rejection we can report.
_SETTLED = (
    "Promise.resolve().then(() => eval({source}))"
    ".then(value => ({{ok: true, value: value === undefined ? null : value}}),"
    " error => ({{ok: false, error: String(error && error.stack ? error.stack : error)}}))"
)


EVAL_BLOCKED = (
    "the page's Content-Security-Policy forbids eval(), which pywebview needs to answer js_api calls and to "
    "evaluate scripts: every command from the UI will hang. Allow it with script-src 'self' 'unsafe-eval'."
)


class PageError(Exception):
    """The page's script threw or rejected, or did not settle in time."""


def evaluate(window: Any, expression: str, timeout: float = 10.0) -> Any:
    """The value of `expression` in the page; a returned promise is awaited. JSON-compatible results only.

    Blocks the calling thread, which must not be the GUI thread.
    """
    settled = threading.Event()
    outcome: dict[str, Any] = {}

    def on_settled(result: Any) -> None:
        outcome.update(result if isinstance(result, dict) else {"ok": False, "error": f"unexpected result {result!r}"})
        settled.set()

    def start() -> None:
        try:
            window.evaluate_js(_SETTLED.format(source=json.dumps(expression)), on_settled)
        except Exception as exc:
            on_settled({"ok": False, "error": str(exc)})

    # pywebview blocks until the page takes the script, forever if its renderer is dead: wait here, not there.
    threading.Thread(target=start, name="vdp-evaluate", daemon=True).start()
    if not settled.wait(timeout):
        raise PageError(f"the page did not settle within {timeout:g} s")
    if not outcome.get("ok"):
        raise PageError(str(outcome.get("error")))
    return outcome.get("value")


def eval_allowed(window: Any) -> bool:
    """False when the page's CSP blocks eval(); asked without eval, which `run_js` does not use."""
    return window.run_js("(() => { try { return eval('true'); } catch (e) { return false; } })()") is True


def push_events(gui: GuiThread, window: Any, batch: list[dict[str, Any]]) -> None:
    """Hand a batch to the page's `__vdp_emit` and return at once; a page that is gone or throws drops it."""
    script = f"window.__vdp_emit && window.__vdp_emit({json.dumps(batch)})"
    gui.post(lambda: window.native.webview.page().runJavaScript(script))

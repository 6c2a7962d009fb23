"""Talking to the page: awaited JavaScript evaluation, and pushing event batches without waiting.

The page's own failures (a throwing script, a rejected promise, a syntax error) come back as `PageError` values;
none of them can reach the GUI thread or stop the app.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from .gui_thread import GuiThread

# The expression is spliced into the script, not passed to eval(): the page's CSP forbids eval, and the script that
# runJavaScript runs is exempt. Its own value (true) says it parsed; the settled outcome comes back through
# pywebview's async-callback channel, the one its evaluate_js uses for promises. The line break lets the
# expression end in a // comment.
_SETTLE = """(function (report) {{
  Promise.resolve().then(function () {{ return ({expression}
  ); }}).then(function (value) {{ report({{ok: true, value: value === undefined ? null : value}}); }},
    function (error) {{ report({{ok: false, error: String(error && error.stack ? error.stack : error)}}); }});
  return true;
}})(function (outcome) {{ window.pywebview._asyncCallback(window.pywebview.stringify(outcome), {token}); }})"""


class PageError(Exception):
    """The page's script threw or rejected, did not parse, or did not settle in time."""


def evaluate(gui: GuiThread, window: Any, expression: str, timeout: float = 10.0) -> Any:
    """The value of the JavaScript *expression* in the page; a returned promise is awaited. JSON-compatible results
    only. Statements do not work (`throw …` is `(() => { throw … })()`).

    Blocks the calling thread, which must not be the GUI thread.
    """
    settled = threading.Event()
    outcome: dict[str, Any] = {}
    token = uuid.uuid4().hex

    # Both callbacks run on the GUI thread, so they never race.
    def settle(result: Any) -> None:
        if not settled.is_set():
            outcome.update(result if isinstance(result, dict) else {"ok": False, "error": f"unexpected {result!r}"})
            settled.set()

    def started(value: Any) -> None:
        if value is not True:  # a syntax error, or no page to run it in: nothing will ever settle
            window._callbacks.pop(token, None)
            settle({"ok": False, "error": "the script did not run (a SyntaxError, or the page is gone)"})

    window._callbacks[token] = settle  # pywebview's table for `pywebviewAsyncCallback`; the answer removes it
    script = _SETTLE.format(expression=expression, token=json.dumps(token))
    gui.post(lambda: window.native.webview.page().runJavaScript(script, 0, started))
    if not settled.wait(timeout):
        raise PageError(f"the page did not settle within {timeout:g} s")
    if not outcome.get("ok"):
        raise PageError(str(outcome.get("error")))
    return outcome.get("value")


def push_events(gui: GuiThread, window: Any, batch: list[dict[str, Any]]) -> None:
    """Hand a batch to the page's `__vdp_emit` and return at once; a page that is gone or throws drops it."""
    script = f"window.__vdp_emit && window.__vdp_emit({json.dumps(batch)})"
    gui.post(lambda: window.native.webview.page().runJavaScript(script))

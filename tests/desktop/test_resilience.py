"""Nothing the page does takes the app down: throwing scripts, a broken event sink, permission prompts, a dead
renderer."""

from __future__ import annotations

import time

import psutil
import pytest

from .conftest import Launch
from .desktop_app import DesktopApp, PageFailure

pytestmark = pytest.mark.desktop

PING = "window.__vdp_bridge.invoke('get_app_info').then(info => info.desktop)"


def test_page_errors_are_answers_not_crashes(launch: Launch) -> None:
    app = launch()

    with pytest.raises(PageFailure, match="boom"):
        app.eval("(() => { throw new Error('boom') })()")
    with pytest.raises(PageFailure, match="did not run"):
        app.eval("this is not javascript")
    with pytest.raises(PageFailure, match="Unknown command: no_such_command"):
        app.eval("window.__vdp_bridge.invoke('no_such_command')")
    app.eval("setTimeout(() => { throw new Error('uncaught in a timer') }) && true")
    # A page asking for notifications once made pywebview's permission slot raise, and PyQt abort the process.
    assert app.eval("Notification.requestPermission()") == "denied"

    assert app.eval(PING) is True
    assert app.process is not None and app.process.poll() is None


def test_a_throwing_event_sink_does_not_stop_the_backend(launch: Launch) -> None:
    app = launch()
    app.eval("(window.__vdp_emit = () => { throw new Error('sink exploded') }) && true")

    added = app.eval("window.__vdp_bridge.invoke('add_urls', {urls: ['http://127.0.0.1:9/a.bin']})")
    assert len(added) == 1  # the add pushed events into the throwing sink

    assert app.eval(PING) is True
    tasks = app.eval("window.__vdp_bridge.invoke('get_download_tasks')")
    assert [task["url"] for task in tasks] == ["http://127.0.0.1:9/a.bin"]


def test_a_killed_renderer_gets_a_fresh_page(launch: Launch) -> None:
    app = launch()
    app.eval("window.__before_crash = true")

    (renderer,) = _renderers(app)
    renderer.kill()

    _poll_until_answered(
        app, "!window.__before_crash && !!window.__vdp_bridge && window.__vdp_bridge.kind === 'desktop'")
    assert app.eval(PING) is True


def _renderers(app: DesktopApp) -> list[psutil.Process]:
    """Chromium forks renderers from its zygote, so they are the app's grandchildren (and show the zygote's argv)."""
    assert app.process is not None
    children = psutil.Process(app.process.pid).children(recursive=True)
    return [child for child in children if child.ppid() != app.process.pid]


def _poll_until_answered(app: DesktopApp, condition: str, timeout: float = 30) -> None:
    """While the renderer is dead an evaluation never settles, so ask with a short timeout until the new page
    answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if app.eval(condition, timeout=1) is True:
                return
        except PageFailure:
            pass
        assert app.process is not None and app.process.poll() is None, f"the app died{app.log_tail()}"
        assert time.monotonic() < deadline, f"no fresh page within {timeout} s{app.log_tail()}"

"""The window opens on the built UI and the page reaches the backend through `js_api.invoke`."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from .conftest import Launch
from .desktop_app import PYTHON, REPO

pytestmark = pytest.mark.desktop


def test_window_loads_the_ui_and_invoke_round_trips(launch: Launch) -> None:
    app = launch()

    assert app.eval("document.title") == "Video Downloader Pro"
    assert app.eval("window.__vdp_bridge.kind") == "desktop"
    # pywebview serves the built UI from frontend/dist on its own loopback server
    assert app.eval("location.hostname") == "127.0.0.1"
    assert app.eval("document.querySelector('[data-testid=task-list]') !== null")

    # The Ping button lives in the debug panel, opened with Ctrl+Shift+D.
    app.eval("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'D', ctrlKey: true, shiftKey: true})) && null")
    app.wait_for("document.querySelector('#ping-button')")
    app.click("#ping-button")
    shown = app.wait_for("document.querySelector('#ping-result').textContent")
    info = json.loads(shown)
    assert 0 <= info["memory_usage"] <= 100 and info["active_downloads"] == 0, shown


def test_the_clipboard_command_answers_in_the_window(launch: Launch) -> None:
    # Under Xvfb nothing can put text on the clipboard from here (the page is never focused), so this checks the
    # path: the desktop app reads Qt's clipboard instead of refusing as server mode does.
    app = launch()
    assert app.eval("window.__vdp_bridge.invoke('read_clipboard_text')") == ""


def test_a_second_start_brings_the_running_window_forward(launch: Launch, display: str) -> None:
    """The data folder admits one running app: started again (a second click on its icon, the app perhaps in the
    tray), the desktop app asks the running one to show its window and leaves, instead of failing unseen."""
    app = launch()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    second = subprocess.run([str(PYTHON), "-m", "vdp", "--data-dir", str(app.data_dir), "desktop"], env=env,
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "its window was brought forward" in second.stdout
    app.wait_log("a second start asked for this window")
    assert app.eval("document.title") == "Video Downloader Pro", "the first app runs on"

"""The tray icon (behind `ui.minimize_to_tray`). Xvfb has no system tray host, so the icon itself is never shown
here: the window test checks that the app then closes as usual; the tray's menu, tooltip and close-to-tray
behaviour are checked in-process on Qt's offscreen platform against the real runtime."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

from vdp.app import Application
from vdp.contract import DownloadMetricsEvent
from vdp.desktop.gui_thread import GuiThread
from vdp.desktop.runtime_thread import RuntimeThread
from vdp.desktop.tray import Tray, speed_text, texts, tooltip
from vdp.paths import AppPaths

from .conftest import Launch


def test_without_a_tray_host_the_window_still_closes_and_says_why(launch: Launch) -> None:
    app = launch(config={"ui": {"minimize_to_tray": True}})

    assert app.terminate() == 0  # SIGTERM closes the window; nothing keeps it in a tray
    assert "no system tray on this desktop" in app.log_path.read_text(errors="replace")


def test_speed_and_tooltip_texts() -> None:
    assert [speed_text(v) for v in (0, 999, 1536, 3.5 * (1 << 20), 2 << 30)] == [
        "0 B/s", "999 B/s", "1.5 KB/s", "3.5 MB/s", "2.0 GB/s"]
    assert tooltip(texts("zh-CN"), 3.5 * (1 << 20), 2) == "Video Downloader Pro\n3.5 MB/s · 2 个下载中"
    assert tooltip(texts("en"), 0.0, 0) == "Video Downloader Pro\nno downloads running"


class _Window:
    """pywebview's window as the tray uses it: every call is recorded (they arrive on helper threads)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.called = threading.Event()

    def __getattr__(self, name: str) -> Any:
        def call() -> None:
            self.calls.append(name)
            self.called.set()

        return call


class _Icon:
    def __init__(self) -> None:
        self.tips: list[str] = []
        self.changed = threading.Event()

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.tips.append(text)
        self.changed.set()


class _NowGui:
    """Runs posted work at once (the tooltip test has no Qt loop turning)."""

    def post(self, function: Any) -> None:
        function()


@pytest.fixture
def qt_app() -> Iterator[Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qtpy import QtWidgets

    yield QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Application, RuntimeThread]]:
    runtime = RuntimeThread()
    app = Application(AppPaths.resolve(str(tmp_path / "data")))
    runtime.call(app.start())
    try:
        yield app, runtime
    finally:
        runtime.call(app.stop(), timeout=30)
        runtime.stop()


def test_the_menu_pauses_and_resumes_all_and_closing_hides_to_the_tray(qt_app: Any, running: Any) -> None:
    app, runtime = running
    app.config.ui.minimize_to_tray = True
    window = _Window()
    tray = Tray(app, runtime, GuiThread(), window)
    tray._icon = tray.build_icon()
    menu = [action.text() for action in tray._menu.actions() if not action.isSeparator()]
    assert menu == ["显示窗口", "全部暂停", "全部继续", "退出"]  # the configured language (zh-CN by default)

    runtime.call(app.runtime.submit(_start_queue()))
    tray.pause_all().result(10)
    assert runtime.call(_queue_running(app)) is False  # Pause all stopped the queue
    assert tray.resume_all().result(10) == 0  # nothing paused to resume

    assert tray.on_closing() is False  # kept, hidden in the tray
    assert window.called.wait(10) and window.calls == ["hide"]
    app.config.ui.minimize_to_tray = False
    assert tray.on_closing() is None  # the setting off: closing closes
    app.config.ui.minimize_to_tray = True
    tray.let_close()
    assert tray.on_closing() is None  # quit from the menu or SIGTERM: closing closes


def test_the_tooltip_follows_the_total_speed(running: Any) -> None:
    app, runtime = running
    tray = Tray(app, runtime, _NowGui(), _Window())  # type: ignore[arg-type]
    icon = tray._icon = _Icon()
    tray._follow = runtime.submit(tray._follow_speed())
    try:
        runtime.call(_publish_once_followed(app, DownloadMetricsEvent(active=1, total_speed=2.5 * (1 << 20))))
        assert icon.changed.wait(10)
        assert icon.tips == ["Video Downloader Pro\n2.5 MB/s · 1 个下载中"]
    finally:
        tray.close()


def _start_queue() -> Any:
    from vdp.runtime import commands

    return commands.SetQueueRunning(True)


async def _publish_once_followed(app: Application, metrics: DownloadMetricsEvent) -> None:
    while app.bus.find("tray") is None:  # the follower subscribes on its first step on the loop
        await asyncio.sleep(0)
    app.bus.publish("download_metrics", metrics)


async def _queue_running(app: Application) -> bool:
    return app.runtime.scheduler.backlog_running  # type: ignore[attr-defined]

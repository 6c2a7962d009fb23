"""The tray icon of the desktop window, behind `ui.minimize_to_tray` and only where the platform has a tray
(`QSystemTrayIcon.isSystemTrayAvailable()`): the total speed in its tooltip; show, pause all, resume all and quit in
its menu; and closing the window hides it to the tray instead of quitting.

Threads: the icon and its menu live on the Qt GUI thread; the speed comes from the runtime's event bus on the runtime
thread and reaches the icon through `GuiThread.post`. pywebview's window methods block until the GUI thread has run
them, so the menu (on the GUI thread) calls them from a short-lived thread of their own."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..bridge.invoke import invoke
from .gui_thread import GuiThread
from .runtime_thread import RuntimeThread

if TYPE_CHECKING:
    from ..app import Application

log = logging.getLogger(__name__)

TITLE = "Video Downloader Pro"
_TEXTS = {
    "en": {"show": "Show window", "pause": "Pause all", "resume": "Resume all", "quit": "Quit",
           "idle": "no downloads running", "speed": "{speed} · {active} downloading"},
    "zh": {"show": "显示窗口", "pause": "全部暂停", "resume": "全部继续", "quit": "退出",
           "idle": "没有正在进行的下载", "speed": "{speed} · {active} 个下载中"},
}


def texts(language: Optional[str]) -> dict[str, str]:
    return _TEXTS["zh" if (language or "").lower().startswith("zh") else "en"]


def speed_text(bytes_per_second: float) -> str:
    value, unit = float(bytes_per_second), "B/s"
    for bigger in ("KB/s", "MB/s", "GB/s"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.0f} {unit}" if unit == "B/s" else f"{value:.1f} {unit}"


def tooltip(words: dict[str, str], total_speed: float, active: int) -> str:
    status = words["speed"].format(speed=speed_text(total_speed), active=active) if active else words["idle"]
    return f"{TITLE}\n{status}"


class Tray:
    def __init__(self, app: "Application", runtime: RuntimeThread, gui: GuiThread, window: Any) -> None:
        self._app = app
        self._runtime = runtime
        self._gui = gui
        self._window = window
        self._words = texts(app.config.ui.language if app.config.ui else None)
        self._icon: Any = None
        self._follow: Optional[Any] = None  # the runtime-side future that keeps the tooltip current
        self._quitting = False

    @property
    def wanted(self) -> bool:
        ui = self._app.config.ui
        return bool(ui and ui.minimize_to_tray)

    def install(self) -> bool:
        """On the GUI thread, once Qt runs. False (and nothing shown) where the platform has no tray."""
        from qtpy import QtWidgets

        if not QtWidgets.QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray on this desktop: minimize_to_tray has no effect")
            return False
        self._icon = self.build_icon()
        self._icon.show()
        self._follow = self._runtime.submit(self._follow_speed())
        return True

    def build_icon(self) -> Any:
        """The icon with its menu and tooltip (not shown). GUI thread."""
        from qtpy import QtGui, QtWidgets

        style = QtWidgets.QApplication.style()
        arrow = QtWidgets.QStyle.StandardPixmap.SP_ArrowDown
        icon = QtWidgets.QSystemTrayIcon(style.standardIcon(arrow) if style is not None else QtGui.QIcon())
        menu = QtWidgets.QMenu()
        entries: tuple[tuple[str, Callable[[], Any]], ...] = (
            ("show", self.show_window), ("pause", self.pause_all), ("resume", self.resume_all), ("quit", self.quit))
        for key, run in entries:
            if key == "quit":
                menu.addSeparator()
            action = menu.addAction(self._words[key])
            if action is not None:
                action.triggered.connect(_on_trigger(run))
        icon.setContextMenu(menu)
        icon.activated.connect(self._activated)
        icon.setToolTip(tooltip(self._words, 0.0, 0))
        self._menu = menu  # Qt does not own a context menu: keep it alive as long as the icon
        return icon

    def _activated(self, reason: Any) -> None:
        from qtpy import QtWidgets

        if reason == QtWidgets.QSystemTrayIcon.ActivationReason.Trigger:  # a plain click brings the window back
            self.show_window()

    # -- actions (GUI thread) ----------------------------------------------------------------------

    def show_window(self) -> None:
        _off_gui_thread(self._window.show)
        _off_gui_thread(self._window.restore)

    def pause_all(self) -> "Future[Any]":
        return self._command("pause_all_downloads")

    def resume_all(self) -> "Future[Any]":
        return self._command("resume_all_downloads")

    def quit(self) -> None:
        self.let_close()
        _off_gui_thread(self._window.destroy)

    def let_close(self) -> None:
        """The next close really closes (quit from the menu, SIGTERM, the smoke test)."""
        self._quitting = True

    def on_closing(self) -> Optional[bool]:
        """pywebview's `closing` handler: False keeps the window (hidden in the tray) instead of closing it."""
        if self._icon is None or self._quitting or not self.wanted:
            return None
        _off_gui_thread(self._window.hide)
        return False

    def close(self) -> None:
        """Stop following the speed; the icon goes with the Qt application."""
        if self._follow is not None:
            self._follow.cancel()

    def _command(self, name: str) -> "Future[Any]":
        future = self._runtime.submit(invoke(self._app, name, {}))
        future.add_done_callback(_log_failure(name))
        return future

    # -- the tooltip (runtime thread) ----------------------------------------------------------------

    async def _follow_speed(self) -> None:
        subscription = self._app.bus.subscribe("tray", capacity=256)
        shown = ""
        try:
            while True:
                await subscription.wait()
                metrics = [e.payload for e in subscription.drain() if e.name == "download_metrics"]
                if not metrics:
                    continue
                text = tooltip(self._words, metrics[-1].total_speed, metrics[-1].active)
                if text != shown:
                    shown = text
                    self._gui.post(partial(self._icon.setToolTip, text))
        finally:
            subscription.close()


def _on_trigger(run: Callable[[], Any]) -> Callable[[bool], None]:
    def triggered(_checked: bool = False) -> None:
        run()

    return triggered


def _off_gui_thread(call: Callable[[], Any]) -> None:
    threading.Thread(target=call, name="tray-window-call", daemon=True).start()


def _log_failure(name: str) -> Callable[[Any], None]:
    def done(future: Any) -> None:
        if not future.cancelled() and future.exception() is not None:
            log.warning("tray: %s failed: %s", name, future.exception())

    return done

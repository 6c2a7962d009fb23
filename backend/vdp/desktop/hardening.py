"""Nothing the page does may take the app down.

PyQt aborts the whole process when a Python slot raises while `sys.excepthook` is the default, and pywebview's
own permission slot raises under PyQt6 (it passes a plain int where an enum is required): one
`Notification.requestPermission()` in the page would kill the app. So exceptions on the GUI thread are logged,
permission requests get a working answer, and a dead renderer gets a fresh page.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Any, Optional

log = logging.getLogger(__name__)


def log_uncaught_exceptions() -> None:
    """A non-default excepthook is PyQt's signal to report a failing slot instead of calling qFatal."""

    def report(kind: type[BaseException], error: BaseException, trace: Optional[TracebackType]) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
        else:
            log.error("uncaught exception on the GUI thread", exc_info=(kind, error, trace))

    sys.excepthook = report


def guard_page(window: Any) -> None:
    """Runs on the GUI thread once the window exists."""
    from qtpy.QtWebEngineCore import QWebEnginePage

    view = window.native.webview
    page = view.page()

    def deny_permission(origin: Any, feature: Any) -> None:
        # The page asks for notifications, camera and the like; the app needs none of them.
        page.setFeaturePermission(origin, feature, QWebEnginePage.PermissionPolicy.PermissionDeniedByUser)

    def reload_after_crash(status: Any, exit_code: int) -> None:
        log.error("the page's renderer ended (%s, exit code %s); reloading", status, exit_code)
        view.reload()

    try:
        page.featurePermissionRequested.disconnect(page.onFeaturePermissionRequested)  # pywebview's broken slot
    except (AttributeError, TypeError):
        log.debug("pywebview's permission slot was not connected")
    page.featurePermissionRequested.connect(deny_permission)
    page.renderProcessTerminated.connect(reload_after_crash)

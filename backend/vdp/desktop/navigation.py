"""The window shows the bundled UI and nothing else.

pywebview's Qt page lets the page navigate anywhere, and hands `window.open` and `target=_blank` links of any
scheme to `webbrowser.open`. Bouncing back on `urlChanged` comes too late: by then another document has replaced
the bundle, and reloading it left the page without pywebview's bridge. So the methods of pywebview's page class are
replaced, before the window exists, by ones that decide in `acceptNavigationRequest`, before any request leaves:
main-frame navigations stay on the bundle's origin (its own server on 127.0.0.1), and no new window opens. (A
subclass would not do: pywebview's class calls `super(BrowserView.WebPage, self)`, by its attribute name.)

A refused navigation still ends in `loadFinished(False)` (net::ERR_ABORTED), on which pywebview would inject its
bridge a second time into the page that stayed: a fresh `window.pywebview` drops the callbacks of every js_api call
in flight, and their promises never settle. So pywebview injects only after a load that succeeded.

Refused links are not passed to the system browser: the UI has no external links, so the only pages that would
ask are ones that should not be able to start programs on the user's desktop.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def lock_navigation(window: Any) -> None:
    """Call before `webview.start`; pywebview's `initialized` event runs once its Qt backend is loaded and the
    window's served URL is known, and before it builds the window's page."""

    def install() -> None:
        from qtpy.QtCore import QUrl

        _lock(window.gui.BrowserView, QUrl(window.real_url))

    window.events.initialized += install


def _origin(url: Any) -> tuple[str, str, int]:
    return url.scheme(), url.host(), url.port()


def _lock(browser_view: Any, home: Any) -> None:
    page_class = browser_view.WebPage
    accept = page_class.acceptNavigationRequest  # pywebview keeps Qt's own (accept all) for QtWebEngine

    def acceptNavigationRequest(page: Any, url: Any, kind: Any, is_main_frame: bool) -> bool:
        # Subframes are left to the page's CSP (default-src 'self'), which already keeps them on the origin.
        if is_main_frame and _origin(url) != _origin(home):
            log.warning("refused to leave the bundled UI for %s (%s)", url.toString(), kind.name)
            return False
        return accept(page, url, kind, is_main_frame)

    def createWindow(page: Any, kind: Any) -> None:
        log.warning("refused to open a new window (%s)", kind.name)
        return None  # window.open() returns null; the page stays as it is

    inject_bridge = browser_view.on_load_finished

    def on_load_finished(view: Any, ok: bool) -> None:
        if ok:
            inject_bridge(view)

    page_class.acceptNavigationRequest = acceptNavigationRequest
    page_class.createWindow = createWindow
    browser_view.on_load_finished = on_load_finished

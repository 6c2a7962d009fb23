"""Native file and folder dialogs, and the clipboard, behind the commands that need them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from .gui_thread import GuiThread


class WebviewDialogs:
    def __init__(self, window: Any, gui: "GuiThread") -> None:
        self._window = window
        self._gui = gui

    def clipboard_text(self) -> str:
        """The system clipboard's text, read on the GUI thread (Qt's clipboard belongs to it)."""
        from qtpy.QtWidgets import QApplication

        return self._gui.call(lambda: _clipboard_text(QApplication.clipboard()), timeout=5)

    def choose_folder(self, start: Optional[str]) -> Optional[str]:
        import webview

        chosen = self._window.create_file_dialog(webview.FileDialog.FOLDER, directory=start or "")
        return chosen[0] if chosen else None

    def choose_file(self, patterns: list[str]) -> Optional[str]:
        import webview

        chosen = self._window.create_file_dialog(webview.FileDialog.OPEN, file_types=tuple(patterns))
        return chosen[0] if chosen else None


def _clipboard_text(clipboard: Any) -> str:
    return clipboard.text() if clipboard is not None else ""  # no clipboard without a running QApplication

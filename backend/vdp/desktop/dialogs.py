"""Native file and folder dialogs behind the commands that need them."""

from __future__ import annotations

from typing import Any, Optional


class WebviewDialogs:
    def __init__(self, window: Any) -> None:
        self._window = window

    def choose_folder(self, start: Optional[str]) -> Optional[str]:
        import webview

        chosen = self._window.create_file_dialog(webview.FileDialog.FOLDER, directory=start or "")
        return chosen[0] if chosen else None

    def choose_file(self, patterns: list[str]) -> Optional[str]:
        import webview

        chosen = self._window.create_file_dialog(webview.FileDialog.OPEN, file_types=tuple(patterns))
        return chosen[0] if chosen else None

"""The window's size and place, remembered between runs."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional


@dataclass
class WindowState:
    width: int = 1200
    height: int = 800
    x: Optional[int] = None
    y: Optional[int] = None
    dark: bool = False  # paints the window dark before the page loads, so a dark theme does not flash white

    @classmethod
    def load(cls, path: Path) -> "WindowState":
        try:
            raw = json.loads(path.read_text())
            state = cls(**{k: raw[k] for k in ("width", "height", "x", "y", "dark") if k in raw})
            state.width, state.height = max(800, int(state.width)), max(600, int(state.height))
        except (OSError, ValueError, TypeError):
            return cls()
        return state

    @classmethod
    def capture(cls, window: Any, *, dark: bool) -> "WindowState":
        return cls(width=window.width, height=window.height, x=window.x, y=window.y, dark=dark)

    def save(self, path: Path) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self)))
        temporary.replace(path)  # a crash mid-write never leaves a torn file behind

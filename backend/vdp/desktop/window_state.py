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
    dark: bool = False

    @classmethod
    def load(cls, path: Path) -> "WindowState":
        try:
            raw = json.loads(path.read_text())
            state = cls(**{k: raw[k] for k in ("width", "height", "x", "y", "dark") if k in raw})
        except (OSError, ValueError, TypeError):
            return cls()
        state.width, state.height = max(800, int(state.width)), max(600, int(state.height))
        return state

    @classmethod
    def capture(cls, window: Any) -> "WindowState":
        return cls(width=window.width, height=window.height, x=window.x, y=window.y)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

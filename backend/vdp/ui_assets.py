"""Where the built UI lives: beside the package when frozen by PyInstaller, else frontend/dist in the repo."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def ui_dir() -> Path:
    override = os.environ.get("VDP_UI_DIR")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "ui"
    return Path(__file__).resolve().parents[2] / "frontend" / "dist"


def index_html() -> Path:
    index = ui_dir() / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"The UI is not built: {index} is missing (run `make build`)")
    return index

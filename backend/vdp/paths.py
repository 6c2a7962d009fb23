"""Where the app keeps its data: `--data-dir`, else `VDP_DATA_DIR`, else the platform's user data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True)
class AppPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: Optional[str] = None) -> "AppPaths":
        chosen = data_dir or os.environ.get("VDP_DATA_DIR") or _platform_data_dir()
        root = Path(chosen).expanduser().resolve()
        root.mkdir(parents=True, exist_ok=True)
        return cls(root)

    @property
    def database(self) -> Path:
        return self.root / "tasks.sqlite"

    @property
    def config(self) -> Path:
        return self.root / "config.json"

    @property
    def logs(self) -> Path:
        path = self.root / "logs"
        path.mkdir(exist_ok=True)
        return path

    @property
    def window_state(self) -> Path:
        return self.root / "window.json"


def _platform_data_dir() -> str:
    from platformdirs import user_data_dir  # only needed without --data-dir / VDP_DATA_DIR

    return user_data_dir("video-downloader-pro", "vdp")

"""Fixtures for tests that open the real desktop window under a private Xvfb."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import xvfb
from .desktop_app import REPO, DesktopApp

ARTIFACTS = REPO / "test-artifacts" / "desktop"
UI_INDEX = REPO / "frontend" / "dist" / "index.html"


@pytest.fixture
def display() -> Iterator[str]:
    if not xvfb.available():
        pytest.skip("Xvfb is not installed (make setup installs it when run as root)")
    with xvfb.xvfb_display() as value:
        yield value


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


Launch = Callable[..., DesktopApp]


@pytest.fixture
def launch(display: str, tmp_path: Path) -> Iterator[Launch]:
    """Starts `vdp desktop` on the test's display; every app started here is killed at teardown if still alive."""
    if not UI_INDEX.is_file():
        pytest.skip("the UI is not built (make setup, or npm run build)")
    started: list[DesktopApp] = []

    def start(*args: str, data_dir: Path | None = None, config: dict | None = None) -> DesktopApp:
        data = data_dir or tmp_path / "data"
        data.mkdir(parents=True, exist_ok=True)
        if config is not None:
            (data / "config.json").write_text(json.dumps(config))
        workdir = tmp_path / f"run{len(started)}"
        workdir.mkdir()
        app = DesktopApp(data, display, args=(*args, "desktop"), workdir=workdir)
        started.append(app)
        return app.start()

    yield start
    for app in started:
        app.close()

"""The PyInstaller one-folder app (build/package.sh) starts under Xvfb, round-trips a command and exits 0."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .desktop_app import REPO

PACKAGED = REPO / "build" / "out" / "vdp" / "vdp"

pytestmark = [
    pytest.mark.package,
    pytest.mark.skipif(not PACKAGED.exists(), reason="the app is not packaged (run build/package.sh)"),
]


def test_packaged_app_passes_its_smoke_test(display: str, tmp_path: Path) -> None:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    env.pop("VDP_UI_DIR", None)  # the frozen app must find its own bundled UI
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    result = subprocess.run([str(PACKAGED), "--data-dir", str(tmp_path), "desktop", "--smoke-test"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test: ok" in result.stdout, result.stdout + result.stderr
    assert "'desktop': True" in result.stdout

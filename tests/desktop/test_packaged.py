"""The PyInstaller one-folder app (build/package.sh) starts under Xvfb, round-trips a command and exits 0,
downloads over HTTPS with the trust store it carries, and reads a workbook (in a child process of its own)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.payload import make_payload, sha256_of
from tests.support.tls import https_server, self_signed_certificate

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


async def _packaged_get(data_dir: Path, url: str, out: Path, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(PACKAGED), "--data-dir", str(data_dir), "get", url, "-o", str(out), "--json", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_the_packaged_app_checks_https_with_its_bundled_trust_store(tmp_path: Path) -> None:
    """The trust store loads at the first HTTPS request, so only a download shows that the bundle carries it."""
    certificate = self_signed_certificate(tmp_path)
    data = make_payload(1 << 20, seed=92)
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    async with https_server({"/f.bin": data}, *certificate) as base:
        refused = await _packaged_get(tmp_path / "a", f"{base}/f.bin", tmp_path / "out-a", env)
        trusted = await _packaged_get(tmp_path / "b", f"{base}/f.bin", tmp_path / "out-b",
                                      {**env, "SSL_CERT_FILE": str(certificate[0])})
    # certifi's bundle was found and read inside the package, and it does not trust a self-signed server
    assert refused[0] == 1 and "certificate could not be verified" in refused[1], refused[1][-2000:]
    assert trusted[0] == 0, trusted[1][-2000:]
    assert sha256_of(tmp_path / "out-b" / "f.bin") == sha256_of(data)


def test_the_packaged_app_imports_a_workbook(tmp_path: Path) -> None:
    """A workbook is read in a child process that multiprocessing starts by running the app's own executable again
    (forkserver, spawn on Windows): the frozen app must recognise such a start (`freeze_support`) instead of taking
    its arguments for a command line of its own."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["专栏名称", "课程名称", "视频链接"])
    book.active.append(["Python 异步编程", "第一课", "http://127.0.0.1:9/lesson-1.mp4"])
    sheet = tmp_path / "课程.xlsx"
    book.save(sheet)
    result = subprocess.run([str(PACKAGED), "--data-dir", str(tmp_path / "data"), "import", str(sheet), "-o",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = subprocess.run([str(PACKAGED), "--data-dir", str(tmp_path / "data"), "list"], capture_output=True,
                            text=True, timeout=120, check=True)
    assert "http://127.0.0.1:9/lesson-1.mp4" in listed.stdout, listed.stdout + listed.stderr
    assert str(tmp_path / "out" / "Python 异步编程") in listed.stdout, "the course's folder, from the sheet"

"""Shared fixtures: a real fault-injecting HTTP server and the real app on a temp data dir."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.services import open_services
from vdp.engines.services import TransferServices
from vdp.runtime import retry


@pytest.fixture(scope="session", autouse=True)
def _downloads_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default download folder is under the user's Downloads folder: in tests, a temp one (platformdirs reads
    XDG_DOWNLOAD_DIR), so a test that keeps the default never writes into the real one. Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("Downloads")
    previous = os.environ.get("XDG_DOWNLOAD_DIR")
    os.environ["XDG_DOWNLOAD_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("XDG_DOWNLOAD_DIR", None)
    else:
        os.environ["XDG_DOWNLOAD_DIR"] = previous


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    async with FaultServer() as srv:
        yield srv


@pytest.fixture
async def transfer_services() -> AsyncIterator[TransferServices]:
    """Real shared services (HTTP client, bandwidth limits, connection budget) for an engine or a runtime that runs
    without the app."""
    async with open_services() as services:
        yield services


@pytest.fixture(autouse=True)
def quick_retries(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries in this process wait from 0.5 s, not the product's 2 s (runtime/retry.py), so a test of a server that
    recovers does not sit out its outage; `production_retry_delays` tests keep the product's."""
    if request.node.get_closest_marker("production_retry_delays") is None:
        monkeypatch.setattr(retry, "BASE_DELAY", 0.5)


@pytest.fixture
async def kit(tmp_path: Path) -> AsyncIterator[AppKit]:
    async with running_app(tmp_path / "data", retry_attempts=2) as app_kit:
        yield app_kit


@pytest.fixture
def opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """VDP_OPENER points at a script that records what it was asked to open (the platform's opener is never run)."""
    record = tmp_path / "opened.txt"
    opener = tmp_path / "opener.sh"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{record}"\n')
    opener.chmod(opener.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VDP_OPENER", str(opener))
    return record

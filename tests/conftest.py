"""Shared fixtures: a real fault-injecting HTTP server and the real app on a temp data dir."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer


@pytest.fixture
async def server() -> AsyncIterator[FaultServer]:
    async with FaultServer() as srv:
        yield srv


@pytest.fixture
async def kit(tmp_path: Path) -> AsyncIterator[AppKit]:
    async with running_app(tmp_path / "data", retry_attempts=2) as app_kit:
        yield app_kit

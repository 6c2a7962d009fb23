"""The real app on the legacy (v1) runtime, against the real fault-injecting server of tests/conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import AsyncIterator

import pytest

from tests.support.appkit import AppKit, running_app


@pytest.fixture
async def legacy(tmp_path: Path) -> AsyncIterator[AppKit]:
    async with running_app(tmp_path / "data", runtime="v1", retry_attempts=0) as app_kit:
        yield app_kit

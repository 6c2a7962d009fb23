"""The server transport of a real app, for the bridge tests that speak HTTP and WebSocket to it."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from tests.support.appkit import AppKit
from vdp.bridge.server import ServerMode

TOKEN = "secret-token"


@pytest.fixture
async def served(kit: AppKit) -> AsyncIterator[ServerMode]:
    server = ServerMode(kit.app, token=TOKEN)
    await server.start()
    yield server
    await server.stop()

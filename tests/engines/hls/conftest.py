"""Fixtures for the HLS engine tests; the kit itself is in hls_fixtures.py."""

from __future__ import annotations

import pytest

from vdp.engines.hls import HlsEngine

from .hls_fixtures import OPEN_SERVICES, HlsServer


@pytest.fixture(autouse=True)
async def _close_services():
    """Closes the transfer services `make_run` built during the test."""
    yield
    while OPEN_SERVICES:
        await OPEN_SERVICES.pop().aclose()


@pytest.fixture
async def server():
    hls = HlsServer()
    await hls.start()
    yield hls
    await hls.stop()


@pytest.fixture
def engine() -> HlsEngine:
    # No pause between retries: the tests prove retries happen, not how long they wait.
    return HlsEngine(retry_backoff=0)

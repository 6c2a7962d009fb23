"""Real `TransferServices` for tests that run an engine without the app: the same shared HTTP client, bandwidth
limits and connection budget the runtime hands every engine, built from a download config and closed afterwards."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from vdp.contract import AppConfig, DownloadConfig
from vdp.engines.services import TransferServices


def transfer_services(download: DownloadConfig | None = None) -> TransferServices:
    """Services as the runtime builds them from this download config; the caller closes them (`aclose`)."""
    return TransferServices(AppConfig(download=download or DownloadConfig()))


@asynccontextmanager
async def open_services(download: DownloadConfig | None = None) -> AsyncIterator[TransferServices]:
    services = transfer_services(download)
    try:
        yield services
    finally:
        await services.aclose()

"""The HTTP client of a transfer that runs without the runtime's shared services."""

from __future__ import annotations

import httpx
from httpx_aiohttp import HttpxAiohttpClient

from ...contract import DownloadConfig


def own_client(config: DownloadConfig) -> httpx.AsyncClient:
    """httpx's API over aiohttp (the fastest transport measured here); SOCKS proxies need httpx-socks instead."""
    # The configured proxy is the only one: environment proxy variables are not consulted.
    if config.proxy and config.proxy.lower().startswith("socks"):
        from httpx_socks import AsyncProxyTransport

        return httpx.AsyncClient(transport=AsyncProxyTransport.from_url(config.proxy), trust_env=False)
    return HttpxAiohttpClient(proxy=config.proxy, trust_env=False)

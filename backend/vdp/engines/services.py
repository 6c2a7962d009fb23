"""Services every engine shares within one runtime: the HTTP client pool, the bandwidth limits and the connection
budget."""

from __future__ import annotations

from typing import Optional

import httpx
from httpx_aiohttp import AiohttpTransport
from httpx_aiohttp import transport as _aiohttp_transport

from ..contract import AppConfig, DownloadConfig
from .budget import ConnectionBudget
from .ratelimit import RateLimits

# The transport reads the body in pieces of this size; its 16 KiB default costs a Python iteration per 16 KiB.
_aiohttp_transport.AiohttpResponseStream.CHUNK_SIZE = 1 << 20


class _Transport(AiohttpTransport):
    """httpx re-sends a redirected GET with an unread empty stream, which aiohttp would send as a chunked body
    (servers answer 400); reading it first makes it a request without a body again. Credentials in a URL
    (`http://user:password@host/…`) are already in the Authorization header httpx built; aiohttp refuses a request
    that carries them twice, so they leave the URL here."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("GET", "HEAD"):
            await request.aread()
        if request.url.userinfo:
            request.url = request.url.copy_with(userinfo=b"")
        return await super().handle_async_request(request)


def proxy_url(config: AppConfig) -> Optional[str]:
    """The proxy from `download.proxy`, else from the advanced proxy fields when enabled."""
    if config.download.proxy:
        return config.download.proxy
    adv = config.advanced
    if adv.enable_proxy and adv.proxy_host and adv.proxy_port:
        auth = f"{adv.proxy_username}:{adv.proxy_password}@" if adv.proxy_username else ""
        return f"{adv.proxy_type}://{auth}{adv.proxy_host}:{adv.proxy_port}"
    return None


class TransferServices:
    def __init__(self, config: AppConfig, *, verify_tls: bool = True) -> None:
        self._verify = verify_tls
        self.limits = RateLimits(_mbps_to_bytes(config.advanced.rate_limit_mbps))
        self.connections = ConnectionBudget(config.download.max_total_connections)
        self.config = config
        self.http_client = self._make_client(config)
        self._retired: list[httpx.AsyncClient] = []

    def _make_client(self, config: AppConfig) -> httpx.AsyncClient:
        download = config.download
        proxy = proxy_url(config)
        timeout = httpx.Timeout(connect=download.connect_timeout_seconds, read=download.timeout_seconds,
                                write=download.timeout_seconds, pool=None)
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
        headers = {"User-Agent": download.user_agent, "Accept-Encoding": "identity", **download.headers}
        if proxy and proxy.startswith("socks"):
            from httpx_socks import AsyncProxyTransport

            transport: httpx.AsyncBaseTransport = AsyncProxyTransport.from_url(proxy, verify=self._verify)
        else:
            transport = _Transport(
                verify=self._verify, limits=limits, proxy=httpx.Proxy(proxy) if proxy else None
            )
        return httpx.AsyncClient(transport=transport, timeout=timeout, headers=headers, follow_redirects=True,
                                 max_redirects=10)

    def configure(self, download: DownloadConfig) -> None:
        """Apply a changed download config: a new client for new transfers when a client setting changed (running
        transfers keep theirs)."""
        before = self.config
        self.config = self.config.model_copy(update={"download": download})
        self.connections.resize(download.max_total_connections)
        if _client_settings(before) != _client_settings(self.config):
            self._retired.append(self.http_client)  # closed with the services: running transfers may still hold it
            self.http_client = self._make_client(self.config)

    async def aclose(self) -> None:
        for client in (self.http_client, *self._retired):
            await client.aclose()


def _client_settings(config: AppConfig) -> tuple:
    download = config.download
    return (proxy_url(config), download.user_agent, tuple(sorted(download.headers.items())),
            download.connect_timeout_seconds, download.timeout_seconds)


def _mbps_to_bytes(mbps: Optional[float]) -> Optional[float]:
    return mbps * 1_000_000 / 8 if mbps else None

"""Services every engine shares within one runtime: the HTTP client pool, the bandwidth limits and the connection
budget."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import httpx

from . import _aiohttp  # noqa: F401  (before httpx_aiohttp imports aiohttp: see its docstring)
from httpx_aiohttp import AiohttpTransport
from httpx_aiohttp import transport as _aiohttp_transport

from ..contract import AppConfig, DownloadConfig
from .budget import ConnectionBudget
from .ratelimit import RateLimits
from .tls import TrustStoreError, load_trust, untrusted_context

# The transport reads the body in pieces of this size; its 16 KiB default costs a Python iteration per 16 KiB.
_aiohttp_transport.AiohttpResponseStream.CHUNK_SIZE = 1 << 20


class _Transport(AiohttpTransport):
    """httpx re-sends a redirected GET with an unread empty stream, which aiohttp would send as a chunked body
    (servers answer 400); reading it first makes it a request without a body again. Credentials in a URL
    (`http://user:password@host/…`) are already in the Authorization header httpx built; aiohttp refuses a request
    that carries them twice, so they leave the URL here.

    With `verify`, the TLS context starts with no trust anchors, and the CA bundle (≈ 40 ms to parse) is loaded
    into it on a thread before the first request that may need it: a plain-HTTP run never pays for it, and the
    event loop never waits on it."""

    def __init__(self, *, verify: bool, **options: Any) -> None:
        super().__init__(verify=untrusted_context() if verify else False, **options)
        self._trusted = not verify
        self._trust: Optional[asyncio.Future[None]] = None  # the loading, once begun

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("GET", "HEAD"):
            await request.aread()
        if request.url.userinfo:
            request.url = request.url.copy_with(userinfo=b"")
        if not self._trusted and (request.url.scheme == "https" or self.proxy is not None):
            await self._load_trust()
        return await super().handle_async_request(request)

    async def _load_trust(self) -> None:
        if self._trust is None:
            self._trust = asyncio.ensure_future(asyncio.to_thread(load_trust, self.ssl_context))
        loading = self._trust
        try:
            await asyncio.shield(loading)  # one loading for every request that came meanwhile
        except Exception as exc:
            if self._trust is loading:
                self._trust = None  # the next request tries again
            raise TrustStoreError(f"Could not load the trusted certificates: {exc}") from exc
        self._trusted = True


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

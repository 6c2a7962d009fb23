"""Services every engine shares within one runtime: the HTTP client pool, the bandwidth limits and the connection
budget."""

from __future__ import annotations

from typing import Optional
from urllib.parse import quote

import httpx

from ..contract import AppConfig
from .budget import ConnectionBudget
from .ratelimit import RateLimits, rate_limit_bytes
from .request_path import MAX_REDIRECTS, RequestPath
from .transport import SocksTransport, Transport


def proxy_url(config: AppConfig) -> Optional[str]:
    """The proxy from `download.proxy`, else from the advanced proxy fields when enabled."""
    if config.download.proxy:
        return config.download.proxy
    adv = config.advanced
    if adv.enable_proxy and adv.proxy_host and adv.proxy_port:
        user, password = quote(adv.proxy_username or "", safe=""), quote(adv.proxy_password or "", safe="")
        auth = f"{user}:{password}@" if user else ""
        return f"{adv.proxy_type}://{auth}{adv.proxy_host}:{adv.proxy_port}"
    return None


class TransferServices:
    """Built from the config at start; `configure` applies a new one before the next request. `requests` is what the
    download engines send through; `http_client`, over the same transport, serves the link probes. The
    services keep a snapshot of their own: comparing with an object the caller may already have changed in place
    would see no difference, and the first change after start would be lost."""

    def __init__(self, config: AppConfig, *, verify_tls: bool = True) -> None:
        self._verify = verify_tls
        self._applied = config.model_copy(deep=True)
        self.limits = RateLimits(rate_limit_bytes(config.advanced.rate_limit_mbps))
        self.connections = ConnectionBudget(config.download.max_total_connections)
        self.http_client, self.requests = self._make_client(self._applied)
        self._retired: list[httpx.AsyncClient] = []

    def _make_client(self, config: AppConfig) -> tuple[httpx.AsyncClient, RequestPath]:
        """One transport for both: the client (link probes) and the download engines' leaner request path."""
        download = config.download
        proxy = proxy_url(config)
        timeout = httpx.Timeout(connect=download.connect_timeout_seconds, read=download.timeout_seconds,
                                write=download.timeout_seconds, pool=None)
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=64)
        headers = {"User-Agent": download.user_agent, "Accept-Encoding": "identity", **download.headers}
        if proxy and proxy.lower().startswith("socks"):
            transport: httpx.AsyncBaseTransport = SocksTransport(proxy, verify=self._verify)
        else:
            transport = Transport(verify=self._verify, limits=limits, proxy=httpx.Proxy(proxy) if proxy else None)
        client = httpx.AsyncClient(transport=transport, timeout=timeout, headers=headers, follow_redirects=True,
                                   max_redirects=MAX_REDIRECTS, trust_env=False)
        # The client's own defaults (Accept, Connection) under the settings' headers, so both send the same.
        return client, RequestPath(transport, headers=client.headers, timeout=timeout)

    def configure(self, config: AppConfig) -> None:
        """Apply `config` to every request from now on: a new client and request path when a client setting changed
        (transfers already running keep theirs), the connection budget, and the global rate limit when its setting
        changed (so a limit set with `set_rate_limit` survives saving other settings)."""
        before, after = self._applied, config.model_copy(deep=True)
        self._applied = after
        self.connections.resize(after.download.max_total_connections)
        if before.advanced.rate_limit_mbps != after.advanced.rate_limit_mbps:
            self.limits.global_bucket.set_rate(rate_limit_bytes(after.advanced.rate_limit_mbps))
        if _client_settings(before) != _client_settings(after):
            self._retired.append(self.http_client)  # closed with the services: running transfers may still hold it
            self.http_client, self.requests = self._make_client(after)

    async def aclose(self) -> None:
        for client in (self.http_client, *self._retired):
            await client.aclose()


def _client_settings(config: AppConfig) -> tuple[object, ...]:
    download = config.download
    return (proxy_url(config), download.user_agent, tuple(sorted(download.headers.items())),
            download.connect_timeout_seconds, download.timeout_seconds)

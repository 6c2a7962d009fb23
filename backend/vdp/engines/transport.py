"""The HTTP transport every engine's requests go through: httpx's API over aiohttp, with the fixes this app needs.

One job beyond speed: every failure leaves it as an `httpx.HTTPError`, so the engines' and probes'
`except httpx.HTTPError` sees it and `request_errors` can classify it. `httpx-aiohttp` lets aiohttp's
`ClientResponseError` (a malformed answer: a NUL in a header, data after `Connection: close`) through unmapped,
and maps a server that hung up (`ServerDisconnectedError`), a refused connection and a proxy that is down to a
connect *timeout*. Here a malformed answer, a hang-up mid-answer and a body aiohttp could not parse
(`ClientPayloadError`) become `MalformedResponse`, a proxy's failure `httpx.ProxyError` (`ProxyAuthRequired` for
a 407), and a refused connection `httpx.ConnectError`.
"""

from __future__ import annotations

from . import _aiohttp  # noqa: F401  (first, before anything imports aiohttp: see its docstring)

# isort: split
import asyncio
import contextlib
from typing import Any, AsyncIterator, Iterator, Optional

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport, transport as _aiohttp_transport

from .request_errors import MalformedResponse, ProxyAuthRequired
from .tls import TrustStoreError, load_trust, untrusted_context

# The transport reads the body in pieces of this size; its 16 KiB default costs a Python iteration per 16 KiB.
_aiohttp_transport.AiohttpResponseStream.CHUNK_SIZE = 1 << 20


_MALFORMED = (aiohttp.ClientResponseError, aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError)


def _aiohttp_cause(exc: BaseException) -> Optional[aiohttp.ClientError]:
    seen: Optional[BaseException] = exc
    while seen is not None:
        if isinstance(seen, aiohttp.ClientError):
            return seen
        seen = seen.__cause__
    return None


def _reclassified(cause: aiohttp.ClientError) -> Optional[httpx.HTTPError]:
    """What httpx-aiohttp got wrong: it maps by the first matching base class, so a refused connection and a proxy
    that is down both come out as a connect *timeout*, and a malformed answer is not mapped at all."""
    if isinstance(cause, aiohttp.ClientHttpProxyError):
        if cause.status == 407:
            return ProxyAuthRequired(f"the proxy requires a login (HTTP 407 {cause.message})".rstrip())
        return httpx.ProxyError(f"the proxy answered HTTP {cause.status} {cause.message}".rstrip())
    if isinstance(cause, aiohttp.ClientProxyConnectionError):
        return httpx.ProxyError(f"cannot connect to the proxy: {cause.os_error.strerror or cause.os_error}")
    if isinstance(cause, _MALFORMED):
        return MalformedResponse(_describe(cause))
    if isinstance(cause, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(cause))
    return None


@contextlib.contextmanager
def _classified() -> Iterator[None]:
    try:
        yield
    except (httpx.HTTPError, aiohttp.ClientError) as exc:
        if isinstance(exc, (MalformedResponse, httpx.ProxyError)):
            raise
        cause = _aiohttp_cause(exc)
        better = _reclassified(cause) if cause is not None else None
        if better is None:
            raise
        raise better from exc


def _describe(cause: BaseException) -> str:
    if isinstance(cause, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without a complete answer"
    if isinstance(cause, aiohttp.ClientResponseError):
        # aiohttp's parser says what was wrong; its first line, without the quoted bytes and caret below it
        return (cause.message or "").splitlines()[0].rstrip(": ") if cause.message else type(cause).__name__
    return str(cause) or type(cause).__name__


class _ClassifiedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _classified():
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with _classified():
            await self._inner.aclose()


class Transport(AiohttpTransport):
    """httpx's client re-sends a redirected GET with an unread empty stream, which aiohttp would send as a chunked body
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

    def get_client(self) -> aiohttp.ClientSession:
        """The parent's session without its cookie jar: cookies are the request path's (`request_path.py`), kept
        per transfer, so aiohttp's session-wide jar would only cost every request a pass and share cookies
        between unrelated downloads."""
        limit = {"limit": self.limits.max_connections} if self.limits.max_connections is not None else {}
        connector = aiohttp.TCPConnector(keepalive_timeout=self.limits.keepalive_expiry, ssl=self.ssl_context,
                                         **limit)  # type: ignore[arg-type]
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in ("GET", "HEAD"):
            await request.aread()
        if request.url.userinfo:
            request.url = request.url.copy_with(userinfo=b"")
        if not self._trusted and (request.url.scheme == "https" or self.proxy is not None):
            await self._load_trust()
        with _classified():
            response = await super().handle_async_request(request)
        if response.status_code == 407 and self.proxy is not None:  # a plain-HTTP request the proxy answered itself
            await response.aclose()
            raise ProxyAuthRequired("the proxy requires a login (HTTP 407)")
        response.stream = _ClassifiedStream(response.stream)  # type: ignore[arg-type]
        return response

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


class SocksTransport(httpx.AsyncBaseTransport):
    """httpx-socks for `socks4://` and `socks5://` proxies, with python-socks' own errors (which it lets through)
    turned into httpx's, so they are caught and classified like every other failed request."""

    def __init__(self, proxy: str, *, verify: bool) -> None:
        from httpx_socks import AsyncProxyTransport  # only a SOCKS user pays for importing it

        self._inner = AsyncProxyTransport.from_url(proxy, verify=verify)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import python_socks

        try:
            return await self._inner.handle_async_request(request)
        except python_socks.ProxyTimeoutError as exc:
            raise httpx.ProxyError(f"the proxy did not answer in time: {exc}") from exc
        except python_socks.ProxyConnectionError as exc:
            raise httpx.ProxyError(f"cannot connect to the proxy: {exc.strerror or exc}") from exc
        except python_socks.ProxyError as exc:
            # A SOCKS5 proxy refuses a login with a reply, or (some servers) by closing the connection.
            if "auth" in str(exc).lower() or "closed" in str(exc).lower():
                raise ProxyAuthRequired(f"the SOCKS proxy refused the connection ({exc}); is a login needed?") from exc
            raise httpx.ProxyError(f"the SOCKS proxy refused the request: {exc}") from exc

    async def aclose(self) -> None:
        await self._inner.aclose()

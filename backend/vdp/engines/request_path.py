"""The request path of the download engines: httpx's transport called directly, redirects followed here.

`httpx.AsyncClient.send` costs every request a cookie-jar pass (two: aiohttp's session keeps one too), an auth
flow, event hooks, a logging call and a second stream wrapper; on 500 small files that is a measurable part of
the loop's time (docs/benchmarks.md "HTTP profile"). A download needs little of it: the headers and timeouts from
the settings, Basic credentials from the URL, redirects, and cookies only when a server sets them. So this sends
`httpx.Request`s through the same transport the client uses and keeps the rest here:

- redirects (301/302/303/307/308 with a Location, at most `MAX_REDIRECTS`), only to http and https URLs: any other
  scheme fails as `httpx.UnsupportedProtocol` before anything is sent; the Range and If-Range headers go along;
  Authorization (from the URL or the settings) and the settings' Cookie header only while every hop stays on the
  first origin (or its https upgrade), as httpx's client does;
- cookies: a `httpx.Cookies` jar the caller owns (one per transfer), filled from the answers that set cookies and
  sent with the next requests of that transfer. A transfer whose server sets none never touches it.

Requests and answers stay httpx's objects, so `responses.py` and `request_errors.py` read them as before, and the
transport's failures are the classified `httpx.HTTPError`s of `transport.py`.
"""

from __future__ import annotations

from base64 import b64encode
from contextlib import asynccontextmanager
from typing import AsyncIterator, Mapping, Optional

import httpx

MAX_REDIRECTS = 10
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_SCHEMES = ("http", "https")
_CREDENTIALS = ("authorization", "cookie")


class RequestPath:
    """Sends GET requests with the settings' headers and timeouts. Built by the services for one
    configuration; a changed configuration builds a new one (transfers already running keep theirs)."""

    def __init__(self, transport: httpx.AsyncBaseTransport, *, headers: httpx.Headers, timeout: httpx.Timeout) -> None:
        self._transport = transport
        # The names as the settings spell them, and by lowercase name, so a request's own header replaces one of
        # them instead of adding a second.
        self._headers = {name.decode(): value.decode() for name, value in headers.raw}
        self._names = {name.lower(): name for name in self._headers}
        # What a redirect to another origin sends: the settings' headers without their credentials.
        self._anonymous = {name: value for name, value in self._headers.items() if name.lower() not in _CREDENTIALS}
        self._timeout = timeout.as_dict()

    async def send(self, url: str, headers: Optional[Mapping[str, str]] = None, *,
                   cookies: Optional[httpx.Cookies] = None) -> httpx.Response:
        """The answer to a GET after any redirects, its body not yet read (the caller reads or closes it)."""
        credentials = True  # while every hop stays on the first one's origin
        request = self._request(httpx.URL(url), headers, credentials=credentials, authorization=None)
        for _ in range(MAX_REDIRECTS + 1):
            if cookies:
                cookies.set_cookie_header(request)
            response = await self._transport.handle_async_request(request)
            response.request = request
            if cookies is not None and "set-cookie" in response.headers:
                cookies.extract_cookies(response)
            if response.status_code not in _REDIRECTS or "location" not in response.headers:
                return response
            await response.aclose()
            target = _location(request, response)
            # Credentials only while every hop stays on their origin, as httpx's client does; a GET stays a GET.
            credentials = credentials and _keeps_credentials(request.url, target)
            authorization = request.headers.get("authorization") if credentials else None
            request = self._request(target, headers, credentials=credentials, authorization=authorization)
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)

    @asynccontextmanager
    async def stream(self, url: str, headers: Optional[Mapping[str, str]] = None, *,
                     cookies: Optional[httpx.Cookies] = None) -> AsyncIterator[httpx.Response]:
        """`send`, with the answer closed when the block ends (read or not)."""
        response = await self.send(url, headers, cookies=cookies)
        try:
            yield response
        finally:
            await response.aclose()

    def _request(self, url: httpx.URL, headers: Optional[Mapping[str, str]], *, credentials: bool,
                 authorization: Optional[str]) -> httpx.Request:
        """`credentials`: whether the settings' Authorization and Cookie headers go along; `authorization`: the
        Authorization of the request redirected here, if it may keep it. Credentials in `url` replace both."""
        if url.scheme not in _SCHEMES:
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol '{url.scheme}://'.")
        merged = dict(self._headers if credentials else self._anonymous)
        for name, value in (headers or {}).items():
            merged[self._names.get(name.lower(), name)] = value
        if url.userinfo:  # credentials in the URL become Basic auth; the URL sent carries none
            authorization = _basic(url.username, url.password)
            url = url.copy_with(userinfo=b"")
        if authorization:
            merged[self._names.get("authorization", "Authorization")] = authorization
        request = httpx.Request("GET", url, headers=merged)
        request.extensions["timeout"] = self._timeout
        return request


def _location(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """Where a redirect points, read as httpx's client reads it."""
    try:
        target = httpx.URL(response.headers["location"])
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(f"Invalid URL in location header: {exc}.", request=request) from None
    if target.scheme and not target.host:  # "http:/path": a malformed absolute form
        target = target.copy_with(host=request.url.host)
    return request.url.join(target) if target.is_relative_url else target


def _basic(username: str, password: str) -> str:
    return "Basic " + b64encode(f"{username}:{password}".encode()).decode("ascii")


def _keeps_credentials(source: httpx.URL, target: httpx.URL) -> bool:
    """The same origin, or the same host moving from http to https on the default ports (httpx's rule)."""
    if (source.scheme, source.host, source.port) == (target.scheme, target.host, target.port):
        return True
    return (source.scheme == "http" and target.scheme == "https" and source.host == target.host
            and source.port in (80, None) and target.port in (443, None))

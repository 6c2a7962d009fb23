"""The download engines' request path (engines/request_path.py) against real servers on 127.0.0.1: redirects with
their scheme gate and hop limit, credentials only to their origin, cookies per transfer, the settings' headers."""

from __future__ import annotations

import base64
from typing import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from aiohttp import web
from multidict import CIMultiDict

from tests.support.services import open_services
from vdp.contract import AppConfig, DownloadConfig, ErrorCode
from vdp.engines.request_errors import error_for_exception
from vdp.engines.services import TransferServices

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Site:
    """An aiohttp server on 127.0.0.1 that records every request's path and headers."""

    def __init__(self) -> None:
        app = web.Application()
        app.router.add_get("/{path:.*}", self._answer)
        self._handlers: dict[str, Handler] = {}
        self.seen: list[tuple[str, CIMultiDict[str]]] = []
        self._runner = web.AppRunner(app)
        self.port = 0

    def on(self, path: str, handler: Handler) -> None:
        self._handlers[path] = handler

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((request.path, request.headers.copy()))
        return await self._handlers[request.path](request)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.seen]

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        await self._runner.cleanup()


def _redirect(location: str, status: int = 302) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location})

    return handler


async def _body(request: web.Request) -> web.StreamResponse:
    return web.Response(body=b"the file")


@pytest.fixture
async def sites() -> AsyncIterator[tuple[Site, Site]]:
    """Two origins (two ports of 127.0.0.1); each test adds its answers and starts the ones it uses."""
    pair = (Site(), Site())
    yield pair
    for site in pair:
        await site.stop()


@pytest.fixture
async def services() -> AsyncIterator[TransferServices]:
    async with open_services(DownloadConfig(user_agent="VDP-Path/1", headers={"X-Course": "42"})) as built:
        yield built


async def _get(services: TransferServices, url: str, **options: object) -> tuple[httpx.Response, bytes]:
    response = await services.requests.send(url, **options)  # type: ignore[arg-type]
    try:
        return response, await response.aread()
    finally:
        await response.aclose()


async def test_a_redirect_chain_keeps_the_range_and_the_settings_headers(services: TransferServices,
                                                                        sites: tuple[Site, Site]) -> None:
    site, _ = sites
    site.on("/hop1", _redirect("/hop2", 301))
    site.on("/hop2", _redirect("hop3", 307))  # relative to /hop2
    site.on("/hop3", _body)
    await site.start()
    response, body = await _get(services, site.url("/hop1"), headers={"Range": "bytes=0-"})
    assert (response.status_code, body, str(response.url)) == (200, b"the file", site.url("/hop3"))
    assert site.paths() == ["/hop1", "/hop2", "/hop3"]
    for _, headers in site.seen:
        assert (headers["Range"], headers["User-Agent"], headers["X-Course"]) == ("bytes=0-", "VDP-Path/1", "42")
        assert headers["Accept-Encoding"] == "identity"


async def test_a_request_header_replaces_the_settings_one_of_any_case(services: TransferServices,
                                                                     sites: tuple[Site, Site]) -> None:
    site, _ = sites
    site.on("/f", _body)
    await site.start()
    await _get(services, site.url("/f"), headers={"x-course": "override"})
    ((_, headers),) = site.seen
    assert headers.getall("X-Course") == ["override"]


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/x.bin", "file:///etc/passwd"])
async def test_a_redirect_leaves_http_never(services: TransferServices, sites: tuple[Site, Site],
                                            target: str) -> None:
    site, _ = sites
    site.on("/away", _redirect(target))
    await site.start()
    with pytest.raises(httpx.UnsupportedProtocol) as failure:
        await services.requests.send(site.url("/away"))
    assert error_for_exception(failure.value).code is ErrorCode.INVALID_URL
    assert site.paths() == ["/away"]


async def test_a_redirect_loop_stops_after_ten_hops(services: TransferServices, sites: tuple[Site, Site]) -> None:
    site, _ = sites
    site.on("/loop", _redirect("/loop"))
    await site.start()
    with pytest.raises(httpx.TooManyRedirects) as failure:
        await services.requests.send(site.url("/loop"))
    assert error_for_exception(failure.value).message == "Too many redirects"
    assert site.paths() == ["/loop"] * 11  # the request and ten redirects


async def test_url_credentials_go_to_their_origin_only(services: TransferServices, sites: tuple[Site, Site]) -> None:
    site, other = sites
    await other.start()
    site.on("/login", _redirect("/same"))
    site.on("/same", _redirect(other.url("/elsewhere")))
    other.on("/elsewhere", _body)
    await site.start()
    response, _ = await _get(services, site.url("/login").replace("://", "://course:s%3Acret@"))
    assert response.status_code == 200
    expected = "Basic " + base64.b64encode(b"course:s:cret").decode()
    assert [headers.get("Authorization") for _, headers in site.seen] == [expected, expected]
    ((_, elsewhere),) = other.seen
    assert "Authorization" not in elsewhere
    assert site.seen[0][1]["Host"] == f"127.0.0.1:{site.port}" and elsewhere["Host"] == f"127.0.0.1:{other.port}"


async def test_cookies_stay_with_the_transfer_that_got_them(services: TransferServices,
                                                           sites: tuple[Site, Site]) -> None:
    site, _ = sites

    async def grant(request: web.Request) -> web.StreamResponse:
        response = web.Response(status=302, headers={"Location": "/file"})
        response.set_cookie("pass", "granted", path="/")
        return response

    async def gated(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"the file") if request.cookies.get("pass") == "granted" else web.Response(status=403)

    site.on("/grant", grant)
    site.on("/file", gated)
    await site.start()
    jar = httpx.Cookies()
    assert (await _get(services, site.url("/grant"), cookies=jar))[0].status_code == 200
    assert (await _get(services, site.url("/file"), cookies=jar))[0].status_code == 200, "the next piece has it too"
    assert (await _get(services, site.url("/file"), cookies=httpx.Cookies()))[0].status_code == 403, "not shared"
    assert (await _get(services, site.url("/grant")))[0].status_code == 403, "no jar, no cookies"


async def test_new_settings_reach_the_next_request(services: TransferServices, sites: tuple[Site, Site]) -> None:
    site, _ = sites
    site.on("/f", _body)
    await site.start()
    running = services.requests
    services.configure(AppConfig(download=DownloadConfig(user_agent="VDP-Changed/2")))
    await _get(services, site.url("/f"))
    assert site.seen[-1][1]["User-Agent"] == "VDP-Changed/2"
    await (await running.send(site.url("/f"))).aclose()  # a transfer already running keeps its path until it ends
    assert site.seen[-1][1]["User-Agent"] == "VDP-Path/1"


async def test_a_cookie_header_from_the_settings_stays_on_its_origin_too(sites: tuple[Site, Site]) -> None:
    site, other = sites
    await site.start()
    await other.start()
    site.on("/start", _redirect("/same"))
    site.on("/same", _redirect(other.url("/elsewhere")))
    other.on("/elsewhere", _redirect(site.url("/back")))
    site.on("/back", _body)
    async with open_services(DownloadConfig(headers={"Cookie": "sid=1", "X-Course": "42"})) as services:
        await _get(services, site.url("/start"))
    assert [(path, headers.get("Cookie")) for path, headers in site.seen] == [
        ("/start", "sid=1"), ("/same", "sid=1"), ("/back", None)]  # once it left its origin, it is gone for good
    ((_, elsewhere),) = other.seen
    assert "Cookie" not in elsewhere and elsewhere["X-Course"] == "42"

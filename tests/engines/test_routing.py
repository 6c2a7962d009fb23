"""Routing table: every rule, the tricky URLs, real probes against 127.0.0.1, and a bounded probe pool."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from vdp.contract import DownloaderType, ErrorCode
from vdp.engines.routing import (
    ProbePool,
    ProbeResult,
    decide_from_probe,
    http_probe,
    route,
    route_by_url,
    validate_url,
)
from vdp.errors import VdpError

HTTP, M3U8, YTDLP = DownloaderType.HTTP, DownloaderType.M3U8, DownloaderType.YOUTUBE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://cdn.example.com/live/index.m3u8", M3U8),
        ("https://cdn.example.com/live/INDEX.M3U8?token=abc&exp=1", M3U8),
        ("https://cdn.example.com/radio/list.m3u", M3U8),
        ("https://www.youtube.com/live.m3u8", M3U8),  # a playlist path beats the site rule
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YTDLP),
        ("https://youtu.be/dQw4w9WgXcQ", YTDLP),
        ("https://m.bilibili.com/video/BV1xx411c7mD", YTDLP),
        ("https://vimeo.com/76979871", YTDLP),
        ("https://WWW.TikTok.com/@user/video/1", YTDLP),
        ("https://www.youtube.com/embed/x.mp4", YTDLP),  # a known site wins over a file extension
        ("https://cdn.example.com/files/movie.mp4", HTTP),
        ("https://cdn.example.com/files/MOVIE.MKV", HTTP),
        ("https://cdn.example.com/files/movie.mp4?sig=xyz&name=a.m3u8", HTTP),  # the query is not the path
        ("https://cdn.example.com/a%20b/song.Mp3#t=10", HTTP),
        ("https://cdn.example.com/setup.zip", HTTP),
        ("https://cdn.example.com/report.pdf", HTTP),
        ("https://youtube.com.evil.example/clip.webm", HTTP),  # not youtube.com: suffix match, not substring
        ("https://notyoutube.com/watch?v=1", None),
        ("https://example.com/watch?v=1", None),
        ("https://example.com/", None),
        ("https://example.com/video.mp4/", None),  # the last segment has no extension
    ],
)
def test_routing_table(url, expected):
    decision = route_by_url(url)
    assert (decision.downloader_type if decision else None) is expected
    if decision:
        assert decision.reason


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a.mp4", "file:///etc/passwd", "javascript:alert(1)", "example.com/a.mp4", "", "http://", "http://[::1"]
)
async def test_only_http_links_are_routed(url):
    with pytest.raises(VdpError) as err:
        await route(url, forced=HTTP)
    assert err.value.code is ErrorCode.INVALID_URL
    assert "http" in err.value.message


@pytest.mark.parametrize(
    ("content_type", "final_url", "expected"),
    [
        ("application/vnd.apple.mpegurl", "https://a.example/stream", M3U8),
        ("application/x-mpegurl", "https://a.example/stream", M3U8),
        ("application/octet-stream", "https://a.example/hls/Index.M3U8?x=1", M3U8),
        ("text/html", "https://a.example/watch/42", YTDLP),
        ("application/xhtml+xml", "https://a.example/watch/42", YTDLP),
        ("video/mp4", "https://a.example/get?id=1", HTTP),
        ("", "https://a.example/get?id=1", HTTP),
    ],
)
def test_probe_decisions(content_type, final_url, expected):
    assert decide_from_probe(ProbeResult(content_type, final_url)).downloader_type is expected


def test_validate_url_keeps_the_original_rules():
    assert validate_url("https://www.youtube.com/watch?v=1")
    assert validate_url("http://sub.dailymotion.com/video/x")
    assert validate_url("https://cdn.example.com/a.WEBM")
    assert validate_url("https://cdn.example.com/play?format=m3u8")
    assert not validate_url("https://cdn.example.com/a.mp3")  # the original accepted video extensions only
    assert not validate_url("https://example.com/page")
    assert not validate_url("ftp://example.com/a.mp4")
    assert not validate_url("https://notyoutube.com/watch")


class ProbeSite:
    """Answers probes the way real servers do; counts the probes it is holding at once."""

    def __init__(self, hold_until: int = 0, expected: int = 0) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        self.base_url = ""
        self.hold_until, self.expected = hold_until, expected
        self.active = self.peak = self.finished = 0
        self._reached = 0  # how many times `hold_until` probes were in flight together
        self._changed = asyncio.Condition()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path, request.headers.get("Range")))
        name = request.match_info["name"]
        if name == "page":
            return web.Response(text="<html></html>", content_type="text/html")
        if name == "file":
            return web.Response(body=b"\0" * 16, content_type="application/octet-stream")
        if name == "typed-hls":
            return web.Response(text="#EXTM3U\n", content_type="application/vnd.apple.mpegurl")
        if name == "moved":
            raise web.HTTPFound(self.url("cdn/Index.M3U8?sig=1"))
        if name == "no-head":
            if request.method == "HEAD":
                raise web.HTTPMethodNotAllowed("HEAD", ["GET"])
            return web.Response(text="<html></html>", content_type="text/html")
        if name == "movie.mp4":
            raise web.HTTPNotFound(text="<html>gone</html>", content_type="text/html")
        if name.startswith("link"):
            return await self._held(request)
        raise web.HTTPNotFound()

    async def playlist(self, request: web.Request) -> web.Response:
        # Served as text/plain, as some CDNs do: only the final URL says it is HLS.
        return web.Response(text="#EXTM3U\n", content_type="text/plain")

    async def _held(self, request: web.Request) -> web.Response:
        # Hold each probe until `hold_until` are in flight together (or every other link was answered), so the
        # peak reaches the pool's bound whenever the pool allows it and exceeds it whenever the pool leaks. All the
        # probes held at that moment go: were only the last to arrive let through, the others would wait for the
        # end of the batch and, on a slow machine, outlast the probe's read timeout (a retry then counts twice).
        async with self._changed:
            self.active += 1
            self.peak = max(self.peak, self.active)
            arrived_after = self._reached
            if self.active >= self.hold_until:
                self._reached += 1
            self._changed.notify_all()
            await self._changed.wait_for(
                lambda: self._reached > arrived_after or self.finished + self.active >= self.expected
            )
            self.active -= 1
            self.finished += 1
            self._changed.notify_all()
        return web.Response(text="<html></html>", content_type="text/html")


async def _serve(site: ProbeSite):
    app = web.Application()
    app.router.add_route("*", "/cdn/{tail:.*}", site.playlist)
    app.router.add_route("*", "/{name}", site.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.base_url = f"http://127.0.0.1:{tcp._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    return runner


@pytest.fixture
async def probe_site():
    site = ProbeSite()
    runner = await _serve(site)
    yield site
    await runner.cleanup()


@pytest.mark.parametrize(
    ("path", "expected", "reason_word"),
    [
        ("page", YTDLP, "web page"),
        ("file", HTTP, "application/octet-stream"),
        ("typed-hls", M3U8, "HLS"),
        ("moved", M3U8, "redirected"),
    ],
)
async def test_probe_decides_what_the_url_does_not(probe_site, path, expected, reason_word):
    decision = await route(probe_site.url(path))
    assert decision.downloader_type is expected
    assert reason_word in decision.reason
    assert probe_site.requests[0][0] == "HEAD"


async def test_refused_head_falls_back_to_a_ranged_get(probe_site):
    decision = await route(probe_site.url("no-head"))
    assert decision.downloader_type is YTDLP
    assert [(m, r) for m, _, r in probe_site.requests] == [("HEAD", None), ("GET", "bytes=0-1023")]


async def test_html_error_page_for_a_file_url_stays_http_without_a_probe(probe_site):
    decision = await route(probe_site.url("movie.mp4"))
    assert decision.downloader_type is HTTP
    assert probe_site.requests == []  # decided by the extension; the HTTP engine reports the HTML page


async def test_forced_engine_wins_without_a_probe(probe_site):
    decision = await route(probe_site.url("page"), forced=HTTP)
    assert decision.downloader_type is HTTP and "user" in decision.reason
    assert probe_site.requests == []


async def test_unreachable_link_falls_back_to_http_with_the_reason():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the probe: connection refused
    decision = await route(f"http://127.0.0.1:{port}/watch")
    assert decision.downloader_type is HTTP
    assert "could not inspect" in decision.reason


async def test_injected_probe_is_used():
    seen: list[str] = []

    async def probe(url: str) -> ProbeResult:
        seen.append(url)
        return ProbeResult("application/x-mpegurl", url)

    decision = await route("https://example.com/stream", probe=probe)
    assert decision.downloader_type is M3U8 and seen == ["https://example.com/stream"]


async def test_fifty_pasted_links_probe_at_most_four_at_a_time():
    links = 50
    site = ProbeSite(hold_until=4, expected=links)
    in_flight = peak = 0

    async def counted_probe(url: str) -> ProbeResult:
        # Counted on entry, before the first await: a pool that let every link through would show 50 here.
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            return await http_probe(url)
        finally:
            in_flight -= 1

    runner = await _serve(site)
    try:
        pool = ProbePool(max_concurrency=4, probe=counted_probe)
        decisions = await pool.route_many([site.url(f"link{i}") for i in range(links)])
    finally:
        await runner.cleanup()
    assert [d.downloader_type for d in decisions] == [YTDLP] * links
    assert site.finished == links
    assert peak == site.peak == 4  # the bound is reached, and never exceeded, client- and server-side


async def test_route_many_keeps_order_and_reports_bad_links_in_place(probe_site):
    pool = ProbePool(max_concurrency=2)
    urls = [probe_site.url("file"), "ftp://x/y", "https://youtu.be/abc", probe_site.url("page")]
    results = await pool.route_many(urls)
    assert isinstance(results[1], VdpError) and results[1].code is ErrorCode.INVALID_URL
    assert [r.downloader_type for i, r in enumerate(results) if i != 1] == [HTTP, YTDLP, YTDLP]

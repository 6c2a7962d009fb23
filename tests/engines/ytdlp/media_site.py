"""A small web site on 127.0.0.1 for yt-dlp's generic extractor, and a progress sink that records what it gets.

yt-dlp (2026.10) extracts from 127.0.0.1 pages as-is: `<video src>`/`<source>` go through its html5 parser,
og:video through the generic extractor, an HLS `<source>` is fetched and parsed. No `force_generic_extractor`
and no network access beyond loopback are needed.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
from dataclasses import dataclass, field
from typing import Optional

from aiohttp import web

PIECE = 64 * 1024


def _payload(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Gate:
    """Holds a media response after `after_bytes` were written: `served` fires, the rest waits for `release`."""

    after_bytes: int
    served: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)  # the gated response ended (sent or dropped)
    completed: bool = False  # ... and the whole body was sent


def _page(title: str, body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


HLS_SEGMENTS = [_payload(100 + i, 150_000) for i in range(3)]
MEDIA = {
    # Larger than loopback socket buffers, so a paused download that kept its connection would stall the server.
    "clip.mp4": _payload(1, 8 * 1024 * 1024),
    "clip_360.mp4": _payload(2, 300_000),
    "clip_720.mp4": _payload(3, 500_000),
    "second.mp4": _payload(4, 200_000),
}


@dataclass
class MediaSite:
    base_url: str = ""
    media: dict[str, bytes] = field(default_factory=lambda: dict(MEDIA))
    range_headers: list[Optional[str]] = field(default_factory=list)
    user_agents: list[Optional[str]] = field(default_factory=list)
    gate: Optional[Gate] = None

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    @property
    def hls_bytes(self) -> bytes:
        return b"".join(HLS_SEGMENTS)


PAGES = {
    "video.html": _page("Sample Clip", '<video src="clip.mp4" controls></video>'),
    "sources.html": _page(
        "Two Sizes",
        '<video controls><source src="clip_360.mp4" type="video/mp4" res="360" label="360p">'
        '<source src="clip_720.mp4" type="video/mp4" res="720" label="720p">'
        '<track kind="subtitles" src="en.vtt" srclang="en" label="English"></video>',
    ),
    "og.html": _page(
        "ignored",
        "<p>a page with an Open Graph video</p>",
        '<meta property="og:title" content="OG Title"><meta property="og:video" content="clip_360.mp4">',
    ),
    "hls.html": _page("Live Class", '<video><source src="stream/index.m3u8" type="application/x-mpegURL"></video>'),
    "master.html": _page("Variants", '<video><source src="stream/master.m3u8" type="application/x-mpegURL"></video>'),
    "two.html": _page("Two Videos", '<video src="clip_360.mp4"></video><video src="second.mp4"></video>'),
    "plain.html": _page("Nothing Here", "<p>no media on this page</p>"),
    "broken.html": _page("Broken", '<video src="gone.mp4"></video>'),
}

MEDIA_PLAYLIST = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n" + "".join(
    f"#EXTINF:4.0,\ns{i}.ts\n" for i in range(len(HLS_SEGMENTS))
) + "#EXT-X-ENDLIST\n"
MASTER_PLAYLIST = (
    "#EXTM3U\n"
    '#EXT-X-STREAM-INF:BANDWIDTH=1500000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2"\nindex.m3u8\n'
    '#EXT-X-STREAM-INF:BANDWIDTH=9000000,RESOLUTION=3840x2160,CODECS="avc1.640033,mp4a.40.2"\nindex.m3u8\n'
)


def site_app(site: MediaSite) -> web.Application:
    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in PAGES:
            raise web.HTTPNotFound()
        return web.Response(text=PAGES[name], content_type="text/html")

    async def subtitles(request: web.Request) -> web.Response:
        return web.Response(text="WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n", content_type="text/vtt")

    async def playlist(request: web.Request) -> web.Response:
        text = MASTER_PLAYLIST if request.match_info["name"] == "master" else MEDIA_PLAYLIST
        return web.Response(text=text, content_type="application/vnd.apple.mpegurl")

    async def segment(request: web.Request) -> web.Response:
        return web.Response(body=HLS_SEGMENTS[int(request.match_info["index"])], content_type="video/mp2t")

    async def media(request: web.Request) -> web.StreamResponse:
        body = site.media.get(request.match_info["name"])
        if body is None:
            raise web.HTTPNotFound()
        header = request.headers.get("Range")
        site.range_headers.append(header)
        site.user_agents.append(request.headers.get("User-Agent"))
        start = int(m.group(1)) if header and (m := re.match(r"bytes=(\d+)-", header)) else 0
        if start >= len(body) > 0:
            raise web.HTTPRequestRangeNotSatisfiable(headers={"Content-Range": f"bytes */{len(body)}"})
        headers = {"Content-Type": "video/mp4", "Accept-Ranges": "bytes", "Content-Length": str(len(body) - start)}
        if header:
            headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
        response = web.StreamResponse(status=206 if header else 200, headers=headers)
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        sent, gate = 0, site.gate
        try:
            for offset in range(start, len(body), PIECE):
                chunk = body[offset : offset + PIECE]
                await response.write(chunk)
                sent += len(chunk)
                if gate and not gate.served.is_set() and sent >= gate.after_bytes:
                    gate.served.set()
                    await gate.release.wait()
            await response.write_eof()
            if gate:
                gate.completed = True
        except ConnectionError:
            pass  # the downloader dropped the connection (pause/cancel)
        finally:
            if gate:
                gate.finished.set()
        return response

    app = web.Application()
    app.router.add_get("/en.vtt", subtitles)
    app.router.add_get("/stream/{name}.m3u8", playlist)
    app.router.add_get(r"/stream/s{index:\d+}.ts", segment)
    app.router.add_get(r"/{name:[\w.]+\.html}", page)
    app.router.add_get(r"/{name:[\w.]+\.mp4}", media)
    return app


class RecordingSink:
    """A ProgressSink that keeps what the engine reported."""

    def __init__(self) -> None:
        self.downloaded = 0
        self.total: Optional[int] = None
        self.advances = 0
        self.restarts: list[int] = []

    def advance(self, nbytes: int) -> None:
        assert nbytes > 0
        self.downloaded += nbytes
        self.advances += 1

    def set_total(self, total: Optional[int]) -> None:
        self.total = total

    def restart(self, downloaded: int) -> None:
        self.downloaded = downloaded
        self.restarts.append(downloaded)

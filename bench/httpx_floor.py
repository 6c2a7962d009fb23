"""The floor for any Python downloader built on httpx: fetch URLs into a folder and nothing else.

    python -m bench.httpx_floor OUT_DIR JOBS URL...
    python -m bench.httpx_floor --layer LAYER --report OUT_DIR JOBS URL...

1 MiB reads, `pwrite`, and an fsync per file so the files are on disk when it exits, as vdp's are. No database,
no events, no resume, no names from the server, no retries: what is left is the cost of Python, the HTTP stack and
the disk, which no program built on them avoids.

`--layer` picks how deep into the same stack the requests go (the default, `client`, is the one the HTTP table's
floor row uses):

- `client`: `httpx.AsyncClient` over httpx-aiohttp's transport (cookies, auth, redirects, event hooks per request);
- `transport`: that transport's `handle_async_request(httpx.Request(...))`, no client;
- `httpcore`: `httpcore.AsyncConnectionPool`, httpx's own transport layer, no httpx objects at all;
- `aiohttp`: `aiohttp.ClientSession` directly;
- `vdp`: vdp's own request path (`engines.request_path.RequestPath` over the services' transport), as the engines
  send requests.

`--report` prints one JSON line when done: the CPU seconds (user+sys, every thread) and wall seconds of the
fetching alone, from the first request to the last fsync (imports and start-up excluded), so a run can be divided
by its URLs into a per-request cost (`python -m bench.http_layers` does that for every layer). `--discard` reads
each body and drops it (no file, no fsync): what is left is the HTTP stack alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING, AsyncIterator, Awaitable, Callable, Optional

if TYPE_CHECKING:
    import httpx  # the layers import it when chosen: its import is part of what a layer costs

READ = 1 << 20
LAYERS = ("client", "transport", "httpcore", "aiohttp", "vdp")

Body = Callable[[str], AsyncIterator[bytes]]  # url -> the body's pieces


async def _discard(body: Body, url: str) -> None:
    async for _ in body(url):
        pass


async def _fetch(body: Body, url: str, out: Path) -> None:
    fd = os.open(out / url.rsplit("/", 1)[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        offset = 0
        async for data in body(url):
            offset += os.pwrite(fd, data, offset)
        await asyncio.to_thread(os.fsync, fd)
    finally:
        os.close(fd)


def _httpx_layer(layer: str) -> tuple[Body, Callable[[], Awaitable[None]]]:
    import httpx
    from httpx_aiohttp import AiohttpTransport, transport as aiohttp_transport

    aiohttp_transport.AiohttpResponseStream.CHUNK_SIZE = READ
    transport = AiohttpTransport()
    if layer == "client":
        client = httpx.AsyncClient(transport=transport)

        async def via_client(url: str) -> AsyncIterator[bytes]:
            async with client.stream("GET", url) as response:
                response.raise_for_status()
                async for data in response.aiter_raw():
                    yield data

        return via_client, client.aclose

    async def via_transport(url: str) -> AsyncIterator[bytes]:
        async for data in _read_whole(await transport.handle_async_request(httpx.Request("GET", url))):
            yield data

    return via_transport, transport.aclose


async def _read_whole(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body of an answer that was sent without a client, closed at the end."""
    try:
        response.raise_for_status()
        async for data in response.aiter_raw():
            yield data
    finally:
        await response.aclose()


def _httpcore_layer() -> tuple[Body, Callable[[], Awaitable[None]]]:
    import httpcore

    pool = httpcore.AsyncConnectionPool(max_connections=64)

    async def via_httpcore(url: str) -> AsyncIterator[bytes]:
        async with pool.stream("GET", url) as response:
            if response.status >= 400:
                raise RuntimeError(f"HTTP {response.status}")
            async for data in response.aiter_stream():  # httpcore reads 64 KiB at a time (fixed)
                yield data

    return via_httpcore, pool.aclose


def _aiohttp_layer() -> tuple[Body, Callable[[], Awaitable[None]]]:
    import aiohttp

    session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False)

    async def via_aiohttp(url: str) -> AsyncIterator[bytes]:
        async with session.get(url) as response:
            response.raise_for_status()
            while data := await response.content.read(READ):
                yield data

    return via_aiohttp, session.close


def _vdp_layer() -> tuple[Body, Callable[[], Awaitable[None]]]:
    from vdp.contract import AppConfig
    from vdp.engines.services import TransferServices

    services = TransferServices(AppConfig())

    async def via_vdp(url: str) -> AsyncIterator[bytes]:
        async for data in _read_whole(await services.requests.send(url)):
            yield data

    return via_vdp, services.aclose


def _layer(name: str) -> tuple[Body, Callable[[], Awaitable[None]]]:
    if name in ("client", "transport"):
        return _httpx_layer(name)
    if name == "httpcore":
        return _httpcore_layer()
    if name == "aiohttp":
        return _aiohttp_layer()
    return _vdp_layer()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process
    return usage.ru_utime + usage.ru_stime


async def main(out: Path, jobs: int, urls: list[str], layer: str = "client", report: bool = False,
               discard: bool = False) -> None:
    body, close = _layer(layer)
    limit = asyncio.Semaphore(jobs)

    async def one(url: str) -> None:
        async with limit:
            await (_discard(body, url) if discard else _fetch(body, url, out))

    cpu, wall = _cpu(), time.perf_counter()
    try:
        await asyncio.gather(*(one(url) for url in urls))
        cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    finally:
        await close()
    if report:
        print(json.dumps({"layer": layer, "requests": len(urls), "cpu": cpu, "wall": wall}), flush=True)


def _arguments(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.httpx_floor")
    parser.add_argument("--layer", choices=LAYERS, default="client")
    parser.add_argument("--report", action="store_true", help="print the fetching's CPU and wall seconds as JSON")
    parser.add_argument("--discard", action="store_true", help="read each body and drop it: the HTTP stack alone")
    parser.add_argument("out", type=Path)
    parser.add_argument("jobs", type=int)
    parser.add_argument("urls", nargs="+")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = _arguments()
    asyncio.run(main(args.out, args.jobs, args.urls, args.layer, args.report, args.discard))

"""The floor for any Python downloader built on httpx: fetch URLs into a folder and nothing else.

    python -m bench.httpx_floor OUT_DIR JOBS URL...

httpx with the aiohttp transport (the one vdp uses; httpx's own moves a third as many bytes per second), 1 MiB
reads, `pwrite`, and an fsync per file so the files are on disk when it exits, as vdp's are. No database, no
events, no resume, no names from the server, no retries: what is left is the cost of Python, the HTTP stack and
the disk, which no program built on them avoids.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
from httpx_aiohttp import AiohttpTransport, transport as aiohttp_transport

aiohttp_transport.AiohttpResponseStream.CHUNK_SIZE = 1 << 20


async def _fetch(client: httpx.AsyncClient, url: str, out: Path) -> None:
    fd = os.open(out / url.rsplit("/", 1)[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        async with client.stream("GET", url) as response:
            response.raise_for_status()
            offset = 0
            async for data in response.aiter_raw():
                offset += os.pwrite(fd, data, offset)
        await asyncio.to_thread(os.fsync, fd)
    finally:
        os.close(fd)


async def main(out: Path, jobs: int, urls: list[str]) -> None:
    limit = asyncio.Semaphore(jobs)

    async def one(url: str) -> None:
        async with limit:
            await _fetch(client, url, out)

    async with httpx.AsyncClient(transport=AiohttpTransport()) as client:
        await asyncio.gather(*(one(url) for url in urls))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]))

"""The connection budget shared by all downloads: parallel segments of several HLS downloads together stay within
`max_total_connections`, while every download keeps its own connection and finishes."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from tests.support.services import open_services
from vdp.contract import DownloadConfig

from .hls_fixtures import make_run, media_playlist, serve_segments


class InFlight:
    """Segment requests the server is answering at once, across every path."""

    def __init__(self, server) -> None:  # type: ignore[no-untyped-def]
        self.now = 0
        self.most = 0
        self._server = server

    async def slowly(self, request: web.Request) -> web.StreamResponse:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0.005)  # a slow server, so that the clients' requests overlap
            return self._server.serve(request)
        finally:
            self.now -= 1


def _stream(server, in_flight: InFlight, folder: str, seed: int) -> list[bytes]:  # type: ignore[no-untyped-def]
    bodies = serve_segments(server, folder, 12, seed=seed)
    for i in range(len(bodies)):
        server.on(f"{folder}/seg{i}.ts", in_flight.slowly)
    server.add_playlist(f"{folder}/index.m3u8", media_playlist([f"#EXTINF:4,\nseg{i}.ts" for i in range(12)]))
    return bodies


async def _two_downloads(server, engine, tmp_path, limit: int) -> int:  # type: ignore[no-untyped-def]
    """Two downloads sharing one set of services whose budget is `limit` connections."""
    in_flight = InFlight(server)
    async with open_services(DownloadConfig(max_total_connections=limit)) as services:
        runs, expected = [], []
        for n in range(2):
            expected.append(b"".join(_stream(server, in_flight, f"/v{n}", seed=n + 1)))
            runs.append(make_run(tmp_path / f"out{n}", server.url(f"/v{n}/index.m3u8"), services=services,
                                 hls_segment_concurrency=8))
        results = await asyncio.gather(*(engine.transfer(run.ctx) for run in runs))
        assert [r.file_path.read_bytes() for r in results] == expected
        assert services.connections.in_use == 0  # every lease and both downloads' own connections were given back
    return in_flight.most


@pytest.mark.parametrize("limit", [1, 3, 6])
async def test_parallel_segments_of_all_downloads_stay_within_the_budget(server, engine, tmp_path, limit):
    most = await _two_downloads(server, engine, tmp_path, limit)
    assert most <= max(limit, 2)  # two downloads always have their own connection each


async def test_without_a_tight_budget_the_same_downloads_run_wider(server, engine, tmp_path):
    """The control: what the budget prevents does happen without it."""
    assert await _two_downloads(server, engine, tmp_path, 256) > 6  # the most the config allows


async def test_the_runtime_applies_the_configured_budget_to_every_download(server, kit):
    """Through the app: `max_total_connections` from the config bounds two HLS downloads running together."""
    await kit.configure(max_total_connections=3, hls_segment_concurrency=8, concurrent_downloads=2)
    in_flight = InFlight(server)
    ids = []
    for n in range(2):
        _stream(server, in_flight, f"/app{n}", seed=10 + n)
        ids.append(await kit.add(server.url(f"/app{n}/index.m3u8")))
    await kit.call("start_all_downloads", outputPath=str(kit.out))
    finished = [await kit.finish(task_id) for task_id in ids]
    assert [t.status.value for t in finished] == ["Completed", "Completed"], [t.error_message for t in finished]
    assert 2 <= in_flight.most <= 3

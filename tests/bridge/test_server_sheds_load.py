"""Server mode sheds load (docs/security.md), over real sockets: idle and half-open connections are closed, a flood
of them never keeps a real request out (not even under a low descriptor limit), the Host header is checked, and
malformed paths, deep JSON and oversized values are clear 400s."""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
from pathlib import Path
from typing import AsyncIterator

import aiohttp
import pytest

from tests.support.appkit import AppKit
from vdp.bridge.connection_guard import ConnectionGuard
from vdp.bridge.server import ServerMode

TOKEN = "secret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GUARD = 60  # seconds: only so a regression fails instead of hanging; never a measurement


@pytest.fixture
async def served(kit: AppKit) -> AsyncIterator[ServerMode]:
    server = ServerMode(kit.app, token=TOKEN, guard=ConnectionGuard(limit=8, header_timeout=0.5))
    await server.start()
    yield server
    await server.stop()


def _base(server: ServerMode) -> str:
    return f"http://127.0.0.1:{server.port}"


async def _raw(port: int, request: bytes) -> bytes:
    """One request written by hand (aiohttp would encode the path), the whole answer read back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    answer = await asyncio.wait_for(reader.read(), GUARD)
    writer.close()
    return answer


async def _status(port: int, path: str, host: str = "127.0.0.1") -> int:
    answer = await _raw(port, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.2:{port}", "localhost.evil:{port}"])
async def test_a_foreign_host_header_is_refused(served: ServerMode, host: str) -> None:
    """A DNS-rebound page names its own host: refused before anything else, the UI files included."""
    host = host.format(port=served.port)
    assert await _status(served.port, "/", host) == 403
    async with aiohttp.ClientSession(headers={**AUTH, "Host": host}) as http:
        async with http.post(f"{_base(served)}/api/invoke/get_config") as response:
            assert response.status == 403 and (await response.json())["code"] == "forbidden"


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "127.0.0.1", "localhost"])
async def test_loopback_host_headers_are_served(served: ServerMode, host: str) -> None:
    async with aiohttp.ClientSession(headers={**AUTH, "Host": host.format(port=served.port)}) as http:
        async with http.post(f"{_base(served)}/api/invoke/get_config") as response:
            assert response.status == 200


@pytest.mark.parametrize("path", ["/a%00b", "/assets/%00", "/%ff%fe", "/%c0%af", "/x%0a"])
async def test_static_paths_with_nul_or_bad_encoding_are_400(served: ServerMode, path: str) -> None:
    assert await _status(served.port, path) == 400


@pytest.mark.parametrize("body", [b"[" * 200_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000])
async def test_deeply_nested_json_is_a_clear_400(served: ServerMode, body: bytes) -> None:
    async with aiohttp.ClientSession(headers=AUTH) as http:
        async with http.post(f"{_base(served)}/api/invoke/get_config", data=body) as response:
            assert response.status == 400
            answer = await response.json()
            assert answer["code"] == "invalid_json" and "nested too deeply" in answer["error"]


@pytest.mark.parametrize("field", ["title", "id", "url", "output_path"])
async def test_oversized_task_values_are_a_clear_400(served: ServerMode, kit: AppKit, field: str) -> None:
    task = {"id": "t1", "url": "http://127.0.0.1:9/a.mp4", "title": "a", "output_path": "/tmp/vdp-out"}
    task[field] = {"id": "t" * 3_000_000, "url": "http://127.0.0.1/" + "a" * 3_000_000,
                   "title": "x" * 3_000_000, "output_path": "/" + "d" * 3_000_000}[field]
    async with aiohttp.ClientSession(headers=AUTH) as http:
        async with http.post(f"{_base(served)}/api/invoke/add_download_tasks", json={"tasks": [task]}) as response:
            assert response.status == 400
            answer = await response.json()
            assert answer["code"] == "invalid_argument" and "characters" in answer["error"], answer["error"][:300]
        async with http.post(f"{_base(served)}/api/invoke/remove_download_tasks",
                             json={"taskIds": ["t" * 1_000_000]}) as response:
            assert response.status == 400
        async with http.post(f"{_base(served)}/api/invoke/add_urls",
                             json={"urls": ["http://127.0.0.1/" + "a" * 1_000_000]}) as response:
            assert response.status == 400
    assert kit.app.runtime.tasks() == []


async def test_a_connection_that_sends_nothing_is_closed(served: ServerMode) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
    writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a head that never ends (slow loris)
    assert await asyncio.wait_for(reader.read(), GUARD) == b"", "the server closed it"
    writer.close()
    assert served.guard.shed >= 1


async def test_idle_connections_never_keep_a_request_out(served: ServerMode) -> None:
    idle = [await asyncio.open_connection("127.0.0.1", served.port) for _ in range(served.guard.limit * 3)]
    try:
        async with aiohttp.ClientSession(headers=AUTH) as http:
            async with http.post(f"{_base(served)}/api/invoke/get_config") as response:
                assert response.status == 200
        assert served.guard.open <= served.guard.limit
    finally:
        for _, writer in idle:
            writer.close()


_SERVE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
from vdp.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


async def test_a_flood_of_half_open_connections_under_a_low_descriptor_limit(tmp_path: Path) -> None:
    """`vdp serve` limited to 256 descriptors; 1,100 connections that send nothing; a real request still answers,
    and the log stays small (no accept() error loop)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1400:
        pytest.skip(f"the test itself needs 1,400 descriptors (limit {soft})")
    log = tmp_path / "serve.log"
    with open(log, "wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _SERVE, "--data-dir", str(tmp_path / "data"), "serve", "--port", "0",
            "--token", TOKEN, stdout=asyncio.subprocess.PIPE, stderr=stderr)
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), GUARD)).decode()  # type: ignore[union-attr]
        base = line.split("serving at ")[1].split("/#")[0]
        port = int(base.rsplit(":", 1)[1])

        async def connect() -> object:
            try:
                return await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
            except (TimeoutError, OSError):
                return None  # the listen queue was full: the kernel dropped it

        flood = await asyncio.gather(*(connect() for _ in range(1_100)))
        assert sum(1 for c in flood if c) > 300, "the flood reached the server"
        async with aiohttp.ClientSession(headers=AUTH) as http:
            async with http.post(f"{base}/api/invoke/get_download_tasks",
                                 timeout=aiohttp.ClientTimeout(total=GUARD)) as response:
                assert response.status == 200 and await response.json() == []
        for pair in flood:
            if pair:
                pair[1].close()  # type: ignore[index]
        proc.terminate()
        assert await asyncio.wait_for(proc.wait(), GUARD) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    text = log.read_text(errors="replace")
    assert len(text) < 20_000 and "Traceback" not in text, text[-3000:]


async def test_accept_failures_are_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    """asyncio reports each failed accept() (EMFILE); a flood of reports becomes one line with a count."""
    loop = asyncio.get_running_loop()
    guard = ConnectionGuard(limit=8)
    previous = guard.install_accept_log_filter(loop)
    try:
        with caplog.at_level("INFO", logger="vdp.bridge.connection_guard"):
            for _ in range(5_000):
                loop.call_exception_handler({"message": "socket.accept() out of system resource",
                                             "exception": OSError(24, "Too many open files")})
        lines = [r for r in caplog.records if "cannot accept connections" in r.getMessage()]
        assert len(lines) == 1 and "Too many open files" in lines[0].getMessage()
    finally:
        loop.set_exception_handler(previous)


async def test_busy_connections_are_never_evicted(served: ServerMode) -> None:
    """Every slot held by a live event stream: a new connection is refused, the streams stay open."""
    async with aiohttp.ClientSession() as http:
        streams = [await http.ws_connect(f"{_base(served)}/api/events?token={TOKEN}")
                   for _ in range(served.guard.limit)]
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
            assert await asyncio.wait_for(reader.read(), GUARD) == b"", "refused: every connection is busy"
            writer.close()
            assert all(not stream.closed for stream in streams)
        finally:
            for stream in streams:
                await stream.close()


def test_without_a_descriptor_limit_to_read_the_guard_takes_a_fixed_one() -> None:
    """Windows has no `resource` module: the connection guard still loads, and takes 256 connections at most. (In a
    process of its own: the module must load without it.)"""
    probe = ("import sys; sys.modules['resource'] = None  # import resource now fails, as on Windows\n"
             "from vdp.bridge.connection_guard import default_connection_limit; print(default_connection_limit())")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout.strip()) == (0, "256"), result.stderr

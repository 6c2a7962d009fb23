"""The fault server's own tests: each behaviour observed by a plain httpx client (or a raw socket where the
connection itself is the subject)."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from .fault_server import Behaviour, FaultServer, FaultServerThread
from .payload import make_payload, sha256_of, write_payload

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = make_payload(300_000, seed=1)


@pytest.fixture
async def srv() -> AsyncIterator[FaultServer]:
    async with FaultServer() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


async def fetch_raw(client: httpx.AsyncClient, url: str, **headers: str) -> tuple[httpx.Response, bytes]:
    """The response and its body bytes exactly as sent (no Content-Encoding decoding)."""
    async with client.stream("GET", url, headers=headers) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


async def read_prefix_until_error(client: httpx.AsyncClient, url: str) -> tuple[bytes, Exception]:
    """Streams `url` until the transfer fails; returns what arrived and the error."""
    received = bytearray()
    try:
        async with client.stream("GET", url) as response:
            async for chunk in response.aiter_raw():
                received += chunk
    except httpx.HTTPError as error:
        return bytes(received), error
    raise AssertionError(f"transfer of {len(received)} bytes completed without an error")


def caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, kind):
        cause = cause.__cause__ or cause.__context__
    return cause is not None


class RawConnection:
    """One client TCP connection, for tests about the connection rather than the body."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, srv: FaultServer) -> RawConnection:
        return cls(*await asyncio.open_connection("127.0.0.1", srv.port))

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
        return await self.read_response()

    async def read_response(self) -> tuple[int, dict[str, str], bytes]:
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode()
        status_line, *lines = head.strip().split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return int(status_line.split()[1]), headers, body

    async def closed_by_server(self) -> bool:
        return await self.reader.read(1) == b""

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


# --- representation -----------------------------------------------------------------------------------------


async def test_get_and_head_serve_the_file_with_validators(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA)
    response = await client.get(srv.url("/a.bin"))
    head = await client.head(srv.url("/a.bin"))

    assert response.status_code == 200 and response.content == DATA
    assert response.headers["content-length"] == str(len(DATA))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"].startswith('"') and response.headers["last-modified"].endswith("GMT")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == response.headers["etag"]
    stats = srv.stats("/a.bin")
    assert (stats.requests, stats.statuses, stats.bytes_sent) == (2, (200, 200), len(DATA))


async def test_honoured_ranges_reassemble_the_file(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA)
    size = len(DATA)
    parts = []
    ranges = (("0-99999", "0-99999"), ("100000-199999", "100000-199999"), ("-100000", f"200000-{size - 1}"))
    for spec, expected in ranges:
        response = await client.get(srv.url("/a.bin"), headers={"Range": f"bytes={spec}"})
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes {expected}/{size}"
        parts.append(response.content)

    assert b"".join(parts) == DATA
    assert srv.stats("/a.bin").ranges == ("bytes=0-99999", "bytes=100000-199999", "bytes=-100000")


@pytest.mark.parametrize("spec", [f"{len(DATA)}-", f"{len(DATA)}-{len(DATA) + 10}", "-0"])
async def test_unsatisfiable_range_gets_416(srv: FaultServer, client: httpx.AsyncClient, spec: str) -> None:
    srv.add_file("/a.bin", DATA)
    response = await client.get(srv.url("/a.bin"), headers={"Range": f"bytes={spec}"})
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(DATA)}"


@pytest.mark.parametrize("spec", ["bytes=5-2", "bytes=0-1,5-9", "items=0-10", "bytes=x-", "bytes=\xb2-"])
async def test_unusable_range_headers_are_ignored(srv: FaultServer, client: httpx.AsyncClient, spec: str) -> None:
    """Ignored as RFC 9110 allows; '\xb2' (superscript two) is a digit to str.isdigit but not to int()."""
    srv.add_file("/a.bin", DATA)
    response = await client.get(srv.url("/a.bin"), headers={"Range": spec.encode("latin-1")})
    assert response.status_code == 200 and response.content == DATA


async def test_ignored_ranges_send_the_full_body(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, ranges="ignore", accept_ranges=False)
    response = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=1000-"})
    assert response.status_code == 200 and response.content == DATA
    assert "accept-ranges" not in response.headers and "content-range" not in response.headers


async def test_wrong_content_range_describes_other_bytes(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, ranges="wrong")
    response = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=1000-1999"})
    from_zero = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=0-"})

    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes 500-1499/{len(DATA)}"
    assert response.content == DATA[500:1500]
    assert from_zero.headers["content-range"] == f"bytes 1-{len(DATA) - 1}/{len(DATA)}"
    assert from_zero.content == DATA[1:]


@pytest.mark.parametrize(
    ("validator", "status"),
    [("etag", 206), ("last-modified", 206), ('"stale"', 200), ("weak", 200), ("Mon, 01 Jan 2001 00:00:00 GMT", 200)],
)
async def test_if_range_serves_the_range_only_for_the_current_validator(
    srv: FaultServer, client: httpx.AsyncClient, validator: str, status: int
) -> None:
    srv.add_file("/a.bin", DATA)
    first = await client.head(srv.url("/a.bin"))
    value = {"etag": first.headers["etag"], "last-modified": first.headers["last-modified"],
             "weak": "W/" + first.headers["etag"]}.get(validator, validator)

    response = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=10-", "If-Range": value})

    assert response.status_code == status
    assert response.content == (DATA[10:] if status == 206 else DATA)


async def test_if_range_cannot_match_a_validator_the_server_does_not_send(
    srv: FaultServer, client: httpx.AsyncClient
) -> None:
    srv.add_file("/a.bin", DATA, etag=False)
    etag = (await client.head(srv.url("/a.bin"))).headers.get("etag")
    response = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=10-", "If-Range": '"anything"'})
    assert etag is None and response.status_code == 200 and response.content == DATA


async def test_file_resources_are_served_from_disk(srv: FaultServer, client: httpx.AsyncClient, tmp_path: Path) -> None:
    source = tmp_path / "disk.bin"
    digest = write_payload(source, 3_000_000, seed=9)
    srv.add_file("/disk.bin", source)

    whole = await client.get(srv.url("/disk.bin"))
    tail = await client.get(srv.url("/disk.bin"), headers={"Range": "bytes=2999000-"})

    assert sha256_of(whole.content) == digest == sha256_of(source)
    assert tail.status_code == 206 and tail.content == source.read_bytes()[2_999_000:]


async def test_content_disposition_is_sent_as_given(srv: FaultServer, client: httpx.AsyncClient) -> None:
    rfc5987 = "attachment; filename=\"rates.bin\"; filename*=UTF-8''%E2%82%AC%20rates.bin"
    raw_latin1 = 'attachment; filename="caf\xe9.bin"'.encode("latin-1")
    srv.add_file("/cd1", DATA, content_disposition=rfc5987)
    srv.add_file("/cd2", DATA, content_disposition=raw_latin1, content_type="video/mp4")

    first = await client.head(srv.url("/cd1"))
    second = await client.head(srv.url("/cd2"))

    assert first.headers["content-disposition"] == rfc5987
    assert {name.lower(): value for name, value in second.headers.raw}[b"content-disposition"] == raw_latin1
    assert second.headers["content-type"] == "video/mp4"


@pytest.mark.parametrize("framing", ["chunked", "close"])
async def test_bodies_without_content_length(srv: FaultServer, client: httpx.AsyncClient, framing: str) -> None:
    srv.add_file("/a.bin", DATA, framing=framing)
    first = await client.get(srv.url("/a.bin"))
    ranged = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=100-"})

    assert first.content == DATA and ranged.content == DATA[100:] and ranged.status_code == 206
    assert "content-length" not in first.headers
    assert first.headers.get("transfer-encoding") == ("chunked" if framing == "chunked" else None)
    # a close-delimited body ends the connection, so the second request needed a new one
    assert srv.stats("/a.bin").connections == (1 if framing == "chunked" else 2)


async def test_gzip_body_is_the_compressed_stream(srv: FaultServer, client: httpx.AsyncClient) -> None:
    text = b"line of very compressible text\n" * 10_000
    srv.add_file("/log.txt", text, gzip=True)
    served = srv.body("/log.txt")

    response, raw = await fetch_raw(client, srv.url("/log.txt"))
    ranged, raw_tail = await fetch_raw(client, srv.url("/log.txt"), Range="bytes=100-")

    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(served) == len(raw) < len(text)
    assert raw == served and gzip.decompress(raw) == text
    assert ranged.status_code == 206 and raw_tail == served[100:]
    assert srv.stats("/log.txt").bytes_sent == len(served) * 2 - 100


async def test_content_and_etag_change_after_n_requests(srv: FaultServer, client: httpx.AsyncClient) -> None:
    new = make_payload(len(DATA), seed=2)
    srv.add_file("/a.bin", DATA, change_after=1, changed_data=new)

    old = await client.get(srv.url("/a.bin"))
    resumed = await client.get(srv.url("/a.bin"), headers={"Range": "bytes=1000-", "If-Range": old.headers["etag"]})

    assert old.content == DATA and srv.body("/a.bin", changed=True) == new
    assert resumed.status_code == 200 and resumed.content == new
    assert resumed.headers["etag"] != old.headers["etag"]
    assert resumed.headers["last-modified"] != old.headers["last-modified"]


# --- pacing ---------------------------------------------------------------------------------------------------


async def test_rate_limits_each_connection(srv: FaultServer, client: httpx.AsyncClient) -> None:
    rate = 200_000
    srv.add_file("/slow.bin", DATA[:60_000], rate=rate)
    loop = asyncio.get_running_loop()

    started = loop.time()
    response = await client.get(srv.url("/slow.bin"))
    elapsed = loop.time() - started

    assert response.content == DATA[:60_000]
    # a lower bound only: the bucket holds one 20 kB slice, so the last two slices wait 0.1 s each
    assert elapsed >= (60_000 - rate // 10) / rate


async def test_gate_freezes_a_transfer_until_opened(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, stall_after=100_000)
    download = asyncio.create_task(client.get(srv.url("/a.bin")))

    await srv.wait_for_bytes_sent("/a.bin", 100_000)
    assert not download.done() and srv.stats("/a.bin").bytes_sent == 100_000
    srv.gate("/a.bin").open()

    assert (await download).content == DATA


async def test_stall_holds_until_the_client_gives_up_and_gate_close_rearms(
    srv: FaultServer, client: httpx.AsyncClient
) -> None:
    srv.add_file("/a.bin", DATA, stall_after=1000)
    gate = srv.gate("/a.bin")
    gate.open()
    assert (await client.get(srv.url("/a.bin"))).content == DATA
    gate.close()

    client.timeout = httpx.Timeout(5, read=0.2)
    received, error = await read_prefix_until_error(client, srv.url("/a.bin"))

    assert isinstance(error, httpx.ReadTimeout) and received == DATA[:1000]


async def test_wait_for_bytes_sent_times_out_with_a_message(srv: FaultServer) -> None:
    srv.add_file("/a.bin", DATA)
    with pytest.raises(TimeoutError, match="/a.bin: 0 of 10 bytes sent"):
        await srv.wait_for_bytes_sent("/a.bin", 10, timeout=0.01)


# --- failures ---------------------------------------------------------------------------------------------------


async def test_status_sequence_then_success(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, fail_statuses=[500, 502])
    statuses = [(await client.get(srv.url("/a.bin"))).status_code for _ in range(3)]
    assert statuses == [500, 502, 200] and srv.stats("/a.bin").statuses == (500, 502, 200)


async def test_fail_window_by_request_index(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, fail_window=range(1, 3))
    statuses = [(await client.get(srv.url("/a.bin"))).status_code for _ in range(4)]
    assert statuses == [200, 503, 503, 200]


async def test_429_carries_retry_after(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, fail_statuses=[429], retry_after=7)
    limited = await client.get(srv.url("/a.bin"))
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    assert (await client.get(srv.url("/a.bin"))).content == DATA


@pytest.mark.parametrize("status", [401, 403, 404, 503])
async def test_permanent_status(srv: FaultServer, client: httpx.AsyncClient, status: int) -> None:
    srv.add_file("/a.bin", DATA, status=status)
    responses = [await client.get(srv.url("/a.bin")) for _ in range(2)]
    assert [r.status_code for r in responses] == [status, status]


async def test_reset_mid_body_then_recovery(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, reset_after=50_000, fault_requests=range(1))

    received, error = await read_prefix_until_error(client, srv.url("/a.bin"))
    recovered = await client.get(srv.url("/a.bin"))

    assert isinstance(error, httpx.ReadError) and caused_by(error, ConnectionResetError)
    assert DATA.startswith(received) and len(received) <= 50_000
    assert recovered.content == DATA
    assert srv.stats("/a.bin").bytes_sent == 50_000 + len(DATA)


async def test_short_body_with_200(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, short_body_after=70_000)
    received, error = await read_prefix_until_error(client, srv.url("/a.bin"))
    assert isinstance(error, httpx.RemoteProtocolError) and received == DATA[:70_000]


async def test_timeout_once(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, hang_first=1)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(srv.url("/a.bin"), timeout=httpx.Timeout(5, read=0.2))
    assert (await client.get(srv.url("/a.bin"))).content == DATA
    assert srv.stats("/a.bin").statuses == (200,)


async def test_html_page_instead_of_the_file(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/video.mp4", DATA, html=True, fault_requests=range(1))
    page = await client.get(srv.url("/video.mp4"), headers={"Range": "bytes=1000-"})
    real = await client.get(srv.url("/video.mp4"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.startswith("<!doctype html>")
    assert real.content == DATA


async def test_redirect_chain(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/file.bin", DATA)
    srv.add_redirect("/a", "/b", redirect_status=301)
    srv.add_redirect("/b", "/c", redirect_status=307)
    srv.add_redirect("/c", srv.url("/file.bin"))

    response = await client.get(srv.url("/a"), follow_redirects=True)

    assert response.content == DATA
    assert [r.status_code for r in response.history] == [301, 307, 302]
    assert all(srv.stats(path).requests == 1 for path in ("/a", "/b", "/c", "/file.bin"))


async def test_expiring_redirect_issues_fresh_targets(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/file.bin", DATA)
    srv.add_redirect("/link", "/file.bin", redirect_uses=1)

    first = await client.get(srv.url("/link"), follow_redirects=True)
    expired = await client.get(first.url)
    second = await client.get(srv.url("/link"))

    assert first.content == DATA and expired.status_code == 403
    assert second.status_code == 302 and second.headers["location"] != str(first.url)
    assert (await client.get(second.headers["location"])).content == DATA


@pytest.mark.parametrize("gone_status", [410, 403])
async def test_one_time_url(srv: FaultServer, client: httpx.AsyncClient, gone_status: int) -> None:
    srv.add_file("/once", DATA, max_requests=1, gone_status=gone_status)
    assert (await client.get(srv.url("/once"))).content == DATA
    assert (await client.get(srv.url("/once"))).status_code == gone_status


@pytest.mark.parametrize("over_limit", [503, "reset"])
async def test_connection_limit(srv: FaultServer, client: httpx.AsyncClient, over_limit: int | str) -> None:
    srv.add_file("/a.bin", DATA, max_connections=2, over_limit=over_limit, stall_after=10)
    held = [await client.send(client.build_request("GET", srv.url("/a.bin")), stream=True) for _ in range(2)]

    if over_limit == "reset":
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            await client.get(srv.url("/a.bin"))
    else:
        assert (await client.get(srv.url("/a.bin"))).status_code == 503
    srv.gate("/a.bin").open()

    assert [await response.aread() for response in held] == [DATA, DATA]
    stats = srv.stats("/a.bin")
    assert stats.max_concurrent == 3 and stats.connections == 3


# --- connections --------------------------------------------------------------------------------------------


async def test_keep_alive_by_default(srv: FaultServer) -> None:
    srv.add_file("/a.bin", DATA)
    conn = await RawConnection.open(srv)
    assert (await conn.get("/a.bin"))[2] == DATA
    assert (await conn.get("/a.bin"))[2] == DATA
    await conn.close()
    assert srv.stats("/a.bin").connections == 1


@pytest.mark.parametrize("option", [{"close_after_response": True}, {"idle_timeout": 0.05}])
async def test_server_closes_idle_keep_alive_connections(srv: FaultServer, option: dict[str, object]) -> None:
    srv.add_file("/a.bin", DATA, **option)
    conn = await RawConnection.open(srv)
    status, headers, body = await conn.get("/a.bin")
    assert status == 200 and body == DATA and "connection" not in headers  # the close is not announced
    assert await conn.closed_by_server()
    await conn.close()


async def test_unknown_path_bad_method_and_bad_request(srv: FaultServer, client: httpx.AsyncClient) -> None:
    assert (await client.get(srv.url("/missing"))).status_code == 404
    srv.add_file("/a.bin", DATA)
    assert (await client.post(srv.url("/a.bin"), content=b"x" * 1000)).status_code == 405
    conn = await RawConnection.open(srv)
    conn.writer.write(b"NONSENSE\r\n\r\n")
    assert (await conn.read_response())[0] == 400
    assert await conn.closed_by_server()
    await conn.close()


async def test_unicode_paths_are_quoted_in_urls(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/dir/naïve video €.mp4", DATA)
    url = srv.url("/dir/naïve video €.mp4")
    assert "%E2%82%AC" in url and (await client.get(url)).content == DATA


async def test_directory_serving_stays_inside_root(srv: FaultServer, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "f.bin").write_bytes(DATA)
    (tmp_path / "secret.txt").write_bytes(b"secret")
    srv.add_directory(root)

    conn = await RawConnection.open(srv)
    assert (await conn.get("/sub/f.bin"))[2] == DATA
    assert (await conn.get("/../secret.txt"))[0] == 404
    assert (await conn.get("/sub/%00"))[0] == 404
    await conn.close()


async def test_reset_stats_keeps_the_request_index(srv: FaultServer, client: httpx.AsyncClient) -> None:
    srv.add_file("/a.bin", DATA, fail_statuses=[500])
    await client.get(srv.url("/a.bin"))
    srv.reset_stats()
    assert srv.stats("/a.bin").requests == 0
    assert (await client.get(srv.url("/a.bin"))).status_code == 200
    assert srv.stats("/a.bin").statuses == (200,)


def test_bad_options_are_rejected_with_a_reason() -> None:
    with pytest.raises(ValueError, match="ranges"):
        Behaviour(ranges="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="change_after and changed_data"):
        Behaviour(change_after=1)
    with pytest.raises(ValueError, match="redirect_uses"):
        Behaviour(redirect_uses=1, redirect_to="https://elsewhere.example/x")
    with pytest.raises(TypeError):
        Behaviour(no_such_option=True)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="start with '/'"):
        FaultServer().add_file("a.bin", DATA)


# --- other ways to run it -------------------------------------------------------------------------------------


def test_thread_server_for_synchronous_code() -> None:
    with FaultServerThread() as srv, httpx.Client(timeout=5) as client:
        srv.add_file("/t.bin", DATA, stall_after=50_000)
        bodies: list[bytes] = []
        fetch = threading.Thread(target=lambda: bodies.append(client.get(srv.url("/t.bin")).content))
        fetch.start()

        srv.wait_for_bytes_sent("/t.bin", 50_000)
        assert srv.stats("/t.bin").bytes_sent == 50_000
        srv.gate("/t.bin").open()
        fetch.join(timeout=10)

        assert bodies == [DATA]


def test_command_line_serves_a_directory(tmp_path: Path) -> None:
    digest = write_payload(tmp_path / "big.bin", 2_000_000, seed=4)
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fault_server", "--root", str(tmp_path), "--port", "0"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().split(" at ")[1].strip()
        response = httpx.get(base_url + "big.bin", timeout=5)
        assert response.status_code == 200 and sha256_of(response.content) == digest
    finally:
        server.terminate()
        server.wait(timeout=5)


def test_command_line_rejects_a_missing_root(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.fault_server", "--root", str(tmp_path / "nope")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=10,
    )
    assert result.returncode == 2 and "is not a directory" in result.stderr


# --- payload helpers --------------------------------------------------------------------------------------------


def test_payload_is_deterministic_seeded_and_matches_its_file(tmp_path: Path) -> None:
    size = 3 * (1 << 20) + 5
    data = make_payload(size, seed=3)
    assert len(data) == size and data == make_payload(size, seed=3) != make_payload(size, seed=4)
    assert data[: 1 << 20] != data[1 << 20 : 2 << 20]  # blocks differ, so a misplaced block is visible
    assert write_payload(tmp_path / "p.bin", size, seed=3) == sha256_of(data) == sha256_of(tmp_path / "p.bin")
    with pytest.raises(ValueError, match=">= 0"):
        make_payload(-1)

"""A real, fast, fault-injecting HTTP/1.1 server on 127.0.0.1 for tests and benchmarks.

It speaks HTTP/1.1 over raw asyncio sockets (no framework in between), so it can misbehave in every way a
real server does: wrong headers, short bodies, resets, stalls, silent closes. With no fault active a body
goes out as large memoryview slices (`sock_sendall`) or with `sendfile`, so loopback transfers are limited by
the client, not the server.

Async tests::

    async with FaultServer() as srv:                   # binds 127.0.0.1, port 0
        srv.add_file("/a.bin", data, ranges="ignore", rate=1_000_000)
        response = await client.get(srv.url("/a.bin"))
        assert srv.stats("/a.bin").requests == 1

Code with its own event loop: `with FaultServerThread() as srv:` offers the same methods (the server runs on
a loop in a daemon thread; `wait_for_bytes_sent` blocks). Benchmarks:
`python -m tests.support.fault_server --root DIR [--port N] [--rate BYTES_PER_SEC]` serves every file
under DIR at its relative path and prints the base URL.

Resources: `add_file(path, data, **options)` (data is bytes, or a Path served with sendfile),
`add_redirect(path, target, **options)`, `add_directory(root, **options)`. Unknown paths get 404, methods
other than GET and HEAD get 405. Test data and digests: `tests.support.payload`.

Options (the fields of `Behaviour`; combine freely). "Request index" counts every request to the path from 0
and drives the request-based options; `reset_stats()` does not reset it.

Representation
    ranges            "honour" (206 + Content-Range; unsatisfiable → 416 `bytes */size`), "ignore" (always
                      200 with the full body) or "wrong" (206 whose Content-Range, truthfully describing the
                      bytes sent, is not what was asked: it starts at start // 2, or at 1 for a range from 0).
                      Malformed or multi-range headers are ignored (200), as RFC 9110 allows.
    accept_ranges     send `Accept-Ranges: bytes` (default True; independent of `ranges`, so a server can lie).
    etag, last_modified  send the validators (default True). `If-Range` is honoured: a range is served only
                      if it matches the current strong ETag or the exact Last-Modified; otherwise 200, full body.
    content_type, content_disposition, extra_headers
                      header values; str is sent UTF-8 encoded, bytes verbatim (for raw or broken encodings).
    framing           "length" (Content-Length), "chunked" (Transfer-Encoding: chunked, no length) or "close"
                      (neither: the body ends when the server closes the connection).
    gzip              serve the data gzip-compressed with `Content-Encoding: gzip`, whatever the client's
                      Accept-Encoding. Content-Length, ranges, ETag and `bytes_sent` all count the compressed
                      bytes: the compressed stream IS the file. A downloader must save the bytes as served
                      (equal to `srv.body(path)`), never transparently decode them, or its length disagrees
                      with Content-Length and range resume cannot work. gzip.decompress(body) == data.
    change_after, changed_data
                      from request index `change_after` on, serve `changed_data` with a new ETag and
                      Last-Modified (the file was replaced mid-download).

Pacing
    rate              bytes per second per connection (token bucket: no burst after a pause).
    stall_after       each response body stops after this many bytes until the client hangs up or the test
                      opens the resource's gate (`srv.gate(path).open()`; `gate.close()` re-arms it). Pair with
                      `await srv.wait_for_bytes_sent(path, n)` to act at a known point of a transfer.

Failures, in the order they are checked
    max_connections, over_limit
                      more than this many simultaneous requests for the path: answer `over_limit` (a status,
                      default 503) or "reset" the connection.
    hang_first        the first N requests get no response at all (no headers) until the client gives up or
                      the gate opens; later requests work (a "timeout once" server).
    max_requests, gone_status
                      requests after the first `max_requests` get `gone_status` (default 410): a one-time URL.
    (token)           a `token` query parameter minted by `redirect_uses` is spent here; a spent or unknown
                      token gets 403, as an expired signed URL does.
    fail_statuses     the first len(fail_statuses) requests get these statuses in order, then success.
    fail_window, fail_status
                      requests whose index is in the range `fail_window` get `fail_status` (default 503).
    status            every other request gets this status (401, 403, 404, 500…).
    retry_after       `Retry-After` value sent with every failure status above.
    redirect_to, redirect_status
                      answer `redirect_status` (default 302) with Location: redirect_to (a path on this server
                      or an absolute URL). Chains are resources redirecting to each other.
    redirect_uses     every redirect mints a fresh `?token=` on its target, valid for this many requests: an
                      expiring redirect whose original URL keeps issuing new targets.
    html              answer 200 with a small text/html page instead of the file.
    reset_after       abort the connection with a TCP RST after this many body bytes.
    short_body_after  send this many body bytes, then close cleanly although Content-Length promised more.
    malformed         answers that break HTTP: "nul_header" (a NUL byte inside a header value) or
                      "data_after_close" (`Connection: close`, the body, then more bytes on the connection; with
                      Content-Length framing all in one write, so the client reads them together).
    fault_requests    request indices (a range) that `html`, `reset_after`, `short_body_after` and `malformed`
                      apply to; None (default) means every request.

Connection
    close_after_response  close the connection after each response without announcing it (no
                      `Connection: close`), as servers that drop idle keep-alive connections do.
    idle_timeout      after a response, close the connection if no new request arrives within this many
                      seconds.

Observation: `srv.stats(path)` → `ResourceStats` (requests, statuses, Range headers, request headers, body
bytes handed to the kernel, distinct connections, concurrency high-water mark); `srv.max_active`, the
high-water mark over every path; `srv.reset_stats()`;
`await srv.wait_for_bytes_sent(path, n)`; `srv.body(path)` is the representation as served.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import threading
from collections.abc import Coroutine, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, TypeVar
from urllib.parse import quote

from ._connection import Connection
from ._content import Content, load_content
from ._gate import Gate
from ._http import BadRequest, HeaderValue, Request, Unsatisfiable, parse_range, reason, response_head

__all__ = ["Behaviour", "FaultServer", "FaultServerThread", "Gate", "ResourceStats"]

_BIG_SLICE = 8 << 20  # unthrottled send size: few syscalls per GiB, progress visible to waiters
_HTML_PAGE = (
    b"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Sign in</title></head>\n"
    b"<body><h1>Please sign in to continue</h1><form method=\"post\"><input name=\"user\"></form></body></html>\n"
)
Headers = list[tuple[str, HeaderValue]]
_AFTER_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"  # sent after a response that said it would close


@dataclass(frozen=True, kw_only=True)
class Behaviour:
    """How one resource is served; see the module docstring for each option."""

    ranges: Literal["honour", "ignore", "wrong"] = "honour"
    accept_ranges: bool = True
    etag: bool = True
    last_modified: bool = True
    content_type: str = "application/octet-stream"
    content_disposition: str | bytes | None = None
    extra_headers: Mapping[str, HeaderValue] = field(default_factory=dict)
    framing: Literal["length", "chunked", "close"] = "length"
    gzip: bool = False
    change_after: int | None = None
    changed_data: bytes | Path | None = None
    rate: int | None = None
    stall_after: int | None = None
    max_connections: int | None = None
    over_limit: int | Literal["reset"] = 503
    hang_first: int = 0
    max_requests: int | None = None
    gone_status: int = 410
    fail_statuses: Sequence[int] = ()
    fail_window: range | None = None
    fail_status: int = 503
    status: int | None = None
    retry_after: int | str | None = None
    redirect_to: str | None = None
    redirect_status: int = 302
    redirect_uses: int | None = None
    html: bool = False
    reset_after: int | None = None
    short_body_after: int | None = None
    malformed: Literal["nul_header", "data_after_close"] | None = None
    fault_requests: range | None = None
    close_after_response: bool = False
    idle_timeout: float | None = None

    def __post_init__(self) -> None:
        if self.ranges not in ("honour", "ignore", "wrong"):
            raise ValueError(f"ranges must be 'honour', 'ignore' or 'wrong', not {self.ranges!r}")
        if self.framing not in ("length", "chunked", "close"):
            raise ValueError(f"framing must be 'length', 'chunked' or 'close', not {self.framing!r}")
        if (self.change_after is None) != (self.changed_data is None):
            raise ValueError("change_after and changed_data go together")
        if self.redirect_uses is not None and not (self.redirect_to or "").startswith("/"):
            raise ValueError("redirect_uses needs redirect_to to be a path on this server")
        if self.rate is not None and self.rate <= 0:
            raise ValueError(f"rate must be positive, not {self.rate}")
        if self.malformed not in (None, "nul_header", "data_after_close"):
            raise ValueError(f"malformed must be 'nul_header' or 'data_after_close', not {self.malformed!r}")
        if self.over_limit != "reset" and not isinstance(self.over_limit, int):
            raise ValueError(f"over_limit must be a status code or 'reset', not {self.over_limit!r}")

    def failure_status(self, index: int) -> int | None:
        if index < len(self.fail_statuses):
            return self.fail_statuses[index]
        if self.fail_window is not None and index in self.fail_window:
            return self.fail_status
        return self.status

    def body_cut(self, index: int) -> tuple[int, Literal["reset", "close"]] | None:
        """Where this request's body is cut short, and how; None when it is sent whole."""
        if self.fault_requests is not None and index not in self.fault_requests:
            return None
        cuts: list[tuple[int, Literal["reset", "close"]]] = []
        if self.reset_after is not None:
            cuts.append((self.reset_after, "reset"))
        if self.short_body_after is not None:
            cuts.append((self.short_body_after, "close"))
        return min(cuts, default=None)

    def applies_html(self, index: int) -> bool:
        return self.html and (self.fault_requests is None or index in self.fault_requests)

    def malformed_for(self, index: int) -> str | None:
        return self.malformed if self.fault_requests is None or index in self.fault_requests else None


@dataclass(frozen=True)
class ResourceStats:
    """What the server saw for one path since the last `reset_stats()`."""

    requests: int
    statuses: tuple[int, ...]  # one per response head sent: hung requests and over-limit resets add none
    ranges: tuple[str | None, ...]  # each request's Range header, None when absent
    request_headers: tuple[Mapping[str, str], ...]  # lower-case names
    bytes_sent: int  # body bytes handed to the kernel
    connections: int  # distinct connections that asked for the path
    max_concurrent: int  # most requests for the path in progress at once (whose client is still connected)


class _Stats:
    def __init__(self) -> None:
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self.clear()

    def clear(self) -> None:
        self.statuses: list[int] = []
        self.ranges: list[str | None] = []
        self.request_headers: list[Mapping[str, str]] = []
        self.bytes_sent = 0
        self.connection_ids: set[int] = set()
        self.max_concurrent = 0

    def record_request(self, connection: int, request: Request) -> None:
        self.request_headers.append(request.headers)
        self.ranges.append(request.headers.get("range"))
        self.connection_ids.add(connection)

    def add_sent(self, count: int) -> None:
        self.bytes_sent += count
        if self._waiters:
            for threshold, waiter in self._waiters:
                if self.bytes_sent >= threshold and not waiter.done():
                    waiter.set_result(None)

    async def wait_for_sent(self, count: int) -> None:
        if self.bytes_sent >= count:
            return
        waiter = asyncio.get_running_loop().create_future()
        entry = (count, waiter)
        self._waiters.append(entry)
        try:
            await waiter
        finally:
            self._waiters.remove(entry)

    def snapshot(self) -> ResourceStats:
        return ResourceStats(
            requests=len(self.request_headers),
            statuses=tuple(self.statuses),
            ranges=tuple(self.ranges),
            request_headers=tuple(self.request_headers),
            bytes_sent=self.bytes_sent,
            connections=len(self.connection_ids),
            max_concurrent=self.max_concurrent,
        )


@dataclass
class _Resource:
    behaviour: Behaviour
    versions: tuple[Content, ...]  # the original representation, then the changed one
    gate: Gate = field(default_factory=Gate)
    requests: int = 0  # request index of the next request; drives the request-based options
    active: int = 0

    @classmethod
    def build(cls, data: bytes | Path, behaviour: Behaviour) -> _Resource:
        sources = (data,) if behaviour.changed_data is None else (data, behaviour.changed_data)
        return cls(behaviour, tuple(load_content(source, compress=behaviour.gzip) for source in sources))

    def version(self, index: int) -> Content:
        change_after = self.behaviour.change_after
        return self.versions[int(change_after is not None and index >= change_after)]


class _Pacer:
    """Token bucket holding one slice: at most `rate` bytes per second, no saved-up burst after a pause."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.slice = max(1, min(rate // 10, _BIG_SLICE))
        self._loop = asyncio.get_running_loop()
        self._next = self._loop.time()

    async def take(self, count: int) -> None:
        delay = self._next - self._loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        self._next = max(self._next, self._loop.time()) + count / self.rate


class FaultServer:
    """The server on the running event loop; see the module docstring."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._resources: dict[str, _Resource] = {}
        self._directories: list[tuple[Path, Behaviour]] = []
        self._stats: dict[str, _Stats] = {}
        self._tokens: dict[str, int] = {}  # expiring-redirect token → requests it still allows
        self._token_serials = itertools.count(1)
        self._listener: socket.socket | None = None
        self._accepting: asyncio.Task[None] | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._active = 0
        self._answering: dict[Connection, _Resource] = {}  # connections with a request in progress, and for what
        # Most requests in progress at once whose client still holds its connection, over every path (since the
        # last reset_stats). A client that hung up mid-body is not counted: the handler only notices at its next
        # failed write, and that lag is the server's, not the client's.
        self.max_active = 0

    async def __aenter__(self) -> FaultServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        self._listener = socket.create_server((self._host, self._port), backlog=1024)
        self._listener.setblocking(False)
        self._port = self._listener.getsockname()[1]
        self._accepting = asyncio.create_task(self._accept(self._listener))

    async def close(self) -> None:
        tasks = [task for task in (self._accepting, *self._connections) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._listener is not None:
            self._listener.close()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of `path` (percent-encoded here; a `?query` is kept as given)."""
        path, sep, query = path.partition("?")
        return f"{self.base_url}{quote(path, safe='/')}{sep}{query}"

    def add_file(self, path: str, data: bytes | Path = b"", **options: Any) -> None:
        """Serves `data` (bytes from memory, or a file with sendfile) at `path` with `Behaviour(**options)`."""
        if not path.startswith("/"):
            raise ValueError(f"resource paths start with '/', got {path!r}")
        self._resources[path] = _Resource.build(data, Behaviour(**options))

    def add_redirect(self, path: str, target: str, **options: Any) -> None:
        self.add_file(path, b"", redirect_to=target, **options)

    def add_directory(self, root: Path, **options: Any) -> None:
        """Serves every file under `root` at its relative path (looked up on first request, never outside root)."""
        self._directories.append((Path(root).resolve(), Behaviour(**options)))

    def gate(self, path: str) -> Gate:
        return self._resource(path).gate

    def body(self, path: str, *, changed: bool = False) -> bytes:
        """The representation a full GET returns (compressed when gzip), originally or after `change_after`."""
        return self._resource(path).versions[int(changed)].read()

    def stats(self, path: str) -> ResourceStats:
        return self._stats_for(path).snapshot()

    def reset_stats(self) -> None:
        for stats in self._stats.values():
            stats.clear()
        self.max_active = self._active

    async def wait_for_bytes_sent(self, path: str, count: int, timeout: float = 30.0) -> None:
        """Returns once at least `count` body bytes of `path` were sent since the last `reset_stats()`.

        The timeout is a safety net against a test that waits for a transfer that never comes.
        """
        stats = self._stats_for(path)
        try:
            await asyncio.wait_for(stats.wait_for_sent(count), timeout)
        except TimeoutError:
            raise TimeoutError(f"{path}: {stats.bytes_sent} of {count} bytes sent after {timeout} s") from None

    def _resource(self, path: str) -> _Resource:
        try:
            return self._resources[path]
        except KeyError:
            raise KeyError(f"no resource at {path!r}; register it with add_file first") from None

    def _stats_for(self, path: str) -> _Stats:
        return self._stats.setdefault(path, _Stats())

    def _lookup(self, path: str) -> _Resource | None:
        if (resource := self._resources.get(path)) is not None:
            return resource
        for root, behaviour in self._directories:
            try:
                candidate = (root / path.lstrip("/")).resolve()
                if candidate.is_relative_to(root) and candidate.is_file():
                    resource = self._resources[path] = _Resource.build(candidate, behaviour)
                    return resource
            except (OSError, ValueError):  # names the OS rejects, such as an embedded NUL
                continue
        return None

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        for ident in itertools.count():
            try:
                sock, _ = await loop.sock_accept(listener)
            except ConnectionAbortedError:  # the client gave up before we accepted
                continue
            task = asyncio.create_task(self._serve(Connection(loop, sock, ident)))
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)

    async def _serve(self, conn: Connection) -> None:
        try:
            while (request := await conn.next_request()) is not None:
                if not await self._respond(conn, request):
                    break
        except BadRequest as error:
            body = f"400 Bad Request: {error}\n".encode()
            head = response_head(400, [("Content-Length", len(body)), ("Connection", "close")])
            with suppress(OSError):
                await conn.send(head + body)
        except OSError:
            pass  # the client went away mid-response: that is its right
        finally:
            conn.close()

    async def _respond(self, conn: Connection, request: Request) -> bool:
        """Answers one request; returns whether the connection stays open for the next one."""
        stats = self._stats_for(request.path)
        stats.record_request(conn.ident, request)
        if request.method not in ("GET", "HEAD"):
            return await self._reply_text(conn, request, stats, 405, [("Allow", "GET, HEAD")])
        resource = self._lookup(request.path)
        if resource is None:
            return await self._reply_text(conn, request, stats, 404)
        index = resource.requests
        resource.requests += 1
        resource.active += 1
        self._active += 1
        self._answering[conn] = resource
        connected = [answered for answering, answered in self._answering.items() if not answering.client_gone()]
        stats.max_concurrent = max(stats.max_concurrent, sum(answered is resource for answered in connected))
        self.max_active = max(self.max_active, len(connected))
        try:
            keep_alive = await self._respond_with(conn, request, stats, resource, index)
        finally:
            resource.active -= 1
            self._active -= 1
            del self._answering[conn]
        conn.idle_timeout = resource.behaviour.idle_timeout
        return keep_alive and not resource.behaviour.close_after_response

    async def _respond_with(
        self, conn: Connection, request: Request, stats: _Stats, resource: _Resource, index: int
    ) -> bool:
        behaviour = resource.behaviour
        if behaviour.max_connections is not None and resource.active > behaviour.max_connections:
            if behaviour.over_limit == "reset":
                conn.reset()
                return False
            return await self._reply_failure(conn, request, stats, behaviour.over_limit, behaviour)
        if index < behaviour.hang_first and not await conn.hold(resource.gate):
            return False
        if behaviour.max_requests is not None and index >= behaviour.max_requests:
            return await self._reply_text(conn, request, stats, behaviour.gone_status)
        if (token := request.query.get("token")) is not None and not self._spend_token(token):
            return await self._reply_text(conn, request, stats, 403)
        if (status := behaviour.failure_status(index)) is not None:
            return await self._reply_failure(conn, request, stats, status, behaviour)
        if behaviour.redirect_to is not None:
            return await self._redirect(conn, request, stats, behaviour)
        if behaviour.applies_html(index):
            headers: Headers = [("Content-Type", "text/html; charset=utf-8")]
            return await self._reply(conn, request, stats, 200, headers, _HTML_PAGE)
        return await self._send_representation(conn, request, stats, resource, index)

    def _spend_token(self, token: str) -> bool:
        if self._tokens.get(token, 0) <= 0:
            return False
        self._tokens[token] -= 1
        return True

    async def _redirect(self, conn: Connection, request: Request, stats: _Stats, behaviour: Behaviour) -> bool:
        target = behaviour.redirect_to or ""
        location = target if target.startswith(("http://", "https://")) else self.url(target)
        if behaviour.redirect_uses is not None:
            token = f"t{next(self._token_serials)}"
            self._tokens[token] = behaviour.redirect_uses
            location += ("&" if "?" in location else "?") + f"token={token}"
        return await self._reply_text(conn, request, stats, behaviour.redirect_status, [("Location", location)])

    async def _send_representation(
        self, conn: Connection, request: Request, stats: _Stats, resource: _Resource, index: int
    ) -> bool:
        behaviour = resource.behaviour
        content = resource.version(index)
        try:
            span = _negotiate_range(request, behaviour, content)
        except Unsatisfiable:
            headers: Headers = [("Content-Range", f"bytes */{content.size}")]
            return await self._reply_text(conn, request, stats, 416, headers)
        start, end = span or (0, content.size)
        headers = _representation_headers(behaviour, content)
        if span is not None:
            headers.append(("Content-Range", f"bytes {start}-{end - 1}/{content.size}"))
        headers.extend(_framing_headers(behaviour.framing, end - start))
        malformed = behaviour.malformed_for(index)
        if malformed == "nul_header":
            headers.append(("X-Broken", b"before\x00after"))
        elif malformed == "data_after_close":
            headers.append(("Connection", "close"))
        stats.statuses.append(206 if span else 200)
        if malformed == "data_after_close" and request.method != "HEAD" and behaviour.framing == "length":
            # One write: the head, the body and what follows it, so the client always reads them together.
            body = content.read()[start:end]
            await conn.send(response_head(206 if span else 200, headers) + body + _AFTER_CLOSE)
            stats.add_sent(len(body))
            return False
        await conn.send(response_head(206 if span else 200, headers))
        if request.method == "HEAD":
            return request.keep_alive and behaviour.framing != "close"

        length = end - start
        cut = behaviour.body_cut(index)
        sent_length = length if cut is None else min(cut[0], length)
        stall_at = behaviour.stall_after if behaviour.stall_after is not None else length
        if not await _stream(conn, stats, content, start, sent_length, behaviour, resource.gate, stall_at):
            return False
        if sent_length < length:
            if cut is not None and cut[1] == "reset":
                conn.reset()
            else:
                conn.close()
            return False
        if behaviour.framing == "chunked":
            await conn.send(b"0\r\n\r\n")
        if malformed == "data_after_close":
            await conn.send(_AFTER_CLOSE)
            return False
        return request.keep_alive and behaviour.framing != "close"

    async def _reply(
        self, conn: Connection, request: Request, stats: _Stats, status: int, headers: Headers, body: bytes
    ) -> bool:
        stats.statuses.append(status)
        head = response_head(status, [*headers, ("Content-Length", len(body))])
        await conn.send(head if request.method == "HEAD" else head + body)
        return request.keep_alive

    async def _reply_text(
        self, conn: Connection, request: Request, stats: _Stats, status: int, headers: Headers | None = None
    ) -> bool:
        body = f"{status} {reason(status)}\n".encode()
        headers = [("Content-Type", "text/plain"), *(headers or [])]
        return await self._reply(conn, request, stats, status, headers, body)

    async def _reply_failure(
        self, conn: Connection, request: Request, stats: _Stats, status: int, behaviour: Behaviour
    ) -> bool:
        retry: Headers = [] if behaviour.retry_after is None else [("Retry-After", behaviour.retry_after)]
        return await self._reply_text(conn, request, stats, status, retry)


async def _stream(
    conn: Connection,
    stats: _Stats,
    content: Content,
    start: int,
    length: int,
    behaviour: Behaviour,
    gate: Gate,
    stall_at: int,
) -> bool:
    """Sends `length` body bytes from `start`, paced and stalled as configured; False if the client left."""
    pacer = _Pacer(behaviour.rate) if behaviour.rate is not None else None
    step = pacer.slice if pacer is not None else _BIG_SLICE
    chunked = behaviour.framing == "chunked"
    position = 0
    with content.open() as source:
        while position < length:
            if position == stall_at and not await conn.hold(gate):
                return False
            stop = stall_at if position < stall_at else length
            count = min(step, stop - position, length - position)
            if pacer is not None:
                await pacer.take(count)
            if chunked:
                await conn.send(b"%x\r\n" % count)
            await source.send(conn, start + position, count)
            if chunked:
                await conn.send(b"\r\n")
            position += count
            stats.add_sent(count)
    return True


def _negotiate_range(request: Request, behaviour: Behaviour, content: Content) -> tuple[int, int] | None:
    header = request.headers.get("range")
    if header is None or behaviour.ranges == "ignore" or not _if_range_holds(request, behaviour, content):
        return None
    span = parse_range(header, content.size)
    if span is None or behaviour.ranges == "honour":
        return span
    start, end = span
    wrong_start = start // 2 if start else 1
    return span if wrong_start >= content.size else (wrong_start, min(content.size, wrong_start + end - start))


def _if_range_holds(request: Request, behaviour: Behaviour, content: Content) -> bool:
    validator = request.headers.get("if-range")
    if validator is None:
        return True
    if validator.startswith('"'):
        return behaviour.etag and validator == content.etag
    if validator.startswith("W/"):
        return False  # weak validators never match for ranges (RFC 9110 §13.1.5)
    return behaviour.last_modified and validator == content.last_modified


def _representation_headers(behaviour: Behaviour, content: Content) -> Headers:
    headers: Headers = [("Content-Type", behaviour.content_type)]
    if behaviour.accept_ranges:
        headers.append(("Accept-Ranges", "bytes"))
    if behaviour.etag:
        headers.append(("ETag", content.etag))
    if behaviour.last_modified:
        headers.append(("Last-Modified", content.last_modified))
    if behaviour.gzip:
        headers.append(("Content-Encoding", "gzip"))
    if behaviour.content_disposition is not None:
        headers.append(("Content-Disposition", behaviour.content_disposition))
    headers.extend(behaviour.extra_headers.items())
    return headers


def _framing_headers(framing: str, length: int) -> Headers:
    if framing == "chunked":
        return [("Transfer-Encoding", "chunked")]
    if framing == "close":
        return [("Connection", "close")]
    return [("Content-Length", length)]


_T = TypeVar("_T")


class FaultServerThread:
    """A FaultServer on its own event loop in a daemon thread, for code that runs its own loop or none.

    Same methods as FaultServer; each runs on the server's loop, so stats are consistent snapshots, and
    `wait_for_bytes_sent` blocks the calling thread. Gates can be opened from any thread.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = FaultServer(host, port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-server", daemon=True)

    def __enter__(self) -> FaultServerThread:
        self._thread.start()
        self._run(self._server.start())
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._run(self._server.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def url(self, path: str = "/") -> str:
        return self._server.url(path)

    def add_file(self, path: str, data: bytes | Path = b"", **options: Any) -> None:
        self._on_loop(self._server.add_file, path, data, **options)

    def add_redirect(self, path: str, target: str, **options: Any) -> None:
        self._on_loop(self._server.add_redirect, path, target, **options)

    def add_directory(self, root: Path, **options: Any) -> None:
        self._on_loop(self._server.add_directory, root, **options)

    def gate(self, path: str) -> Gate:
        return self._on_loop(self._server.gate, path)

    def body(self, path: str, *, changed: bool = False) -> bytes:
        return self._on_loop(self._server.body, path, changed=changed)

    def stats(self, path: str) -> ResourceStats:
        return self._on_loop(self._server.stats, path)

    def reset_stats(self) -> None:
        self._on_loop(self._server.reset_stats)

    def wait_for_bytes_sent(self, path: str, count: int, timeout: float = 30.0) -> None:
        self._run(self._server.wait_for_bytes_sent(path, count, timeout))

    def _on_loop(self, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        async def call() -> _T:
            return function(*args, **kwargs)

        return self._run(call())

    def _run(self, coroutine: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.fault_server",
        description="Serve a directory over HTTP/1.1 on loopback, for benchmarks (Ctrl-C stops).",
    )
    parser.add_argument("--root", type=Path, required=True, help="directory whose files are served")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on start)")
    parser.add_argument("--rate", type=int, default=None, help="bytes per second per connection")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"--root {args.root} is not a directory")
    try:
        asyncio.run(_serve_forever(args.root, args.host, args.port, args.rate))
    except KeyboardInterrupt:
        pass


async def _serve_forever(root: Path, host: str, port: int, rate: int | None) -> None:
    async with FaultServer(host, port) as server:
        server.add_directory(root, rate=rate)
        print(f"serving {root} at {server.base_url}/", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    main()

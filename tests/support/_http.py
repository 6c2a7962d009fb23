"""HTTP/1.1 wire format for the fault server: request heads in, byte ranges, response heads out."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEAD = 64 * 1024
_RECV_SIZE = 64 * 1024


class BadRequest(Exception):
    """The client sent something this server cannot parse; answered with 400 and a closed connection."""


class Unsatisfiable(Exception):
    """A syntactically valid Range that selects no byte of the representation (answered with 416)."""


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    target: str
    path: str  # percent-decoded, without the query
    query: dict[str, str]
    version: str
    headers: dict[str, str]  # lower-case names; a repeated header keeps its last value

    @property
    def keep_alive(self) -> bool:
        connection = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection


def parse_request(head: bytes) -> Request:
    try:
        text = head.decode("latin-1")
        request_line, *header_lines = text.split("\r\n")
        method, target, version = request_line.split(" ")
    except ValueError:
        raise BadRequest("malformed request line") from None
    if not version.startswith("HTTP/1."):
        raise BadRequest(f"unsupported protocol {version!r}")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise BadRequest(f"malformed header line {line!r}")
        headers[name.lower()] = value.strip()
    url = urlsplit(target)  # origin-form or, through a proxy, absolute-form
    return Request(
        method=method,
        target=target,
        path=unquote(url.path),
        query=dict(parse_qsl(url.query)),
        version=version,
        headers=headers,
    )


async def read_head(loop: asyncio.AbstractEventLoop, sock: socket.socket, buffer: bytearray) -> bytes | None:
    """The next request head (without its blank line), consumed from `buffer` and the socket.

    Returns None when the client closes the connection before a complete head.
    """
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        if len(buffer) > MAX_HEAD:
            raise BadRequest("request head too large")
        data = await loop.sock_recv(sock, _RECV_SIZE)
        if not data:
            return None
        buffer += data
    head = bytes(buffer[:end])
    del buffer[: end + 4]
    return head


async def discard_body(loop: asyncio.AbstractEventLoop, sock: socket.socket, buffer: bytearray, length: int) -> None:
    """Skips a request body of `length` bytes so the next request on the connection parses."""
    while len(buffer) < length:
        data = await loop.sock_recv(sock, _RECV_SIZE)
        if not data:
            raise BadRequest("connection closed inside the request body")
        buffer += data
    del buffer[:length]


def parse_range(value: str, size: int) -> tuple[int, int] | None:
    """The single byte range `value` selects, as (start, end) with `end` exclusive.

    None when the header must be ignored (RFC 9110: malformed, another unit, or several ranges, which this
    server does not serve as multipart); raises Unsatisfiable when no byte of `size` is selected.
    """
    unit, _, spec = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = (part.strip() for part in spec.partition("-"))
    if not dash or not (first or last) or not all(_is_number(part) for part in (first, last) if part):
        return None
    if not first:  # suffix: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return start, size if not last else min(int(last) + 1, size)


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


HeaderValue = str | bytes | int


def response_head(status: int, headers: Iterable[tuple[str, HeaderValue]]) -> bytes:
    """Status line and headers; str values are sent UTF-8 encoded, bytes values verbatim."""
    lines = [f"HTTP/1.1 {status} {reason(status)}".encode()]
    for name, value in headers:
        raw = value if isinstance(value, bytes) else str(value).encode()
        lines.append(name.encode() + b": " + raw)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)

"""One accepted client socket: request heads in, bytes out, and an end that is graceful or a reset."""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import BinaryIO

from ._gate import Gate
from ._http import BadRequest, Request, discard_body, parse_request, read_head

_RST_ON_CLOSE = struct.pack("ii", 1, 0)  # SO_LINGER on with a zero timeout: close() sends RST, not FIN


class Connection:
    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket, ident: int) -> None:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ident = ident
        self.idle_timeout: float | None = None  # how long to wait for the next request; None waits forever
        self._loop = loop
        self._sock = sock
        self._buffer = bytearray()

    async def next_request(self) -> Request | None:
        """The next request, or None when the client closed the connection or it stayed idle too long."""
        try:
            head = await asyncio.wait_for(read_head(self._loop, self._sock, self._buffer), self.idle_timeout)
        except TimeoutError:
            return None
        if head is None:
            return None
        request = parse_request(head)
        if "chunked" in request.headers.get("transfer-encoding", "").lower():
            raise BadRequest("chunked request bodies are not supported")
        length = request.headers.get("content-length", "0")
        if not (length.isascii() and length.isdigit()):
            raise BadRequest(f"bad Content-Length {length!r}")
        await discard_body(self._loop, self._sock, self._buffer, int(length))
        return request

    async def send(self, data: bytes | memoryview) -> None:
        await self._loop.sock_sendall(self._sock, data)

    async def sendfile(self, file: BinaryIO, offset: int, count: int) -> None:
        await self._loop.sock_sendfile(self._sock, file, offset, count)

    async def hold(self, gate: Gate) -> bool:
        """Waits until `gate` opens (True) or the client hangs up (False), watching the socket meanwhile."""
        while not gate.is_open:
            opened = asyncio.ensure_future(gate.wait())
            incoming = asyncio.ensure_future(self._loop.sock_recv(self._sock, 65536))
            try:
                await asyncio.wait((opened, incoming), return_when=asyncio.FIRST_COMPLETED)
            finally:
                opened.cancel()
                incoming.cancel()
            if incoming.done() and not incoming.cancelled():
                if incoming.exception() is not None or not (data := incoming.result()):
                    return False
                self._buffer += data  # a pipelined request: keep it for next_request
        return True

    def client_gone(self) -> bool:
        """Whether the client has closed its end: all the socket holds is its FIN (or it was reset)."""
        try:
            return self._sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False  # open, nothing sent yet
        except OSError:
            return True

    def close(self) -> None:
        """Ends the connection with a FIN, after everything already sent."""
        if self._sock.fileno() < 0:
            return
        try:
            self._sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # already reset by the peer
        self._sock.close()

    def reset(self) -> None:
        """Aborts the connection with a TCP RST: the client sees 'connection reset by peer'."""
        if self._sock.fileno() >= 0:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RST_ON_CLOSE)
            self._sock.close()

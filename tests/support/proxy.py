"""A real proxy for tests: `pproxy` (PyPI) in a child process on 127.0.0.1, HTTP or SOCKS5, with or without
credentials. It really forwards: what it relayed is read from its verbose log (one `<scheme> <client> -> <target>`
line per relayed connection; refused logins print `Unauthorized ...`).

    async with RealProxy("socks5", credentials=("user", "secret")) as proxy:
        proxy.url                      # socks5://user:secret@127.0.0.1:PORT
        await proxy.wait_relayed(1)    # until it has relayed one connection
        proxy.refused                  # logins it turned away

`dead_proxy_url(scheme)`: the URL of a port where no proxy listens (bound, then closed), for "the proxy is down".
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from pathlib import Path
from typing import Literal, Optional

Scheme = Literal["http", "socks5"]
_RELAYED = re.compile(r"^(http|socks5) 127\.0\.0\.1:\d+ -> (\S+)$")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_proxy_url(scheme: Scheme) -> str:
    return f"{scheme}://127.0.0.1:{_free_port()}"


class RealProxy:
    def __init__(self, scheme: Scheme, *, credentials: Optional[tuple[str, str]] = None) -> None:
        self.scheme = scheme
        self.credentials = credentials
        self.port = _free_port()
        self._process: Optional[asyncio.subprocess.Process] = None
        self._lines: list[str] = []
        self._changed = asyncio.Event()
        self._reader: Optional[asyncio.Task[None]] = None

    @property
    def url(self) -> str:
        auth = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"{self.scheme}://{auth}127.0.0.1:{self.port}"

    @property
    def relayed(self) -> list[str]:
        """The targets (host:port) of every connection relayed so far."""
        return [m.group(2) for m in map(_RELAYED.match, self._lines) if m]

    @property
    def refused(self) -> list[str]:
        return [line for line in self._lines if line.startswith("Unauthorized")]

    async def wait_relayed(self, count: int, timeout: float = 10.0) -> None:
        async def until() -> None:
            while len(self.relayed) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)

    async def __aenter__(self) -> "RealProxy":
        listen = f"{self.scheme}://127.0.0.1:{self.port}"
        if self.credentials:
            listen += f"#{self.credentials[0]}:{self.credentials[1]}"
        # --auth 0: check the credentials of every connection (pproxy otherwise trusts an address that logged in once)
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "pproxy", "-l", listen, "--auth", "0", "-v",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=Path(__file__).parent,
        )
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._listening(), 15)
        return self

    async def _listening(self) -> None:
        while not any(line.startswith("Serving on") for line in self._lines):
            if self._reader is not None and self._reader.done():  # its output ended: it exited
                raise RuntimeError(f"pproxy did not start: {self._lines}")
            self._changed.clear()
            await self._changed.wait()

    async def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        async for raw in self._process.stdout:
            self._lines.append(raw.decode(errors="replace").strip())
            self._changed.set()
        self._changed.set()

    async def __aexit__(self, *_: object) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()
        if self._reader is not None:
            await self._reader

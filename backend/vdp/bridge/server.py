"""Server mode: the same command contract over HTTP and events over a WebSocket (contract-decisions.md §7).

Hardened by default: 127.0.0.1 only unless told otherwise, a token on every request, no CORS headers, an
Origin check on the WebSocket, and small request bodies.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from typing import Any, Optional

from aiohttp import WSMsgType, web

from ..ui_assets import ui_dir
from .coalescer import pump
from .invoke import InvokeError, invoke

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 8 << 20
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class ServerMode:
    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0, token: Optional[str] = None) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.token = token or secrets.token_hex(24)  # hex: never starts with '-', so it can be passed as --token T
        self._runner: Optional[web.AppRunner] = None
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}/#token={self.token}"

    def build(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_REQUEST_BYTES, middlewares=[self._security_headers])
        web_app.router.add_post("/api/invoke/{command}", self._invoke)
        web_app.router.add_get("/api/events", self._events)
        web_app.router.add_get("/", self._index)
        web_app.router.add_get("/{path:.*}", self._static)
        return web_app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- auth ---------------------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        offered = header[7:] if header.startswith("Bearer ") else request.query.get("token", "")
        return bool(offered) and hmac.compare_digest(offered.encode(), self.token.encode())

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: the token alone decides
        return origin in {f"http://{host}" for host in (request.host, f"127.0.0.1:{self.port}", f"localhost:{self.port}")}

    @web.middleware
    async def _security_headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        return response

    # -- routes -------------------------------------------------------------------------------------

    async def _invoke(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": "Unauthorized: a valid token is required"}, status=401)
        if not self._origin_allowed(request):
            return web.json_response({"error": "Forbidden origin"}, status=403)
        try:
            body = await request.read()
            args = json.loads(body) if body else {}
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": "Request too large"}, status=413)
        except ValueError:
            return web.json_response({"error": "Invalid JSON body"}, status=400)
        try:
            result = await invoke(self.app, request.match_info["command"], args)
        except InvokeError as exc:
            return web.json_response({"error": exc.message}, status=exc.status)
        return web.json_response(result)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if not self._authorised(request):
            return web.json_response({"error": "Unauthorized: a valid token is required"}, status=401)
        if not self._origin_allowed(request):
            return web.json_response({"error": "Forbidden origin"}, status=403)
        socket = web.WebSocketResponse(heartbeat=20, max_msg_size=64 * 1024)
        await socket.prepare(request)
        self._sockets.add(socket)
        subscription = self.app.bus.subscribe(f"websocket-{id(socket)}")
        sender = asyncio.create_task(pump(subscription, lambda batch: socket.send_str(json.dumps(batch))))
        try:
            async for message in socket:
                if message.type in (WSMsgType.ERROR, WSMsgType.CLOSE):
                    break  # the client sends nothing we need; events flow one way
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            subscription.close()
            self._sockets.discard(socket)
        return socket

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return self._file("index.html")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        return self._file(request.match_info["path"])

    def _file(self, relative: str) -> web.StreamResponse:
        root = ui_dir().resolve()
        target = (root / relative).resolve()
        if root not in target.parents or not target.is_file():
            raise web.HTTPNotFound()
        response = web.FileResponse(target)
        if target.name == "index.html":
            response.headers["Cache-Control"] = "no-store"
        return response


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("0.0.0.0", "") else host)

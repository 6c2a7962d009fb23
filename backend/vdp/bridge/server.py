"""Server mode: the same command contract over HTTP and events over a WebSocket (docs/contract.md, "Transports").

Hardened by default: 127.0.0.1 only unless told otherwise, a token on every request, no CORS headers, an
Origin check, the Host header checked against the loopback names and the bound address (a DNS-rebound page
names its own host), small and shallow request bodies, and a server that sheds load (`connection_guard`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from typing import Any, Optional
from urllib.parse import unquote_to_bytes

from aiohttp import WSMsgType, web

from ..errors import ErrorCode, VdpError
from ..import_pool import cancel_running as cancel_imports
from ..slices import loop_slices
from ..ui_assets import ui_dir
from .coalescer import pump
from .connection_guard import KEEPALIVE_TIMEOUT, ConnectionGuard
from .context import AppContext
from .invoke import WIRE_SLICE, invoke

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 8 << 20
# The HTTP status of a failed command, by code; every other code is the caller's problem (400).
_STATUS_OF = {ErrorCode.UNAUTHORIZED: 401, ErrorCode.FORBIDDEN: 403, ErrorCode.UNKNOWN_COMMAND: 404,
              ErrorCode.REQUEST_TOO_LARGE: 413, ErrorCode.INTERNAL: 500, ErrorCode.NOT_IMPLEMENTED: 501}
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class ServerMode:
    def __init__(self, app: AppContext, *, host: str = "127.0.0.1", port: int = 0, token: Optional[str] = None,
                 guard: Optional[ConnectionGuard] = None) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.token = token or secrets.token_hex(24)  # hex: never starts with '-', so it can be passed as --token T
        self.guard = guard or ConnectionGuard()
        self._runner: Optional[web.AppRunner] = None
        self._previous_exception_handler: Any = None
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.port}/#token={self.token}"

    def build(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_REQUEST_BYTES,
                                  middlewares=[self._host_check, self._security_headers])
        web_app.router.add_post("/api/invoke/{command}", self._invoke)
        web_app.router.add_get("/api/events", self._events)
        web_app.router.add_get("/", self._index)
        web_app.router.add_get("/{path:.*}", self._static)
        return web_app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build(), access_log=None, keepalive_timeout=KEEPALIVE_TIMEOUT,
                                     shutdown_timeout=5.0)
        await self._runner.setup()
        assert self._runner.server is not None
        self.guard.attach(self._runner.server)
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._previous_exception_handler = self.guard.install_accept_log_filter(asyncio.get_running_loop())

    async def stop(self) -> None:
        cancel_imports()  # an import still reading stops now, so its request ends and shutdown is quick
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
        asyncio.get_running_loop().set_exception_handler(self._previous_exception_handler)

    # -- auth ---------------------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        offered = header[7:] if header.startswith("Bearer ") else request.query.get("token", "")
        return bool(offered) and hmac.compare_digest(offered.encode(), self.token.encode())

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser: the token alone decides
        hosts = (request.host, f"127.0.0.1:{self.port}", f"localhost:{self.port}")
        return origin in {f"http://{host}" for host in hosts}

    def _host_allowed(self, request: web.Request) -> bool:
        """The Host a browser sends names the page's own origin: only the loopback names and the bound address."""
        host = request.headers.get("Host", "")
        names = {"127.0.0.1", "localhost", "[::1]", _url_host(self.host)}
        return host in names or host in {f"{name}:{self.port}" for name in names}

    @web.middleware
    async def _host_check(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Before any route: a foreign Host is refused, and a path that is no valid text is a 400 (never a 500)."""
        if not self._host_allowed(request):
            return _failure(VdpError(ErrorCode.FORBIDDEN, "Forbidden host: use http://127.0.0.1 or http://localhost"))
        if not _clean_path(request.raw_path):
            return web.Response(status=400, text="Bad path: a NUL, a control character or invalid UTF-8")
        return await handler(request)

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
            return _failure(VdpError(ErrorCode.UNAUTHORIZED, "Unauthorized: a valid token is required"))
        if not self._origin_allowed(request):
            return _failure(VdpError(ErrorCode.FORBIDDEN, "Forbidden origin"))
        try:
            body = await request.read()
            args = json.loads(body) if body else {}
        except web.HTTPRequestEntityTooLarge:
            return _failure(VdpError(ErrorCode.REQUEST_TOO_LARGE, "Request too large"))
        except ValueError:
            return _failure(VdpError(ErrorCode.INVALID_JSON, "Invalid JSON body"))
        except RecursionError:
            return _failure(VdpError(ErrorCode.INVALID_JSON, "Invalid JSON body: nested too deeply"))
        try:
            result = await invoke(self.app, request.match_info["command"], args)
        except VdpError as exc:
            return _failure(exc)
        return web.Response(text=await _json_yielding(result), content_type="application/json")

    async def _events(self, request: web.Request) -> web.StreamResponse:
        if not self._authorised(request):
            return _failure(VdpError(ErrorCode.UNAUTHORIZED, "Unauthorized: a valid token is required"))
        if not self._origin_allowed(request):
            return _failure(VdpError(ErrorCode.FORBIDDEN, "Forbidden origin"))
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


def _clean_path(raw_path: str) -> bool:
    """The request path, percent-decoded, is valid UTF-8 that `str.isprintable` accepts: no NUL or other control
    character, and no separator but the plain space (a non-breaking space or U+2028 is refused as well)."""
    try:
        text = unquote_to_bytes(raw_path.split("?", 1)[0]).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.isprintable()


async def _json_yielding(value: Any) -> str:
    """JSON text of an answer; a long list (at the top or one level down) is encoded a slice at a time with the
    event loop free between slices, since the C encoder holds it for the whole call (seconds for 200,000 tasks)."""
    if isinstance(value, list) and len(value) > WIRE_SLICE:
        parts = [json.dumps(part)[1:-1] async for part in loop_slices(value, WIRE_SLICE)]
        return "[" + ", ".join(parts) + "]"
    if isinstance(value, dict) and any(isinstance(item, list) and len(item) > WIRE_SLICE for item in value.values()):
        members = [f"{json.dumps(key)}: {await _json_yielding(item)}" for key, item in value.items()]
        return "{" + ", ".join(members) + "}"
    return json.dumps(value)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("0.0.0.0", "") else host)


def _failure(error: VdpError) -> web.Response:
    """A failed call as the wire carries it: the original's text under `error`, the stable `code` beside it."""
    return web.json_response({"error": error.text, "code": error.code.value}, status=_STATUS_OF.get(error.code, 400))

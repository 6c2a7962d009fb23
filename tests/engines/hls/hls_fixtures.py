"""HLS test kit: a real loopback HTTP server, a recording TransferContext, and fixture content."""

from __future__ import annotations

import asyncio
import copy
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Optional

from aiohttp import web
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.support.services import transfer_services
from vdp.contract import DownloadConfig, ErrorCode, VideoTask
from vdp.engines.base import CancelToken, ResumeState, RetryBudget, TransferContext
from vdp.engines.services import TransferServices

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class HlsServer:
    """Serves registered bodies (with Range support) and custom handlers; counts every request by path."""

    def __init__(self) -> None:
        self.bodies: dict[str, tuple[bytes, str]] = {}
        self.handlers: dict[str, Handler] = {}
        self.hits: Counter[str] = Counter()
        self.closing = asyncio.Event()  # handlers that stall wait on this, so teardown never hangs
        self._runner: Optional[web.AppRunner] = None
        self.base = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self.closing.set()
        assert self._runner is not None
        await self._runner.cleanup()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes, content_type: str = "video/mp2t") -> None:
        self.bodies[path] = (body, content_type)

    def add_playlist(self, path: str, text: str) -> None:
        self.add(path, text.encode(), "application/vnd.apple.mpegurl")

    def on(self, path: str, handler: Handler) -> None:
        self.handlers[path] = handler

    def segment_hits(self, paths: list[str]) -> list[int]:
        return [self.hits[p] for p in paths]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        handler = self.handlers.get(request.path)
        if handler is not None:
            return await handler(request)
        return self.serve(request)

    def serve(self, request: web.Request) -> web.Response:
        if request.path not in self.bodies:
            return web.Response(status=404, text="not here")
        body, content_type = self.bodies[request.path]
        spec = request.headers.get("Range")
        if spec is None:
            return web.Response(body=body, content_type=content_type)
        first, _, last = spec.removeprefix("bytes=").partition("-")
        start, end = int(first), min(int(last), len(body) - 1)
        return web.Response(
            status=206,
            body=body[start : end + 1],
            content_type=content_type,
            headers={"Content-Range": f"bytes {start}-{end}/{len(body)}"},
        )


class RecordingProgress:
    def __init__(self) -> None:
        self.downloaded = 0
        self.total: Optional[int] = None
        self.restarts: list[int] = []

    def advance(self, nbytes: int) -> None:
        self.downloaded += nbytes

    def set_total(self, total: Optional[int]) -> None:
        self.total = total

    def restart(self, downloaded: int) -> None:
        self.restarts.append(downloaded)
        self.downloaded = downloaded


@dataclass
class Run:
    """A TransferContext plus everything the engine reported through it."""

    ctx: TransferContext
    progress: RecordingProgress
    checkpoints: list[ResumeState] = field(default_factory=list)
    warnings: list[tuple[ErrorCode, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def last_state(self) -> ResumeState:
        return self.checkpoints[-1] if self.checkpoints else ResumeState()

    @property
    def done_indices(self) -> set[int]:
        return {c.index for c in self.last_state.chunks if c.complete}


# Services `make_run` built for a run that brought none; the conftest closes them after each test.
OPEN_SERVICES: list[TransferServices] = []


def _services_closed_after_the_test(download: DownloadConfig) -> TransferServices:
    services = transfer_services(download)
    OPEN_SERVICES.append(services)
    return services


def make_run(
    output_dir: Path,
    url: str,
    *,
    title: str = "My video",
    resume: Optional[ResumeState] = None,
    options: Optional[dict[str, str]] = None,
    services: Optional[TransferServices] = None,
    **config: object,
) -> Run:
    settings = {"hls_segment_concurrency": 4, "retry_attempts": 2, **config}
    progress = RecordingProgress()
    run: Run
    task = VideoTask(
        id="task-1",
        url=url,
        title=title,
        output_path=str(output_dir),
        engine_options={"remux": "off", **(options or {})},
    )

    async def checkpoint(state: ResumeState) -> None:
        # A checkpoint may only claim parts that are in place: a whole part file, or inside a track file that
        # holds at least the bytes the checkpoint says were appended to it.
        work = output_dir / state.meta["work_dir"]
        assembled = state.meta.get("assembled", {})
        appended_parts = sum(position for position, _ in assembled.values())
        appended_bytes = sum(length for _, length in assembled.values())
        for kind, (_, length) in assembled.items():
            files = list(work.glob(f"{kind}.*"))
            if length and (len(files) != 1 or files[0].stat().st_size < length):
                run.violations.append(f"checkpoint claims {length} bytes in the {kind} track file")
        inside = []
        for chunk in state.chunks:
            part = work / f"{chunk.index:06d}.seg"
            if part.is_file() and part.stat().st_size == chunk.done:
                continue
            inside.append(chunk)
        if len(inside) > appended_parts or sum(c.done for c in inside) > appended_bytes:
            run.violations.append(f"checkpoint claims {[c.index for c in inside]} before they are in place")
        run.checkpoints.append(copy.deepcopy(state))

    run = Run(
        ctx=TransferContext(
            task=task,
            output_dir=output_dir,
            config=DownloadConfig(**settings),
            resume=resume or ResumeState(),
            progress=progress,
            cancel=CancelToken(),
            checkpoint=checkpoint,
            warn=lambda code, message: run.warnings.append((code, message)),
            services=services or _services_closed_after_the_test(DownloadConfig(**settings)),
            retries=RetryBudget(DownloadConfig(**settings).retry_attempts),
        ),
        progress=progress,
    )
    return run


# -- fixture content ---------------------------------------------------------------------------------------


def fixture_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def encrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(padder.update(data) + padder.finalize()) + encryptor.finalize()


def media_playlist(lines: list[str], *, ended: bool = True, header: str = "") -> str:
    text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n" + header + "\n".join(lines) + "\n"
    return text + ("#EXT-X-ENDLIST\n" if ended else "")


def serve_segments(server: HlsServer, folder: str, count: int, size: int = 3000, seed: int = 0) -> list[bytes]:
    """Register `count` plain segments `<folder>/seg<i>.ts` and return their bodies."""
    bodies = [fixture_bytes(size + i, seed * 1000 + i) for i in range(count)]
    for i, body in enumerate(bodies):
        server.add(f"{folder}/seg{i}.ts", body)
    return bodies


def only_output(folder: Path) -> Path:
    """The one visible file in `folder` (hidden work folders excluded)."""
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert len(files) == 1, files
    return files[0]

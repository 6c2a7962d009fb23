"""Fixtures: the media site (see media_site.py) served on an ephemeral port, and recording TransferContexts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
from aiohttp import web

from vdp.contract import DownloadConfig, ErrorCode, VideoTask
from vdp.engines.base import CancelToken, ResumeState, RetryBudget, TransferContext
from vdp.engines.services import TransferServices

from .media_site import MediaSite, RecordingSink, site_app


@dataclass
class Recorded:
    ctx: TransferContext
    sink: RecordingSink
    checkpoints: list[ResumeState]
    warnings: list[tuple[ErrorCode, str]]


MakeContext = Callable[..., Recorded]


@pytest.fixture
async def media_site():
    site = MediaSite()
    runner = web.AppRunner(site_app(site), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    site.base_url = f"http://127.0.0.1:{port}"
    try:
        yield site
    finally:
        if site.gate:
            site.gate.release.set()
        await runner.cleanup()


@pytest.fixture
def make_context(tmp_path: Path, transfer_services: TransferServices) -> MakeContext:
    def make(
        url: str,
        *,
        config: Optional[DownloadConfig] = None,
        resume: Optional[ResumeState] = None,
        options: Optional[dict[str, Any]] = None,
        output_dir: Optional[Path] = None,
    ) -> Recorded:
        sink = RecordingSink()
        checkpoints: list[ResumeState] = []
        warnings: list[tuple[ErrorCode, str]] = []

        async def checkpoint(state: ResumeState) -> None:
            checkpoints.append(state)

        task = VideoTask(id="t1", url=url, title="task title", output_path=str(tmp_path), engine_options=options or {})
        ctx = TransferContext(
            task=task,
            output_dir=output_dir or tmp_path / "out",
            config=config or DownloadConfig(),
            resume=resume or ResumeState(),
            progress=sink,
            cancel=CancelToken(),
            checkpoint=checkpoint,
            warn=lambda code, message: warnings.append((code, message)),
            services=transfer_services,
            retries=RetryBudget((config or DownloadConfig()).retry_attempts),
        )
        return Recorded(ctx, sink, checkpoints, warnings)

    return make

"""The TransferContext an HTTP engine test runs a transfer with: one task in `folder`, the checkpoints it saves."""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable, Optional

from tests.engines.hls.hls_fixtures import RecordingProgress
from vdp.contract import DownloadConfig, VideoTask
from vdp.engines.base import CancelToken, ResumeState, RetryBudget, TransferContext
from vdp.engines.services import TransferServices

Checkpoint = Callable[[ResumeState], Awaitable[None]]


def http_context(folder: Path, url: str, services: TransferServices, *,
                 checkpoints: Optional[list[ResumeState]] = None, checkpoint: Optional[Checkpoint] = None,
                 resume: Optional[ResumeState] = None, cancel: Optional[CancelToken] = None,
                 progress: Optional[RecordingProgress] = None, title: str = "f") -> TransferContext:
    """`checkpoint` saves a checkpoint (it may wait or fail); without it each one is appended to `checkpoints`."""
    saved = checkpoints if checkpoints is not None else []

    async def append(state: ResumeState) -> None:
        saved.append(state)

    task = VideoTask(id="t1", url=url, title=title, output_path=str(folder))
    return TransferContext(task=task, output_dir=folder, config=DownloadConfig(), resume=resume or ResumeState(),
                           progress=progress or RecordingProgress(), cancel=cancel or CancelToken(),
                           checkpoint=checkpoint or append, warn=lambda code, message: None, services=services,
                           retries=RetryBudget(0))

"""One started download: the job the original spawned per task, retrying inside its own slot (§9.1).

The job only moves bytes and remembers how it ended (`result`, `error`, or stopped by its token). Status
changes are the runtime's: a job that ends by itself is recorded by the runtime's driver, a stopped one by the
command that stopped it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from pathlib import Path
from typing import Any, Callable, Optional

from ..contract import AppConfig, DownloadProgressEvent, ErrorCode, VideoTask
from ..engines.base import CancelToken, TransferContext, TransferInterrupted, TransferResult
from ..errors import VdpError
from ..runtime.files import save_checkpoint
from ..runtime.retry import RetryPolicy
from ..storage.repository import TaskRepository
from ._progress import LegacyProgressCell

log = logging.getLogger("vdp.legacy")


class Job:
    def __init__(self, task: VideoTask, *, repo: TaskRepository, engines: Any, services: Any, config: AppConfig,
                 emit: Callable[[DownloadProgressEvent], None]) -> None:
        self.task = task
        self.token = CancelToken()
        self.runner: Optional["asyncio.Task[None]"] = None
        self.cell: Optional[LegacyProgressCell] = None
        self.attempt = 0
        self.result: Optional[TransferResult] = None
        self.error: Optional[VdpError] = None
        self._repo = repo
        self._engines = engines
        self._services = services
        self._config = config
        self._emit = emit

    @property
    def stopped(self) -> bool:
        """A command asked this job to stop; that command records the outcome."""
        return self.token.cancelled

    async def run(self) -> None:
        policy = RetryPolicy(max_attempts=self._config.download.retry_attempts)
        for attempt in itertools.count(1):
            self.attempt = attempt
            try:
                self.result = await self._transfer()
                return
            except TransferInterrupted:
                return
            except VdpError as exc:
                error = exc
            except Exception as exc:
                log.exception("engine crashed on task %s", self.task.id)
                error = VdpError(ErrorCode.INTERNAL, f"Internal error: {exc}")
            if self.stopped:
                return
            if not error.retryable or attempt > policy.max_attempts:
                self.error = error
                return
            delay = policy.delay(attempt, error.retry_after)
            log.info("task %s: attempt %s failed (%s); retrying in %.1fs", self.task.id, attempt, error.message, delay)
            if await self._stopped_within(delay):
                return

    async def _transfer(self) -> TransferResult:
        task = self.task
        engine = self._engines.for_task(task)
        resume = await self._repo.load_resume(task.id)
        self.cell = LegacyProgressCell(task.id, engine.name, resume.durable_bytes, task.file_size, self._emit)
        ctx = TransferContext(
            task=task.model_copy(deep=True), output_dir=Path(task.output_path), config=self._config.download,
            resume=resume, progress=self.cell, cancel=self.token,
            checkpoint=lambda state: save_checkpoint(self._repo, self.task, state),
            warn=self._warn, services=self._services,
        )
        try:
            return await engine.transfer(ctx)
        finally:
            self.cell.flush()

    def _warn(self, code: ErrorCode, message: str) -> None:
        log.warning("task %s: %s (%s)", self.task.id, message, code.value)  # the original had no warning event

    async def _stopped_within(self, delay: float) -> bool:
        try:
            await asyncio.wait_for(self.token.wait(), delay)
        except TimeoutError:
            return False
        return True

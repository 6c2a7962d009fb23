"""One started download: the job the original spawned per task, retrying inside its own slot (§9.1).

The job only moves bytes and remembers how it ended (`result`, `error`, or stopped by its token). Status
changes are the runtime's: a job that ends by itself is recorded by the runtime's driver, a stopped one by the
command that stopped it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Callable, Optional

from ..contract import AppConfig, DownloadProgressEvent, ErrorCode, VideoTask
from ..engines.base import CancelToken, EngineLookup, RetryBudget, TransferContext, TransferInterrupted, TransferResult
from ..engines.services import TransferServices
from ..errors import VdpError
from ..runtime.files import save_checkpoint
from ..runtime.retry import RetryPolicy
from ..storage.repository import TaskRepository
from ._progress import LegacyProgressCell

log = logging.getLogger("vdp.legacy")


class Job:
    def __init__(self, task: VideoTask, *, repo: TaskRepository, engines: EngineLookup,
                 services: TransferServices, config: AppConfig,
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
        retries = RetryBudget(policy.max_attempts)  # one budget for this job's retries and an engine's quick ones
        while True:
            self.attempt = retries.used + 1
            try:
                self.result = await self._transfer(retries)
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
            retry = retries.take() if error.retryable else None
            if retry is None:
                self.error = error
                return
            delay = policy.delay(retry, error.retry_after)
            log.info("task %s: retry %s/%s in %.1fs after: %s", self.task.id, retry, retries.limit, delay,
                     error.message)
            if await self._stopped_within(delay):
                return

    async def _transfer(self, retries: RetryBudget) -> TransferResult:
        task = self.task
        engine = self._engines.for_task(task)
        resume = await self._repo.load_resume(task.id)
        self.cell = LegacyProgressCell(task.id, engine.name, resume.durable_bytes, task.file_size, self._emit)
        ctx = TransferContext(
            task=task.model_copy(deep=True), output_dir=Path(task.output_path), config=self._config.download,
            resume=resume, progress=self.cell, cancel=self.token,
            checkpoint=lambda state: save_checkpoint(self._repo, self.task, state),
            warn=self._warn, services=self._services, retries=retries,
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

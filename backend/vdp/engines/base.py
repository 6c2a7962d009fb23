"""The TransferEngine protocol: what every protocol engine (http, hls, ytdlp) receives and returns.

Engines never touch the database or the event bus. They move bytes, report progress through a
`ProgressSink`, hand durable resume checkpoints to `TransferContext.checkpoint`, and finish by returning a
`TransferResult` or raising a classified `VdpError` (or `TransferInterrupted` when the cancel token fired).
The tasks an engine runs side by side live in a `TransferScope` and every race against the token goes through
`until_cancelled` (both in `engines/scope.py`), so no task of a transfer outlives it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Optional, Protocol

from ..contract import DownloadConfig, ErrorCode, VideoTask

if TYPE_CHECKING:
    from .services import TransferServices


@dataclass(slots=True)
class Chunk:
    """One resumable unit: a byte range of an HTTP file or one HLS segment. `done` bytes are durable on disk."""

    index: int
    start: int
    end: Optional[int]  # inclusive; None while the total is unknown
    done: int = 0

    @property
    def length(self) -> Optional[int]:
        return None if self.end is None else self.end - self.start + 1

    @property
    def complete(self) -> bool:
        return self.end is not None and self.done >= self.end - self.start + 1


# ResumeState.meta key: paths (relative to the output folder) of an engine's partial files and work folders,
# which the runtime deletes when the user cancels (unless they keep the file).
PARTIAL_PATHS = "partial_paths"


@dataclass(slots=True)
class ResumeState:
    """What the runtime persisted for a task: engine metadata (validators, temp path, name) and the chunk map."""

    meta: dict[str, Any] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def durable_bytes(self) -> int:
        return sum(c.done for c in self.chunks)


class CancelToken:
    """Set once by the runtime; engines check `cancelled` between batches, and what must stop at once while blocked
    (a `TransferScope`'s tasks) is told by a listener, called inside `cancel` (no task waits for the token)."""

    __slots__ = ("_cancelled", "reason", "_listeners")

    def __init__(self) -> None:
        self._cancelled = False
        self.reason: Optional[str] = None  # "pause" or "cancel"
        self._listeners: list[Callable[[], None]] = []

    def cancel(self, reason: str) -> None:
        if not self._cancelled:
            self._cancelled, self.reason = True, reason
            for listener in self._listeners[:]:
                listener()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    async def wait(self) -> None:
        """Until the token fires."""
        fired: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def listener() -> None:
            if not fired.done():
                fired.set_result(None)

        self.on_cancel(listener)
        try:
            await fired
        finally:
            self.forget(listener)

    def on_cancel(self, listener: Callable[[], None]) -> None:
        """Call `listener` when the token fires (at once if it has); undone by `forget`."""
        if self._cancelled:
            listener()
        else:
            self._listeners.append(listener)

    def forget(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)


@dataclass(slots=True)
class RetryBudget:
    """A task's retries, one budget for every layer: the runtime's retry of a whole attempt and an engine's quick retry
    of one request inside an attempt (an HLS segment) each spend one. So `retry_attempts` bounds the retries of a task
    however they are made, instead of multiplying per layer; the runtime builds it per attempt with the retries the
    task already used, and reads back what the engine spent."""

    limit: int
    used: int = 0

    def take(self) -> Optional[int]:
        """Spend one retry: its number (1-based, counted over the task's whole budget), or None when none is left."""
        if self.used >= self.limit:
            return None
        self.used += 1
        return self.used


class TransferInterrupted(Exception):
    """Raised by an engine that stopped because its cancel token fired, after its checkpoint was saved."""


class ProgressSink(Protocol):
    """A latest-value cell: cheap to call per batch; the runtime samples and publishes it at its own cadence."""

    connections: int
    """Connections (HTTP) or parts (HLS) in flight now, set by the engine as they change (the details pane shows it)."""
    live_state: Optional[Callable[[], ResumeState]]
    """Set by the engine: a copy of its metadata and piece map as written so far, newer than the last checkpoint
    (the details pane shows it)."""

    def advance(self, nbytes: int) -> None: ...

    def set_total(self, total: Optional[int]) -> None: ...

    def restart(self, downloaded: int) -> None:
        """A new attempt begins at `downloaded` bytes (e.g. a resume was invalidated and the file restarts)."""
        ...


@dataclass(slots=True)
class TransferContext:
    task: VideoTask
    output_dir: Path
    config: DownloadConfig
    resume: ResumeState
    progress: ProgressSink
    cancel: CancelToken
    # Persist a checkpoint; call only after the bytes it claims are fsynced to the data file.
    checkpoint: Callable[[ResumeState], Coroutine[Any, Any, None]]
    # Surface a non-fatal runtime_warning (e.g. resume_invalidated).
    warn: Callable[[ErrorCode, str], None]
    # The runtime's shared HTTP client, rate limits and connection budget (engine tests build real ones too).
    services: TransferServices
    # The task's retry budget, shared with the runtime: a quick retry inside this attempt spends from it.
    retries: RetryBudget
    # Called once the bytes are all in and finishing (verify, rename, remux) begins: the task shows Completing. On the
    # event loop's thread; it only posts a report, so it returns at once.
    enter_completing: Optional[Callable[[], None]] = None

    def completing(self) -> None:
        if self.enter_completing is not None:
            self.enter_completing()


@dataclass(slots=True)
class TransferResult:
    file_path: Path
    size: int


class TransferEngine(Protocol):
    name: str

    async def transfer(self, ctx: TransferContext) -> TransferResult: ...


class EngineLookup(Protocol):
    """Which engine runs a task: `engines.registry.EngineRegistry` in the app; runtime tests pass their own."""

    def for_task(self, task: VideoTask) -> TransferEngine: ...

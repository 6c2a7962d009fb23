"""`RuntimeApi`: what the rest of the app may ask of a runtime, whichever one runs.

Both the v2 runtime (`runtime.runtime.Runtime`) and the original app's v1 scheduler (`legacy.runtime.LegacyRuntime`)
satisfy it; the bridge, the CLI and `Application` see only this. Commands go in through `submit` (see
`runtime.commands`); everything else is a read-only view that is safe to call from the runtime's own loop.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

from ..contract import DownloadMetricsEvent, DownloadStats, RuntimeState, SessionSummary, VideoTask
from . import commands


class RuntimeApi(Protocol):
    name: str
    session: SessionSummary

    async def start(self) -> None:
        """Load the task list and recover what a previous run left running; starts no download."""

    async def stop(self) -> None:
        """Pause what runs, so the next start continues it."""

    async def submit(self, command: commands.Command) -> Any:
        """Run one command in order with every other and return its answer (or raise its error)."""

    def tasks(self) -> list[VideoTask]: ...

    def task(self, task_id: str) -> Optional[VideoTask]: ...

    def stats(self) -> DownloadStats: ...

    def metrics(self) -> DownloadMetricsEvent: ...

    def state(self) -> RuntimeState: ...

    @property
    def uptime(self) -> float: ...

    @property
    def loop_lag(self) -> float: ...

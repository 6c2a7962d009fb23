"""A scripted engine for runtime unit tests: one that never looks at its cancel token.

Real transfers prove downloading works; this exists only because no real transfer can be made to ignore a pause
on purpose.
"""

from __future__ import annotations

import asyncio

from vdp.contract import VideoTask
from vdp.engines.base import TransferContext, TransferResult


class StubbornEngine:
    """Its own registry too: every task runs on it."""

    name = "stubborn"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.forced = False

    def for_task(self, task: VideoTask) -> "StubbornEngine":
        return self

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        self.started.set()
        try:
            await asyncio.Event().wait()  # never looks at ctx.cancel
        except asyncio.CancelledError:
            self.forced = True
            raise
        raise AssertionError("unreachable")

"""Completing: a transfer that finishes its file at once records Completing with its Completed, without a command of
its own; one whose finish takes a while shows Completing meanwhile. The audit trail is the same either way."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from vdp.contract import AppConfig, TaskStatus, VideoTask
from vdp.engines.base import TransferContext, TransferResult
from vdp.engines.services import TransferServices
from vdp.runtime import commands, runtime as runtime_module
from vdp.runtime.runtime import Runtime
from vdp.storage.repository import TaskRepository


class Finishing:
    """Has every byte at once, then finishes its file when `finish` is set (scripted: this is about the runtime's
    reports, not about moving bytes)."""

    name = "finishing"

    def __init__(self, *, at_once: bool) -> None:
        self.finish = asyncio.Event()
        if at_once:
            self.finish.set()

    def for_task(self, task: VideoTask) -> "Finishing":
        return self

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        await ctx.completing()
        await self.finish.wait()
        return TransferResult(file_path=ctx.output_dir / "f.bin", size=0)


async def _run(tmp_path: Path, services: TransferServices, engine: Finishing, *, until: TaskStatus) -> tuple[
        Runtime, TaskRepository, Any, list[str]]:
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    runtime = Runtime(repo, AppConfig(), engine, services)
    handled: list[str] = []
    enter_completing = runtime._handlers[commands.EnterCompleting]

    async def counted(cmd: commands.EnterCompleting) -> None:
        handled.append(cmd.task_id)
        await enter_completing(cmd)

    runtime._handlers[commands.EnterCompleting] = counted
    await runtime.start()
    events = runtime.bus.subscribe("test")
    await runtime.submit(commands.AddTasks([VideoTask(id="t", url="http://127.0.0.1:9/f", title="f",
                                                      output_path=str(tmp_path))]))
    await runtime.submit(commands.Start("t"))
    while True:
        event = await events.next()
        if event.name == "task_status_changed" and event.payload.to == until:
            return runtime, repo, events, handled


async def test_a_file_finished_at_once_records_completing_with_its_outcome(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)  # never reached: the finish is at once
    runtime, repo, events, handled = await _run(tmp_path, transfer_services, Finishing(at_once=True),
                                                until=TaskStatus.COMPLETED)
    try:
        assert handled == []
        trail = [(row[1], row[2]) for row in await repo.audit_trail("t") if row[0] == "status"]
        assert trail[-2:] == [("Downloading", "Completing"), ("Completing", "Completed")]
    finally:
        events.close()
        await runtime.stop()
        await repo.close()


async def test_a_slow_finish_shows_completing_before_the_outcome(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 0.01)
    engine = Finishing(at_once=False)
    runtime, repo, events, handled = await _run(tmp_path, transfer_services, engine, until=TaskStatus.COMPLETING)
    try:
        assert handled == ["t"] and runtime.task("t").status == TaskStatus.COMPLETING  # the engine still finishes
        engine.finish.set()
        while True:
            event = await events.next()
            if event.name == "task_status_changed" and event.payload.to == TaskStatus.COMPLETED:
                break
        trail = [(row[1], row[2]) for row in await repo.audit_trail("t") if row[0] == "status"]
        assert trail[-2:] == [("Downloading", "Completing"), ("Completing", "Completed")]
    finally:
        events.close()
        await runtime.stop()
        await repo.close()

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

from .test_stop_leaves_nothing_running import _app_timers


def _runtime_timers() -> list[asyncio.TimerHandle]:
    """The runtime's own timers (its Completing and stop-deadline timers), not the progress hub's."""
    return _app_timers("/vdp/runtime/background.py")


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


async def test_a_pause_while_the_finish_is_not_shown_yet_lets_the_file_complete(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window the lazy Completing opens: the task still shows Downloading, so a pause asks the engine to stop;
    the engine, past its last byte, finishes anyway, and the pause is answered by the Completed outcome."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False)
    runtime, repo, events, handled = await _run(tmp_path, transfer_services, engine, until=TaskStatus.DOWNLOADING)
    try:
        while not _runtime_timers():  # the engine called ctx.completing(): the timer is armed
            await asyncio.sleep(0.005)
        pause = asyncio.ensure_future(runtime.submit(commands.Pause("t")))
        while runtime.task("t").status != TaskStatus.PAUSING:
            await asyncio.sleep(0.005)
        engine.finish.set()
        assert await pause is None
        assert runtime.task("t").status == TaskStatus.COMPLETED and handled == []
        trail = [(row[1], row[2]) for row in await repo.audit_trail("t") if row[0] == "status"]
        assert trail[-3:] == [("Downloading", "Pausing"), ("Pausing", "Completing"), ("Completing", "Completed")]
        assert _runtime_timers() == []  # neither the Completing timer nor the pause's deadline is left
    finally:
        events.close()
        await runtime.stop()
        await repo.close()


async def test_a_stop_while_the_finish_is_not_shown_yet_leaves_no_timer(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    monkeypatch.setattr(runtime_module, "STOP_ACK_DEADLINE", 0.05)  # the engine below never acknowledges
    runtime, repo, events, _ = await _run(tmp_path, transfer_services, Finishing(at_once=False),
                                          until=TaskStatus.DOWNLOADING)
    try:
        while not _runtime_timers():
            await asyncio.sleep(0.005)
        await runtime.stop()
        assert _runtime_timers() == []
        assert runtime.task("t").status == TaskStatus.PAUSED
    finally:
        events.close()
        await runtime.stop()
        await repo.close()


async def test_an_earlier_attempts_late_completing_report_changes_nothing(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report is posted by a timer: under a full queue it may land after its attempt's outcome, when a retry
    already runs. It names its attempt (serial), and only that attempt's task may show Completing."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False)
    runtime, repo, events, _ = await _run(tmp_path, transfer_services, engine, until=TaskStatus.DOWNLOADING)
    try:
        serial = runtime._handles["t"].serial
        await runtime.submit(commands.EnterCompleting("t", serial - 1))
        assert runtime.task("t").status == TaskStatus.DOWNLOADING
        await runtime.submit(commands.EnterCompleting("t", serial))
        assert runtime.task("t").status == TaskStatus.COMPLETING
    finally:
        engine.finish.set()
        events.close()
        await runtime.stop()
        await repo.close()

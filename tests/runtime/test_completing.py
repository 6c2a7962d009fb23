"""Completing: a transfer that finishes its file at once records Completing with its Completed, without a command of
its own; one whose finish takes a while shows Completing meanwhile. The audit trail is the same either way."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

import pytest

from vdp.contract import AppConfig, ErrorCode, TaskStatus, VideoTask
from vdp.engines.base import TransferContext, TransferResult
from vdp.engines.services import TransferServices
from vdp.errors import VdpError
from vdp.runtime import commands, runtime as runtime_module
from vdp.runtime.bus import Subscription
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

    def __init__(self, *, at_once: bool, last_byte: bool = True, failure: VdpError | None = None) -> None:
        self.failure = failure  # raised when the finish is let go, instead of a result
        self.finish = asyncio.Event()
        self.running = asyncio.Event()  # set once the transfer has begun
        self.last_byte = asyncio.Event()  # the test lets the last byte arrive
        self.completing = asyncio.Event()  # set once it has told the runtime it is completing
        if at_once:
            self.finish.set()
        if last_byte:
            self.last_byte.set()

    def for_task(self, task: VideoTask) -> "Finishing":
        return self

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        self.running.set()
        await self.last_byte.wait()  # a stop asked meanwhile is not looked at: every byte still arrives
        ctx.completing()
        self.completing.set()
        await self.finish.wait()
        if self.failure is not None:
            raise self.failure
        return TransferResult(file_path=ctx.output_dir / "f.bin", size=0)


@dataclass
class Run:
    runtime: Runtime
    repo: TaskRepository
    events: Subscription
    handled: list[str] = field(default_factory=list)  # the EnterCompleting reports the loop handled

    async def reaches(self, status: TaskStatus) -> None:
        while True:
            event = await self.events.next()
            if event.name == "task_status_changed" and event.payload.to == status:
                return

    async def trail(self) -> list[tuple[str | None, str | None]]:
        return [(row[1], row[2]) for row in await self.repo.audit_trail("t") if row[0] == "status"]


@asynccontextmanager
async def _started(tmp_path: Path, services: TransferServices, engine: Finishing) -> AsyncIterator[Run]:
    """Task "t" started on a runtime with `engine`; the EnterCompleting reports it handles are counted."""
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    runtime = Runtime(repo, AppConfig(), engine, services)
    run = Run(runtime, repo, runtime.bus.subscribe("test"))
    enter_completing = runtime._handlers[commands.EnterCompleting]

    async def counted(cmd: commands.EnterCompleting) -> None:
        run.handled.append(cmd.task_id)
        await enter_completing(cmd)

    runtime._handlers[commands.EnterCompleting] = counted
    await runtime.start()
    try:
        await runtime.submit(commands.AddTasks([VideoTask(id="t", url="http://127.0.0.1:9/f", title="f",
                                                          output_path=str(tmp_path))]))
        await runtime.submit(commands.Start("t"))
        yield run
    finally:
        engine.finish.set()
        run.events.close()
        await runtime.stop()
        await repo.close()


async def test_a_file_finished_at_once_records_completing_with_its_outcome(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)  # never reached: the finish is at once
    async with _started(tmp_path, transfer_services, Finishing(at_once=True)) as run:
        await run.reaches(TaskStatus.COMPLETED)
        assert run.handled == []
        assert (await run.trail())[-2:] == [("Downloading", "Completing"), ("Completing", "Completed")]


async def test_a_slow_finish_shows_completing_before_the_outcome(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 0.01)
    engine = Finishing(at_once=False)
    async with _started(tmp_path, transfer_services, engine) as run:
        await run.reaches(TaskStatus.COMPLETING)
        assert run.handled == ["t"] and not engine.finish.is_set()  # shown while the engine still finishes
        engine.finish.set()
        await run.reaches(TaskStatus.COMPLETED)
        assert (await run.trail())[-2:] == [("Downloading", "Completing"), ("Completing", "Completed")]


async def test_a_pause_while_the_finish_is_not_shown_yet_lets_the_file_complete(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window the lazy Completing opens: the task still shows Downloading, but has every byte and has given its
    slot back. A pause leaves it to finish, as it does a task that shows Completing: no stop, no deadline that would
    force the finish half done (the rename would then land after the task was recorded Paused)."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False)
    async with _started(tmp_path, transfer_services, engine) as run:
        await engine.completing.wait()
        assert await run.runtime.submit(commands.Pause("t")) is None  # answered at once
        assert run.runtime.task("t").status == TaskStatus.DOWNLOADING
        assert len(_runtime_timers()) == 1  # the Completing timer; no stop deadline
        engine.finish.set()
        await run.reaches(TaskStatus.COMPLETED)
        assert run.handled == []
        assert (await run.trail())[-2:] == [("Downloading", "Completing"), ("Completing", "Completed")]
        assert _runtime_timers() == []



async def test_a_task_paused_while_it_finished_whose_finish_fails_is_paused_not_retried(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pause was answered at once and left the finish to run; a failure a retry would mend then does not start
    the task again behind the user's back: it waits, paused."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False, failure=VdpError(ErrorCode.NETWORK, "the connection dropped while merging"))
    async with _started(tmp_path, transfer_services, engine) as run:
        await engine.completing.wait()
        assert await run.runtime.submit(commands.Pause("t")) is None
        engine.finish.set()
        await run.reaches(TaskStatus.PAUSED)
        assert run.runtime.scheduler.queue_of("t") is None  # no retry queued
        assert (await run.trail())[-1] == ("Downloading", "Paused")


async def test_a_pause_asked_before_the_last_byte_does_not_force_the_finish(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine got its last byte before it saw the pause: from there it finishes its file, and the stop's deadline
    is dropped, so a slow final fsync is never cut short (a rename after the task was recorded Paused made the next
    run download the file again under a second name)."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False, last_byte=False)
    async with _started(tmp_path, transfer_services, engine) as run:
        await engine.running.wait()
        pause = asyncio.ensure_future(run.runtime.submit(commands.Pause("t")))
        await run.reaches(TaskStatus.PAUSING)
        deadline = _runtime_timers()
        assert len(deadline) == 1  # the stop's deadline
        engine.last_byte.set()
        await engine.completing.wait()
        await run.runtime.submit(commands.GetQueueState())  # the engine's report is handled before this
        assert deadline[0].cancelled() and len(_runtime_timers()) == 1  # only the Completing timer is left
        # The deadline may have fired while that report waited in the queue: its own report then forces nothing.
        await run.runtime.submit(commands.StopDeadline("t", run.runtime._handles["t"].serial))
        engine.finish.set()
        assert await pause is None
        assert run.runtime.task("t").status == TaskStatus.COMPLETED
        assert (await run.trail())[-3:] == [("Downloading", "Pausing"), ("Pausing", "Completing"),
                                            ("Completing", "Completed")]
        assert _runtime_timers() == []


@pytest.mark.parametrize("shown", [False, True], ids=["finish not shown yet", "shows Completing"])
async def test_a_stop_that_gives_up_on_a_task_still_finishing_ends_its_worker_and_leaves_no_timer(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch, shown: bool) -> None:
    """A stop waits a while for a task past its last byte to finish, then gives up. A pause leaves such a task to
    finish, so the stop ends its worker itself: that worker must end, not take its own cancellation for the job's
    (the stop waited for it forever: quitting during a big file's final fsync hung), and no timer may outlive it."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 0.01 if shown else 3600.0)
    monkeypatch.setattr(runtime_module, "FINISH_ON_STOP", 0.01)  # the engine below never finishes
    engine = Finishing(at_once=False)  # never finishes on its own
    async with _started(tmp_path, transfer_services, engine) as run:
        if shown:
            await run.reaches(TaskStatus.COMPLETING)
        else:
            await engine.completing.wait()
            assert _runtime_timers()  # the Completing timer is armed
        await asyncio.wait_for(run.runtime.stop(), 60)  # a hang detector, not a timing: the stop takes milliseconds
        assert _runtime_timers() == []
        assert run.runtime.pool is not None and run.runtime.pool.size == 0


async def test_an_earlier_attempts_late_completing_report_changes_nothing(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report is posted by a timer: under a full queue it may land after its attempt's outcome, when a retry
    already runs. It names its attempt (serial), and only that attempt's task may show Completing."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False)
    async with _started(tmp_path, transfer_services, engine) as run:
        await engine.completing.wait()
        serial = run.runtime._handles["t"].serial
        await run.runtime.submit(commands.EnterCompleting("t", serial - 1))
        assert run.runtime.task("t").status == TaskStatus.DOWNLOADING
        await run.runtime.submit(commands.EnterCompleting("t", serial))
        assert run.runtime.task("t").status == TaskStatus.COMPLETING


async def test_a_stop_waits_for_a_file_being_finished_which_is_then_completed(
        tmp_path: Path, transfer_services: TransferServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quitting just as a lesson finishes: the stop waits for the finish, so the task is Completed, not recovered as
    Paused with its file already renamed (the next run would download it again under a second name)."""
    monkeypatch.setattr(runtime_module, "COMPLETING_SHOWN_AFTER", 3600.0)
    engine = Finishing(at_once=False)
    async with _started(tmp_path, transfer_services, engine) as run:
        await engine.completing.wait()
        pause_all = run.runtime._handlers[commands.PauseAll]
        asked = asyncio.Event()

        async def told_to_pause_all(cmd: commands.PauseAll) -> object:
            answer = await pause_all(cmd)
            asked.set()
            return answer

        run.runtime._handlers[commands.PauseAll] = told_to_pause_all
        stop = asyncio.ensure_future(run.runtime.stop())
        await asked.wait()  # the stop's Pause all is handled; its answer waits for the file: let it finish now
        engine.finish.set()
        await stop
        assert run.runtime.task("t").status == TaskStatus.COMPLETED
        assert (await run.trail())[-1] == ("Completing", "Completed")

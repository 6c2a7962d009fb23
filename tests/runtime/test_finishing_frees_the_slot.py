"""A download that has every byte gives its slot to the next one while it finishes its file: a big file's final
fsync can take seconds, and the network should not idle meanwhile. At most `concurrent_downloads` finish at once,
so a slow disk cannot pile them up. (A scripted engine: this is about the scheduler's slots, not about moving bytes.)"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from vdp.contract import AppConfig, TaskStatus, VideoTask
from vdp.engines.base import TransferContext, TransferResult
from vdp.engines.services import TransferServices
from vdp.runtime import commands
from vdp.runtime.runtime import Runtime
from vdp.storage.repository import TaskRepository


class FinishOnSignal:
    """Every task has its bytes at once, then finishes its file when the test says so."""

    name = "finish-on-signal"

    def __init__(self) -> None:
        self.started: asyncio.Queue[str] = asyncio.Queue()
        self.finish: dict[str, asyncio.Event] = {}

    def for_task(self, task: VideoTask) -> "FinishOnSignal":
        return self

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        finish = self.finish.setdefault(ctx.task.id, asyncio.Event())
        self.started.put_nowait(ctx.task.id)
        ctx.completing()
        await finish.wait()
        return TransferResult(file_path=ctx.output_dir / f"{ctx.task.id}.bin", size=0)

    def let_finish(self, task_id: str) -> None:
        self.finish.setdefault(task_id, asyncio.Event()).set()


@asynccontextmanager
async def _three_started(tmp_path: Path, services: TransferServices, engine: FinishOnSignal) -> AsyncIterator[Runtime]:
    """Tasks a, b and c added and started on a runtime with one download slot; every finish let go at the end."""
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    config = AppConfig()
    config.download.concurrent_downloads = 1
    runtime = Runtime(repo, config, engine, services)
    await runtime.start()
    try:
        await runtime.submit(commands.AddTasks(
            [VideoTask(id=i, url=f"http://127.0.0.1:9/{i}", title=i, output_path=str(tmp_path)) for i in "abc"],
            start=True))
        yield runtime
    finally:
        for task_id in "abc":
            engine.let_finish(task_id)
        await runtime.stop()
        await repo.close()


async def test_the_next_download_starts_while_the_one_before_finishes_its_file(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    engine = FinishOnSignal()
    async with _three_started(tmp_path, transfer_services, engine) as runtime:
        events = runtime.bus.subscribe("test")
        assert await engine.started.get() == "a"
        # a has its bytes and is finishing (its finish is not let go yet): b takes the slot.
        assert await engine.started.get() == "b"
        engine.let_finish("a")
        engine.let_finish("b")
        assert await engine.started.get() == "c"
        engine.let_finish("c")
        done: set[str] = set()
        while done != {"a", "b", "c"}:
            event = await events.next()
            if event.name == "task_status_changed" and event.payload.to == TaskStatus.COMPLETED:
                done.add(event.payload.task_id)
        events.close()


async def test_while_the_finishing_limit_is_reached_no_further_download_starts(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    engine = FinishOnSignal()
    async with _three_started(tmp_path, transfer_services, engine) as runtime:
        assert [await engine.started.get(), await engine.started.get()] == ["a", "b"]
        # a finishing, b finishing with its slot kept: a queued command round trip later, c has not started.
        await runtime.submit(commands.GetQueueState())
        assert engine.started.empty() and runtime.task("c").status == TaskStatus.PENDING
        assert runtime.scheduler.finishing == {"a"} and runtime.scheduler.active == {"b"}

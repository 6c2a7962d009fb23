"""Checkpoints ride the command loop's group commit: those that arrive together are written in one statement, and an
engine's checkpoint is answered only once its row holds it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.support.database import open_database
from vdp.contract import AppConfig, TaskStatus, VideoTask
from vdp.engines.base import PARTIAL_PATHS, Chunk, ResumeState, TransferContext, TransferResult
from vdp.engines.services import TransferServices
from vdp.runtime import commands
from vdp.runtime.runtime import Runtime
from vdp.storage.repository import TaskRepository

TASKS = 4


class CheckpointTogether:
    """Every transfer checkpoints at the same moment (once all have started), then reads its row back through a
    connection of its own. No real transfer can be made to checkpoint in step with others."""

    name = "together"

    def __init__(self, database: Path) -> None:
        self.database = database
        self.started = 0
        self.all_started = asyncio.Event()
        self.claimed_when_answered: dict[str, int] = {}

    def for_task(self, task: VideoTask) -> "CheckpointTogether":
        return self

    async def transfer(self, ctx: TransferContext) -> TransferResult:
        self.started += 1
        if self.started == TASKS:
            self.all_started.set()
        await self.all_started.wait()
        await ctx.checkpoint(ResumeState(meta={PARTIAL_PATHS: [f"{ctx.task.id}.part"]}, chunks=[Chunk(0, 0, 99, 40)]))
        with open_database(self.database) as db:  # closed, not left to checkpoint the WAL when collected
            (claimed,) = db.execute("SELECT SUM(done) FROM task_chunks WHERE task_id = ?", (ctx.task.id,)).fetchone()
        self.claimed_when_answered[ctx.task.id] = claimed
        return TransferResult(file_path=ctx.output_dir / f"{ctx.task.id}.bin", size=100)


async def test_checkpoints_that_arrive_together_share_one_statement_and_are_answered_once_written(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    database = tmp_path / "db.sqlite"
    repo = await TaskRepository.open(database)
    batches: list[int] = []
    write = repo.commit

    async def counted(checkpoints: list[Any], transitions: list[Any]) -> None:
        if checkpoints:
            batches.append(len(checkpoints))
        await write(checkpoints, transitions)

    repo.commit = counted  # type: ignore[method-assign]
    config = AppConfig()
    config.download.concurrent_downloads = TASKS
    engine = CheckpointTogether(database)
    runtime = Runtime(repo, config, engine, transfer_services)
    await runtime.start()
    events = runtime.bus.subscribe("test")
    try:
        tasks = [VideoTask(id=f"t{n}", url=f"http://127.0.0.1:9/{n}", title="x", output_path=str(tmp_path))
                 for n in range(TASKS)]
        await runtime.submit(commands.AddTasks(tasks))
        for task in tasks:
            await runtime.submit(commands.Start(task.id))
        completed: set[str] = set()
        while len(completed) < TASKS:
            event = await events.next()
            if event.name == "task_status_changed" and event.payload.to == TaskStatus.COMPLETED:
                completed.add(event.payload.task_id)
        assert batches == [TASKS]
        assert engine.claimed_when_answered == {task.id: 40 for task in tasks}
        for task in tasks:  # Completed came after the checkpoint and dropped the resume map
            assert (await repo.load_resume(task.id)).chunks == []
    finally:
        events.close()
        await runtime.stop()
        await repo.close()

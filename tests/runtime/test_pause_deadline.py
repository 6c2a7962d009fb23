"""Pause acknowledgement (an engine that ignores its cancel token is stopped after the deadline) and restart
recovery, on a scripted engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.scripted_engine import StubbornEngine
from vdp.contract import AppConfig, TaskStatus, VideoTask
from vdp.engines.base import Chunk, ResumeState
from vdp.engines.services import TransferServices
from vdp.runtime import commands, runtime as runtime_module
from vdp.runtime.runtime import Runtime
from vdp.storage.repository import TaskRepository


async def test_an_unacknowledged_pause_is_forced_after_the_deadline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transfer_services: TransferServices) -> None:
    monkeypatch.setattr(runtime_module, "STOP_ACK_DEADLINE", 0.2)
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    engine = StubbornEngine()
    runtime = Runtime(repo, AppConfig(), engine, transfer_services)
    await runtime.start()
    try:
        task = VideoTask(id="t", url="http://127.0.0.1:9/x", title="x", output_path=str(tmp_path))
        await runtime.submit(commands.AddTasks([task]))
        await runtime.submit(commands.Start("t"))
        await engine.started.wait()
        await runtime.submit(commands.Pause("t"))
        assert engine.forced
        assert runtime.task("t").status == TaskStatus.PAUSED
        assert runtime.state().reserved_slots == 1
    finally:
        await runtime.stop()
        await repo.close()


async def test_restart_recovery_pauses_interrupted_tasks_and_starts_nothing(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    statuses = [TaskStatus.DOWNLOADING, TaskStatus.SCHEDULED, TaskStatus.PAUSING, TaskStatus.COMPLETING,
            TaskStatus.PENDING, TaskStatus.FAILED]
    tasks = [VideoTask(id=f"t{n}", url=f"http://127.0.0.1:9/{n}", title="x", output_path=str(tmp_path), status=status)
             for n, status in enumerate(statuses)]
    await repo.insert_tasks([(repo.next_seq(), t) for t in tasks], "as a crashed process left them")
    runtime = Runtime(repo, AppConfig(), StubbornEngine(), transfer_services)
    await runtime.start()
    try:
        assert [t.status for t in runtime.tasks()] == [TaskStatus.PAUSED] * 4 + [TaskStatus.PENDING, TaskStatus.FAILED]
        assert runtime.state().active == 0 and runtime.scheduler.backlog_running is False
        session = runtime.session
        assert (session.continuable, session.waiting, session.failed, session.total) == (4, 1, 1, 6)
        trail = await repo.audit_trail("t0")
        assert trail[-1] == ("status", "Downloading", "Paused", "recovered after restart")
    finally:
        await runtime.stop()
        await repo.close()


async def test_recovery_believes_the_chunk_map_not_a_row_written_ahead_of_it(
        tmp_path: Path, transfer_services: TransferServices) -> None:
    """A status change mid-download writes the live byte count; only the last checkpoint is durable."""
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    task = VideoTask(id="t", url="http://127.0.0.1:9/x", title="x", output_path=str(tmp_path),
                     status=TaskStatus.DOWNLOADING, file_size=1000)
    await repo.insert_tasks([(repo.next_seq(), task)], "download started")
    await repo.save_checkpoints([(task.model_copy(update={"downloaded_size": 300}),
                                  ResumeState(chunks=[Chunk(0, 0, 499, 200), Chunk(1, 500, 999, 100)]))])
    await repo.save_tasks([task.model_copy(update={"downloaded_size": 900, "progress": 90.0})])
    runtime = Runtime(repo, AppConfig(), StubbornEngine(), transfer_services)
    await runtime.start()
    try:
        recovered = runtime.task("t")
        assert (recovered.status, recovered.downloaded_size, recovered.progress) == (TaskStatus.PAUSED, 300, 30.0)
    finally:
        await runtime.stop()
        await repo.close()


async def test_a_failed_commit_starts_nothing_and_is_tried_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transfer_services: TransferServices) -> None:
    """The database refuses a batch of status changes once: no engine runs on a status the database does not hold,
    and the staged changes are committed on the next try."""
    monkeypatch.setattr(runtime_module, "COMMIT_RETRY", 0.05)
    monkeypatch.setattr(runtime_module, "STOP_ACK_DEADLINE", 0.2)  # the engine below ignores the pause at stop
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    commit, refusals = repo.commit, []

    async def refuse_once(checkpoints, transitions):  # type: ignore[no-untyped-def]
        if transitions and not refusals:
            refusals.append(transitions)
            raise sqlite3.OperationalError("disk I/O error")
        await commit(checkpoints, transitions)

    repo.commit = refuse_once  # type: ignore[method-assign]
    engine = StubbornEngine()
    runtime = Runtime(repo, AppConfig(), engine, transfer_services)
    await runtime.start()
    try:
        task = VideoTask(id="t", url="http://127.0.0.1:9/x", title="x", output_path=str(tmp_path))
        await runtime.submit(commands.AddTasks([task]))
        await runtime.submit(commands.Start("t"))  # queued; the dispatch's commit is what the database refuses
        await engine.started.wait()  # handed over only after the retry committed the batch
        assert [(c.from_status, c.to_status) for c in refusals[0]] == [(TaskStatus.PENDING, TaskStatus.SCHEDULED),
                                                                        (TaskStatus.SCHEDULED, TaskStatus.DOWNLOADING)]
        trail = await repo.audit_trail("t")
        assert [row[2] for row in trail] == ["Pending", "Scheduled", "Downloading"]
        assert runtime.task("t").status == TaskStatus.DOWNLOADING
    finally:
        await runtime.stop()
        await repo.close()

"""A job whose engine ignores its cancel token is cancelled after the v2 deadline, and the pause still lands.

A scripted engine is the point here: no real transfer can be made to ignore a pause on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scripted_engine import StubbornEngine
from vdp.contract import AppConfig, TaskStatus, VideoTask
from vdp.engines.services import TransferServices
from vdp.legacy import runtime as legacy_module
from vdp.legacy.runtime import LegacyRuntime
from vdp.runtime import commands
from vdp.storage.repository import TaskRepository


async def test_an_unacknowledged_pause_is_forced_after_the_deadline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transfer_services: TransferServices) -> None:
    monkeypatch.setattr(legacy_module, "STOP_ACK_DEADLINE", 0.2)
    repo = await TaskRepository.open(tmp_path / "db.sqlite")
    engine = StubbornEngine()
    runtime = LegacyRuntime(repo, AppConfig(), engine, transfer_services)
    await runtime.start()
    try:
        await runtime.submit(commands.AddTasks([VideoTask(id="t", url="http://127.0.0.1:9/x", title="x",
                                                   output_path=str(tmp_path))]))
        await runtime.submit(commands.Start("t"))
        await engine.started.wait()
        await runtime.submit(commands.Pause("t"))
        assert engine.forced
        assert runtime.task("t").status == TaskStatus.PAUSED
        assert runtime.state().active == 0
        await runtime.submit(commands.Start("t"))  # the slot was given back
        assert runtime.task("t").status == TaskStatus.DOWNLOADING
    finally:
        await runtime.stop()
        await repo.close()

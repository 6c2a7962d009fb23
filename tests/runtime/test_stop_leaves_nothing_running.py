"""The runtime owns every task and timer it starts (docs/architecture.md, "Cancellation model"): a pause the engine
acknowledged leaves no stop deadline armed, and a stopped runtime leaves no task or timer of its own on the loop.

The file server runs on a thread of its own (FaultServerThread), so the tasks and timers on this loop are the app's.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload
from tests.support.services import open_services
from vdp.contract import AppConfig, DownloadConfig, TaskStatus, VideoTask
from vdp.engines.registry import EngineRegistry
from vdp.errors import VdpError
from vdp.runtime import commands
from vdp.runtime.runtime import Runtime
from vdp.storage.repository import TaskRepository

MIB = 1 << 20


@pytest.fixture
def thread_server() -> Iterator[FaultServerThread]:
    with FaultServerThread() as srv:
        yield srv


def _app_timers(where: str = "/vdp/") -> list[asyncio.TimerHandle]:
    """Timers armed on this loop whose callback is code under `where` (the loop's own list: asyncio has no public
    one)."""
    loop: Any = asyncio.get_running_loop()
    armed = []
    for handle in loop._scheduled:
        callback = getattr(handle._callback, "__func__", handle._callback)
        code = getattr(callback, "__code__", None)
        if not handle.cancelled() and code is not None and where in code.co_filename:
            armed.append(handle)
    return armed


async def test_a_stop_ends_every_task_and_timer_the_runtime_started(
        thread_server: FaultServerThread, tmp_path: Path) -> None:
    # Segmented and slow: the pause meets several connections mid-body.
    thread_server.add_file("/big.bin", make_payload(32 * MIB, seed=91), rate=MIB)
    before = asyncio.all_tasks()
    download = DownloadConfig(max_connections_per_download=4)
    async with open_services(download) as services:
        repo = await TaskRepository.open(tmp_path / "db.sqlite")
        runtime = Runtime(repo, AppConfig(download=download), EngineRegistry(), services)
        await runtime.start()
        try:
            task = VideoTask(id="t", url=thread_server.url("/big.bin"), title="big", output_path=str(tmp_path))
            await runtime.submit(commands.AddTasks([task]))
            subscription = runtime.bus.subscribe("test")
            await runtime.submit(commands.Start("t"))
            async with asyncio.timeout(60):  # a guard against hanging, not a timing claim
                while not any(e.name == "download_progress" and e.payload.downloaded > 0
                              for e in subscription.drain()):
                    await subscription.wait()
            await runtime.submit(commands.Pause("t"))  # answered once the engine acknowledged it
            assert runtime.task("t").status == TaskStatus.PAUSED
            # The only timer of the command loop a pause arms is its stop's deadline: disarmed by the acknowledgement.
            assert _app_timers("/vdp/runtime/runtime.py") + _app_timers("/vdp/runtime/background.py") == []
        finally:
            await runtime.stop()
            await repo.close()
        assert _app_timers() == []
        left = {t for t in asyncio.all_tasks() - before if not t.done()}
        assert left == set(), [t.get_coro() for t in left]


async def test_a_stopped_runtime_refuses_commands_instead_of_leaving_them_unanswered(tmp_path: Path) -> None:
    """A transfer that outlives the loop (its last checkpoint while the workers shut down) must not wait forever."""
    async with open_services(DownloadConfig()) as services:
        repo = await TaskRepository.open(tmp_path / "db.sqlite")
        runtime = Runtime(repo, AppConfig(), EngineRegistry(), services)
        await runtime.start()
        await runtime.stop()
        try:
            async with asyncio.timeout(30):  # a guard against hanging, not a timing claim
                with pytest.raises(VdpError, match="the download runtime has stopped"):
                    await runtime.submit(commands.PauseAll())
        finally:
            await repo.close()

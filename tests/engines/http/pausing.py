"""A download paused midway and resumed, through the running app: the check several HTTP engine tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable, Optional

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import sha256_of
from vdp.contract import TaskStatus


async def pause_midway_then_finish(kit: AppKit, server: FaultServer, path: str, data: bytes, *, sent: int,
                                   before_resume: Optional[Callable[[], Awaitable[object]]] = None) -> None:
    """Start `path` (served already), pause it once the server has sent `sent` bytes, check that the pause kept
    exactly the bytes the task shows (some), resume it and check the finished file byte for byte."""
    task_id = await kit.add(server.url(path))
    await kit.call("start_download", taskId=task_id)
    await server.wait_for_bytes_sent(path, sent)
    await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
    await kit.call("pause_download", taskId=task_id)
    resume = await kit.app.repo.load_resume(task_id)
    assert kit.task(task_id).downloaded_size == resume.durable_bytes > 0
    if before_resume is not None:
        await before_resume()
    await kit.call("resume_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path or "")) == sha256_of(data)

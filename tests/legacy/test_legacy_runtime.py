"""The legacy (v1) runtime driven through `invoke`, as the original UI drove it, against a real local server.

Transfers are held at a known point with the server's `stall_after` and gate, never with sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, serve_payloads, sha256_of
from vdp.contract import TaskStatus, VideoTask
from vdp.errors import ErrorCode, VdpError
from vdp.paths import AppPaths
from vdp.storage.repository import TaskRepository

SIZE = 3 << 20  # under the HTTP engine's segmenting threshold: one connection, so one stall point
STALL = 512 << 10
LEGACY_EVENTS = {"download_progress", "task_status_changed", "download_stats"}
SLOTS_FULL = "Failed to start download: Download error: Maximum concurrent downloads reached"


def _files(server: FaultServer, count: int, **behaviour) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    return serve_payloads(server, count, SIZE, **behaviour)


async def _refused(kit: AppKit, command: str, **args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(VdpError) as refused:
        await kit.call(command, **args)
    return refused.value.message


async def _receiving(kit: AppKit, task_id: str) -> None:
    """Wait until the engine has bytes of `task_id` in hand, so a pause has something to keep."""
    await kit.wait_for(lambda e: e.name == "download_progress" and e.payload.task_id == task_id
                       and e.payload.downloaded > 0)


async def _completed_intact(kit: AppKit, task_id: str, data: bytes) -> None:
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert task.progress == 100.0 and task.downloaded_size == len(data)


def _assert_only_legacy_events(kit: AppKit) -> None:
    names = {e.name for e in kit.seen} | {e.name for e in kit.events.drain()}
    assert names <= LEGACY_EVENTS, names - LEGACY_EVENTS


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def test_a_start_beyond_the_limit_is_refused_with_the_original_text(legacy: AppKit, server: FaultServer) -> None:
    await legacy.configure(concurrent_downloads=2)
    files = _files(server, 3, stall_after=STALL)
    ids = [await legacy.add(url) for url, _ in files]
    for task_id in ids[:2]:
        assert await legacy.call("start_download", taskId=task_id) is None
    assert await _refused(legacy, "start_download", taskId=ids[2]) == SLOTS_FULL
    assert legacy.task(ids[2]).status == TaskStatus.PENDING
    state = await legacy.call("download_runtime_state")
    assert state["runtime"] == "v1" and state["active"] == 2 and state["queues"]["interactive"] == 0

    for n in range(3):
        server.gate(f"/f{n}.bin").open()
    for task_id, (_, data) in zip(ids[:2], files):
        await _completed_intact(legacy, task_id, data)
    await legacy.call("start_download", taskId=ids[2])  # a slot is free again
    await _completed_intact(legacy, ids[2], files[2][1])
    _assert_only_legacy_events(legacy)


async def test_pause_is_immediate_and_resume_continues_from_the_checkpoint(legacy: AppKit, server: FaultServer) -> None:
    (url, data), = _files(server, 1, stall_after=STALL)
    task_id = await legacy.add(url)
    await legacy.call("start_download", taskId=task_id)
    await _receiving(legacy, task_id)
    assert await legacy.call("pause_download", taskId=task_id) is None
    assert legacy.task(task_id).status == TaskStatus.PAUSED  # straight to Paused: no Pausing in v1
    assert await _refused(legacy, "pause_download", taskId=task_id) == (
        f"Failed to pause download: Download error: Active download not found: {task_id}")

    server.gate("/f0.bin").open()
    await legacy.call("resume_download", taskId=task_id)
    await _completed_intact(legacy, task_id, data)
    assert await _refused(legacy, "resume_download", taskId=task_id) == (
        f"Failed to resume download: Download error: Task {task_id} cannot be resumed from status: Completed")
    ranges = server.stats("/f0.bin").ranges
    assert ranges[0] == "bytes=0-" and ranges[-1] != "bytes=0-", "the resume asked for the remaining bytes only"
    assert legacy.statuses(task_id) == [(None, "Downloading"), (None, "Paused"), (None, "Downloading"),
                                        (None, "Completed")]
    _assert_only_legacy_events(legacy)


async def test_cancel_needs_no_status_and_leaves_no_partial_file(legacy: AppKit, server: FaultServer) -> None:
    files = _files(server, 2, stall_after=STALL)
    running, waiting = [await legacy.add(url) for url, _ in files]
    await legacy.call("start_download", taskId=running)
    await _receiving(legacy, running)
    for task_id in (running, waiting):
        assert await legacy.call("cancel_download", taskId=task_id) is None
        assert legacy.task(task_id).status == TaskStatus.CANCELLED
    assert _leftovers(legacy.out) == []
    assert await _refused(legacy, "start_download", taskId=running) == (
        f"Failed to start download: Download error: Task {running} cannot be started from status: Cancelled")
    assert (await legacy.call("get_download_stats"))["active_downloads"] == 0
    _assert_only_legacy_events(legacy)


async def test_removing_an_active_download_cancels_then_removes_it(legacy: AppKit, server: FaultServer) -> None:
    """As the original's remove_download / remove_download_tasks: cancel the active download, then remove it."""
    await legacy.configure(concurrent_downloads=2)
    files = _files(server, 2, stall_after=STALL)
    single, batch = [await legacy.add(url) for url, _ in files]
    for task_id in (single, batch):
        await legacy.call("start_download", taskId=task_id)
    assert await legacy.call("remove_download", taskId=single) is None
    assert await legacy.call("remove_download_tasks", taskIds=[batch]) is None
    assert await legacy.call("get_download_tasks") == []
    cancelled = [e.payload.task_id for e in legacy.seen + legacy.events.drain()
                 if e.name == "task_status_changed" and e.payload.status == TaskStatus.CANCELLED]
    assert sorted(cancelled) == sorted([single, batch])
    assert await _refused(legacy, "remove_download", taskId=single) == (
        f"Failed to remove task: Download error: Task not found: {single}")
    _assert_only_legacy_events(legacy)  # no task_removed


async def test_a_failed_task_cannot_be_started_but_retry_failed_restarts_it(
        legacy: AppKit, server: FaultServer) -> None:
    data = make_payload(SIZE, seed=7)
    server.add_file("/gone-once.bin", data, fail_statuses=(404,))
    task_id = await legacy.add(server.url("/gone-once.bin"))
    await legacy.call("start_download", taskId=task_id)
    task = await legacy.finish(task_id)
    assert task.status == TaskStatus.FAILED and "HTTP 404" in task.error_message
    failed_event = legacy.seen[-1].payload
    assert (failed_event.status, failed_event.error_message, failed_event.from_) == (TaskStatus.FAILED,
            task.error_message, None)
    assert (task.error_code, failed_event.error_code) == (ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND)
    assert await _refused(legacy, "start_download", taskId=task_id) == (
        f"Failed to start download: Download error: Task {task_id} cannot be started from status: Failed")

    assert await legacy.call("retry_failed_tasks") is None
    await _completed_intact(legacy, task_id, data)
    assert (legacy.task(task_id).error_message, legacy.task(task_id).error_code) == (None, None)
    assert [s for _, s in legacy.statuses(task_id)] == ["Downloading", "Failed", "Downloading", "Completed"]
    _assert_only_legacy_events(legacy)  # Failed -> Pending is stored, never announced


async def test_retry_failed_reports_the_tasks_it_could_not_start(legacy: AppKit, server: FaultServer) -> None:
    await legacy.configure(concurrent_downloads=1)
    server.add_file("/gone.bin", b"x", status=404)
    (url, _), = _files(server, 1, stall_after=STALL)
    failing = await legacy.add(server.url("/gone.bin"))
    await legacy.call("start_download", taskId=failing)
    await legacy.finish(failing)
    busy = await legacy.add(url)
    await legacy.call("start_download", taskId=busy)
    message = await _refused(legacy, "retry_failed_tasks")
    assert message == f"Restarted 0 tasks, but 1 failed to start: {failing}: {SLOTS_FULL.split(': ', 1)[1]}"
    assert legacy.task(failing).status == TaskStatus.PENDING  # reset before the start was tried, as in the original


async def test_bulk_commands_follow_the_original(legacy: AppKit, server: FaultServer) -> None:
    await legacy.configure(concurrent_downloads=2)
    files = _files(server, 3, stall_after=STALL)
    ids = [await legacy.add(url) for url, _ in files]
    assert await legacy.call("start_all_pending_downloads") == 2  # stops at the first refusal, oldest first
    assert [legacy.task(i).status for i in ids] == [TaskStatus.DOWNLOADING, TaskStatus.DOWNLOADING, TaskStatus.PENDING]
    assert await legacy.call("pause_all_downloads") == 2
    assert [legacy.task(i).status for i in ids] == [TaskStatus.PAUSED, TaskStatus.PAUSED, TaskStatus.PENDING]

    # No global pause flag (§9.7): a start after pause_all works.
    server.gate("/f2.bin").open()
    await legacy.call("start_download", taskId=ids[2])
    await _completed_intact(legacy, ids[2], files[2][1])
    assert await legacy.call("resume_all_downloads") == 2
    assert await legacy.call("cancel_all_downloads") == 2  # Completed is left alone
    assert [legacy.task(i).status for i in ids] == [TaskStatus.CANCELLED, TaskStatus.CANCELLED, TaskStatus.COMPLETED]
    assert _leftovers(legacy.out) == [Path(legacy.task(ids[2]).file_path).name]
    await legacy.wait_for(lambda e: e.name == "download_stats" and e.payload.active_downloads == 0
                          and e.payload.completed_tasks == 1)
    _assert_only_legacy_events(legacy)


async def test_events_carry_the_original_fields(legacy: AppKit, server: FaultServer) -> None:
    (url, data), = _files(server, 1, rate=8 << 20)
    task_id = await legacy.add(url)
    await legacy.call("start_download", taskId=task_id)
    await _completed_intact(legacy, task_id, data)
    stats = await legacy.wait_for(lambda e: e.name == "download_stats" and e.payload.completed_tasks == 1)
    assert stats.payload.total_downloaded == SIZE
    wire = [e.wire() for e in legacy.seen]
    progress = [w["payload"] for w in wire if w["event"] == "download_progress"]
    assert progress and all({"task_id", "downloaded_size", "total_size", "speed", "eta", "progress"} <= p.keys()
                            for p in progress)
    assert all(0.0 <= p["progress"] < 1.0 for p in progress)
    status = [w["payload"] for w in wire if w["event"] == "task_status_changed"]
    assert [(s["status"], s["error_message"], s["from"]) for s in status] == [
        ("Downloading", None, None), ("Completed", None, None)]
    _assert_only_legacy_events(legacy)


async def test_restart_makes_interrupted_work_paused_and_it_resumes(tmp_path: Path, server: FaultServer) -> None:
    (url, data), = _files(server, 1)
    data_dir = tmp_path / "data"
    repo = await TaskRepository.open(AppPaths.resolve(str(data_dir)).database)
    interrupted = VideoTask(id="t1", url=url, title="f0", output_path=str(tmp_path / "out"),
            status=TaskStatus.DOWNLOADING)
    await repo.insert_tasks([(repo.next_seq(), interrupted)], "a run that crashed")
    await repo.close()

    async with running_app(data_dir, runtime="v1") as kit:
        assert kit.task("t1").status == TaskStatus.PAUSED
        assert (await kit.call("get_session_summary"))["continuable"] == 1
        await kit.call("resume_download", taskId="t1")
        await _completed_intact(kit, "t1", data)
        trail = await kit.app.repo.audit_trail("t1")
        assert ("status", "Downloading", "Paused", "recovered after restart") in trail


async def test_a_retryable_failure_is_retried_inside_the_same_job(legacy: AppKit, server: FaultServer) -> None:
    await legacy.configure(retry_attempts=1)
    data = make_payload(SIZE, seed=3)
    server.add_file("/busy-once.bin", data, fail_statuses=(503,))
    task_id = await legacy.add(server.url("/busy-once.bin"))
    await legacy.call("start_download", taskId=task_id)
    await _completed_intact(legacy, task_id, data)
    assert server.stats("/busy-once.bin").statuses[0] == 503
    assert [s for _, s in legacy.statuses(task_id)] == ["Downloading", "Completed"]  # it kept its slot throughout

"""The runtime driven through `invoke`, as the UI drives it, against a real local HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.database import open_database
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, serve_payloads, sha256_of
from vdp.contract import TaskStatus
from vdp.errors import ErrorCode

SIZE = 3 << 20


def _files(server: FaultServer, count: int, **behaviour) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    return serve_payloads(server, count, SIZE, **behaviour)


async def test_three_downloads_complete_and_a_start_at_the_limit_queues(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(concurrent_downloads=2)
    files = _files(server, 3, rate=4 << 20)
    ids = [await kit.add(url) for url, _ in files]
    for task_id in ids:
        assert await kit.call("start_download", taskId=task_id) is None  # never "Maximum concurrent downloads"
        assert await kit.call("start_download", taskId=task_id) is None  # idempotent: same answer, nothing more
    state = await kit.call("download_runtime_state")
    assert state["active"] == 2 and state["queues"]["interactive"] == 1
    assert kit.task(ids[2]).queued and kit.task(ids[2]).status == TaskStatus.PENDING
    for task_id, (_, data) in zip(ids, files):
        task = await kit.finish(task_id)
        assert task.status == TaskStatus.COMPLETED, task.error_message
        assert sha256_of(Path(task.file_path)) == sha256_of(data)
        assert task.progress == 100.0 and task.downloaded_size == SIZE


async def test_pause_and_resume_each_task_keeps_the_bytes(kit: AppKit, server: FaultServer) -> None:
    files = _files(server, 2, rate=2 << 20)
    ids = [await kit.add(url) for url, _ in files]
    for task_id in ids:
        await kit.call("start_download", taskId=task_id)
    for n, task_id in enumerate(ids):
        await server.wait_for_bytes_sent(f"/f{n}.bin", 256 << 10)
        await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
        assert await kit.call("pause_download", taskId=task_id) is None
        assert kit.task(task_id).status == TaskStatus.PAUSED  # the answer comes after the worker acknowledged
        assert await kit.call("pause_download", taskId=task_id) is None  # idempotent
    for task_id in ids:
        await kit.call("resume_download", taskId=task_id)
    for task_id, (_, data) in zip(ids, files):
        task = await kit.finish(task_id)
        assert task.status == TaskStatus.COMPLETED
        assert sha256_of(Path(task.file_path)) == sha256_of(data)
        assert kit.statuses(task_id)[:5] == [
            ("Pending", "Scheduled"), ("Scheduled", "Downloading"), ("Downloading", "Pausing"),
            ("Pausing", "Paused"), ("Paused", "Scheduled")]
    for n in range(2):
        ranges = server.stats(f"/f{n}.bin").ranges
        assert any(r != "bytes=0-" for r in ranges), "the resume asked for the remaining bytes only"


async def test_progress_is_monotonic_within_an_attempt_and_never_100_before_completed(
        kit: AppKit, server: FaultServer) -> None:
    (url, data), = _files(server, 1, rate=3 << 20)
    task_id = await kit.add(url)
    await kit.call("start_download", taskId=task_id)
    await kit.finish(task_id)
    progress = [e.payload for e in kit.seen if e.name == "download_progress" and e.payload.task_id == task_id]
    assert len(progress) >= 2
    downloaded = [p.downloaded for p in progress]
    assert downloaded == sorted(downloaded)
    assert all(p.progress < 1.0 for p in progress)
    assert all(p.downloaded_size == p.downloaded and p.total_size in (None, SIZE) for p in progress)
    assert progress[-1].total == SIZE


async def test_pause_all_and_resume_all(kit: AppKit, server: FaultServer) -> None:
    files = _files(server, 2, rate=1 << 20)
    ids = [await kit.add(url) for url, _ in files]
    assert await kit.call("start_all_downloads") == 2
    for task_id in ids:
        await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
    assert await kit.call("pause_all_downloads") == 2
    assert {kit.task(i).status for i in ids} == {TaskStatus.PAUSED}
    assert (await kit.call("download_runtime_state"))["backlog_running"] is False
    assert await kit.call("resume_all_downloads") == 2
    for task_id, (_, data) in zip(ids, files):
        task = await kit.finish(task_id)
        assert sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_cancel_all_answers_once_the_running_tasks_have_stopped(kit: AppKit, server: FaultServer) -> None:
    files = _files(server, 3, rate=1 << 20)
    ids = [await kit.add(url) for url, _ in files]
    for task_id in ids[:2]:
        await kit.call("start_download", taskId=task_id)
    for n in range(2):
        await server.wait_for_bytes_sent(f"/f{n}.bin", 64 << 10)
    assert await kit.call("cancel_all_downloads") == 3  # two running, one waiting
    assert {kit.task(i).status for i in ids} == {TaskStatus.CANCELLED}
    assert list(kit.out.iterdir()) == []  # the partial files are gone by the time it answers


async def test_cancel_deletes_the_partial_file(kit: AppKit, server: FaultServer) -> None:
    (url, _), = _files(server, 1, rate=1 << 20)
    task_id = await kit.add(url)
    await kit.call("start_download", taskId=task_id)
    await server.wait_for_bytes_sent("/f0.bin", 128 << 10)
    await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
    await kit.call("cancel_download", taskId=task_id)
    assert kit.task(task_id).status == TaskStatus.CANCELLED
    assert list(kit.out.iterdir()) == []


async def test_remove_of_an_active_task_cancels_it_first(kit: AppKit, server: FaultServer) -> None:
    (url, _), = _files(server, 1, rate=1 << 20)
    task_id = await kit.add(url)
    await kit.call("start_download", taskId=task_id)
    await server.wait_for_bytes_sent("/f0.bin", 128 << 10)  # Downloading begins at dispatch; wait for the file
    await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
    await kit.call("remove_download_tasks", taskIds=[task_id], deleteFile=True)
    await kit.wait_for(lambda e: e.name == "task_removed" and e.payload.task_id == task_id)
    assert kit.app.runtime.task(task_id) is None
    assert list(kit.out.iterdir()) == []
    assert await kit.call("get_download_tasks") == []


async def test_status_events_follow_the_committed_audit_trail(kit: AppKit, server: FaultServer) -> None:
    (url, _), = _files(server, 1)
    task = await kit.download(url)
    trail = await kit.app.repo.audit_trail(task.id)
    committed = [(f, t) for kind, f, t, _ in trail if kind == "status"]
    assert kit.statuses(task.id) == committed
    assert committed[-1] == ("Completing", "Completed")


async def test_a_burst_of_small_downloads_publishes_in_the_order_the_audit_trail_was_committed(
        kit: AppKit, server: FaultServer) -> None:
    """Status changes of commands handled together share one commit; their events still follow the table."""
    await kit.configure(concurrent_downloads=4)
    files = serve_payloads(server, 24, 64 << 10)
    ids = [await kit.add(url) for url, _ in files]
    for task_id in ids:
        await kit.call("start_download", taskId=task_id)
    completed: set[str] = set()
    while len(completed) < len(ids):  # the events themselves: a task's status changes before its event is out
        event = await kit.wait_for(lambda e: e.name == "task_status_changed" and e.payload.to == TaskStatus.COMPLETED)
        completed.add(event.payload.task_id)
    for task_id, (_, data) in zip(ids, files):
        assert sha256_of(Path(kit.task(task_id).file_path)) == sha256_of(data)
        assert kit.statuses(task_id) == [("Pending", "Scheduled"), ("Scheduled", "Downloading"),
                                         ("Downloading", "Completing"), ("Completing", "Completed")]
    published = [(e.payload.task_id, e.payload.to.value) for e in kit.seen if e.name == "task_status_changed"]
    with open_database(kit.app.repo.path) as db:
        committed = db.execute("SELECT task_id, to_status FROM events WHERE kind = 'status' ORDER BY id").fetchall()
    assert published == committed


async def test_retryable_errors_are_retried_with_visible_warnings(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(1 << 20)
    server.add_file("/flaky.bin", data, fail_statuses=[500, 503])
    task = await kit.download(server.url("/flaky.bin"))
    assert task.status == TaskStatus.COMPLETED
    retrying = [w for w in kit.warnings(task.id) if w.code.value == "retrying"]
    assert [(w.attempt, w.max_attempts) for w in retrying] == [(1, 2), (2, 2)]
    assert "retrying (1/2)" in retrying[0].message


async def test_retries_run_out_with_retry_exhausted(kit: AppKit, server: FaultServer) -> None:
    server.add_file("/down.bin", b"x", status=503)
    task = await kit.download(server.url("/down.bin"))
    assert task.status == TaskStatus.FAILED and "HTTP 503" in task.error_message
    codes = [w.code.value for w in kit.warnings(task.id)]
    assert codes == ["retrying", "retrying", "retry_exhausted"]


async def test_fatal_errors_are_not_retried(kit: AppKit, server: FaultServer) -> None:
    task = await kit.download(server.url("/missing.bin"))
    assert task.status == TaskStatus.FAILED
    assert "HTTP 404" in task.error_message
    assert server.stats("/missing.bin").requests == 1
    assert kit.warnings(task.id) == []


async def test_a_failed_task_carries_its_error_code_across_a_restart(tmp_path: Path, server: FaultServer) -> None:
    """The code lets the UI say the failure in the user's language; the task is stored whole, so it comes back."""
    data_dir = tmp_path / "data"
    async with running_app(data_dir) as kit:
        task = await kit.download(server.url("/missing.bin"))
        failed = kit.seen[-1]  # finish() stops at the event that made the task Failed
        assert (failed.name, failed.payload.to) == ("task_status_changed", TaskStatus.FAILED)
        assert (task.error_code, failed.payload.error_code) == (ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND)
        assert failed.payload.error_message == task.error_message and "HTTP 404" in task.error_message
    async with running_app(data_dir) as reopened:
        again = reopened.task(task.id)
        assert (again.status, again.error_code, again.error_message) == (TaskStatus.FAILED, ErrorCode.NOT_FOUND,
                                                                        task.error_message)
        await reopened.call("retry_failed_tasks")
        pending = await reopened.wait_for(
            lambda e: e.name == "task_status_changed" and e.payload.to == TaskStatus.PENDING)
        assert (pending.payload.error_code, pending.payload.error_message) == (None, None)


async def test_a_failed_task_can_be_started_again(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(1 << 20, seed=3)
    server.add_file("/later.bin", data, fail_statuses=[404])
    task_id = await kit.add(server.url("/later.bin"))
    await kit.call("start_download", taskId=task_id)
    assert (await kit.finish(task_id)).status == TaskStatus.FAILED
    await kit.call("retry_failed_tasks")
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED and sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_commands_answer_with_the_original_error_strings(kit: AppKit, server: FaultServer) -> None:
    from vdp.errors import VdpError

    with pytest.raises(VdpError, match="^Failed to start download: Download error: Task not found: nope$"):
        await kit.call("start_download", taskId="nope")
    task_id = await kit.add(server.url("/x.bin"))
    with pytest.raises(VdpError, match=f"Active download not found: {task_id}"):
        await kit.call("pause_download", taskId=task_id)
    with pytest.raises(VdpError, match="cannot be resumed from status: Pending"):
        await kit.call("resume_download", taskId=task_id)
    with pytest.raises(VdpError, match="Rate limit must be between 65536 and 10737418240 bytes/sec"):
        await kit.call("set_rate_limit", bytesPerSecond=10)


async def test_concurrency_raised_at_run_time_fills_the_new_slots(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(concurrent_downloads=1)
    files = _files(server, 3, rate=1 << 20)
    ids = [await kit.add(url) for url, _ in files]
    await kit.call("start_all_downloads")
    assert (await kit.call("download_runtime_state"))["active"] == 1
    await kit.configure(concurrent_downloads=3)
    assert (await kit.call("download_runtime_state"))["active"] == 3
    await kit.call("pause_all_downloads")
    statuses = {kit.task(task_id).status for task_id in ids}
    assert statuses == {TaskStatus.PAUSED}, "none was killed: all three were running"


async def test_duplicate_urls_are_not_added_twice(kit: AppKit, server: FaultServer) -> None:
    url = server.url("/dup.bin")
    await kit.add(url)
    assert await kit.call("add_urls", urls=[url]) == []
    assert len(await kit.call("get_download_tasks")) == 1

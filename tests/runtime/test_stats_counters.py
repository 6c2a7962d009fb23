"""`get_download_stats` and the metrics come from running totals (runtime/tallies.py), not from a walk over every task
on the command loop. The totals must stay equal to what the task list says after every kind of change, and after a
restart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import TaskStatus
from vdp.runtime.runtime import Runtime


def _assert_totals_match_the_list(runtime: Runtime) -> None:
    tasks = runtime.tasks()
    counts = Counter(t.status for t in tasks)
    completed = [t for t in tasks if t.status == TaskStatus.COMPLETED]
    downloading = [t for t in tasks if t.status == TaskStatus.DOWNLOADING]

    stats = runtime.stats()
    assert (stats.total_tasks, stats.completed_tasks, stats.failed_tasks, stats.total_downloaded) == (
        len(tasks), counts[TaskStatus.COMPLETED], counts[TaskStatus.FAILED], sum(t.downloaded_size for t in completed))
    expected_speed = sum(t.speed for t in downloading) / len(downloading) if downloading else 0.0
    assert stats.average_speed == pytest.approx(expected_speed)

    metrics = runtime.metrics()
    assert metrics.downloaded_bytes == sum(t.downloaded_size for t in tasks)
    assert (metrics.paused, metrics.pending, metrics.completed, metrics.failed, metrics.cancelled, metrics.total) == (
        counts[TaskStatus.PAUSED], counts[TaskStatus.PENDING], counts[TaskStatus.COMPLETED],
        counts[TaskStatus.FAILED], counts[TaskStatus.CANCELLED], len(tasks))


def _runtime(kit: AppKit) -> Runtime:
    runtime = kit.app.runtime
    assert isinstance(runtime, Runtime)
    return runtime


async def test_stats_stay_equal_to_the_task_list_through_every_change(tmp_path: Path, server: FaultServer) -> None:
    server.add_file("/done.bin", make_payload(300_000, seed=1))
    server.add_file("/missing.bin", status=404)
    server.add_file("/slow.bin", make_payload(1 << 20, seed=2), stall_after=200_000)
    server.add_file("/kept.bin", make_payload(120_000, seed=3))

    async with running_app(tmp_path / "data", retry_attempts=0) as kit:
        runtime = _runtime(kit)
        done, missing, slow, kept = [await kit.add(server.url(f"/{name}.bin"))
                                     for name in ("done", "missing", "slow", "kept")]
        _assert_totals_match_the_list(runtime)

        for task_id in (done, kept):
            await kit.call("start_download", taskId=task_id)
            assert (await kit.finish(task_id)).status == TaskStatus.COMPLETED
        _assert_totals_match_the_list(runtime)  # completed bytes counted

        await kit.call("start_download", taskId=missing)
        assert (await kit.finish(missing)).status == TaskStatus.FAILED
        _assert_totals_match_the_list(runtime)

        await kit.call("start_download", taskId=slow)
        await server.wait_for_bytes_sent("/slow.bin", 200_000)
        await kit.wait_for(lambda e: e.name == "download_progress" and e.payload.task_id == slow
                           and e.payload.downloaded > 0)
        assert kit.task(slow).status == TaskStatus.DOWNLOADING
        _assert_totals_match_the_list(runtime)  # a running task's bytes are read live

        await kit.call("pause_download", taskId=slow)
        assert kit.task(slow).status == TaskStatus.PAUSED and kit.task(slow).downloaded_size > 0
        _assert_totals_match_the_list(runtime)  # ...and noted when it comes to rest

        await kit.call("cancel_download", taskId=slow)  # discards the partial file: its bytes go back to 0
        assert kit.task(slow).status == TaskStatus.CANCELLED and kit.task(slow).downloaded_size == 0
        _assert_totals_match_the_list(runtime)

        await kit.call("remove_download", taskId=done, deleteFile=True)
        await kit.call("remove_download", taskId=missing)
        _assert_totals_match_the_list(runtime)
        assert runtime.stats().total_downloaded == 120_000

    async with running_app(tmp_path / "data") as kit:  # the totals are rebuilt from the stored list
        runtime = _runtime(kit)
        assert runtime.stats().total_downloaded == 120_000
        _assert_totals_match_the_list(runtime)

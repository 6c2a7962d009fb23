"""The user's order everywhere: a batch keeps its paste order, `move_tasks` reorders the list and the backlog, and
both survive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import serve_payloads
from vdp.contract import TaskStatus
from vdp.errors import ErrorCode, VdpError
from vdp.runtime.ordering import moved


@pytest.mark.parametrize(
    ("selected", "direction", "expected"),
    [
        ("d", "top", "dabce"),
        ("bd", "top", "bdace"),
        ("ab", "bottom", "cdeab"),
        ("ce", "up", "acbed"),
        ("bc", "up", "bcade"),  # a block moves as a block
        ("a", "up", "abcde"),  # already first: unchanged
        ("bd", "down", "acbed"),
        ("e", "down", "abcde"),
    ],
)
def test_moves(selected: str, direction: str, expected: str) -> None:
    assert "".join(moved(list("abcde"), list(selected), direction)) == expected  # type: ignore[arg-type]


async def test_a_batch_keeps_its_order_and_moves_persist_across_a_restart(server: FaultServer, tmp_path: Path) -> None:
    files = serve_payloads(server, 6, 50_000)
    urls = [url for url, _ in files]
    out = tmp_path / "out"
    async with running_app(tmp_path / "data") as kit:
        added = await kit.call("add_urls", urls=urls, outputPath=str(out))
        ids = [task["id"] for task in added]
        assert len({task["created_at"] for task in added}) == 1  # one batch, one time: the order is the tie-break
        assert [t["id"] for t in await kit.call("get_download_tasks")] == ids

        order = await kit.call("move_tasks", taskIds=[ids[4]], direction="top")
        assert order == [ids[4], *ids[:4], ids[5]]
        order = await kit.call("move_tasks", taskIds=[ids[0], ids[5]], direction="up")
        assert order == [ids[0], ids[4], ids[1], ids[2], ids[5], ids[3]]
        order = await kit.call("move_tasks", taskIds=[ids[4]], direction="bottom")
        expected = [ids[0], ids[1], ids[2], ids[5], ids[3], ids[4]]
        assert order == expected
        assert [t["id"] for t in await kit.call("get_download_tasks")] == expected
        published = [e.payload for e in kit.events.drain() if e.name == "tasks_reordered"]
        assert [event.task_ids for event in published][-1] == expected and len(published) == 3

    async with running_app(tmp_path / "data", concurrent_downloads=1) as kit:
        assert [t["id"] for t in await kit.call("get_download_tasks")] == expected
        server.add_file("/later.bin", b"x" * 1000)
        later = await kit.add(server.url("/later.bin"), output=out)  # added after the moves: last
        await kit.call("start_all_downloads")
        for task_id in [*expected, later]:
            assert (await kit.finish(task_id)).status == TaskStatus.COMPLETED
        started = [e.payload.task_id for e in kit.seen
                   if e.name == "task_status_changed" and e.payload.to == TaskStatus.DOWNLOADING]
        assert started == [*expected, later]  # one slot: the backlog ran in the list's order


async def test_moving_an_unknown_task_says_so_and_changes_nothing(kit: AppKit, server: FaultServer) -> None:
    first = await kit.add(serve_payloads(server, 1, 1000)[0][0])

    with pytest.raises(VdpError) as failure:
        await kit.call("move_tasks", taskIds=[first, "nope"], direction="top")

    assert failure.value.code == ErrorCode.TASK_NOT_FOUND
    assert failure.value.message == "Failed to move tasks: Download error: Task not found: nope"
    with pytest.raises(VdpError) as failure:
        await kit.call("move_tasks", taskIds=[first], direction="sideways")
    assert failure.value.message.startswith("Invalid arguments for move_tasks: direction")

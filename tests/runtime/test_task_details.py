"""`get_task_details` against real downloads: a transfer held mid-way by the server's gate shows its connections and
the byte ranges it wrote; paused, the saved resume map shows the same; the audit trail, errors and speed samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import TaskStatus
from vdp.errors import ErrorCode, VdpError

MIB = 1 << 20
SIZE = 64 * MIB


def _ranges(details: dict) -> list[tuple[int, int]]:
    return [(r["start"], r["end"]) for r in details["pieces"]["ranges"]]


async def test_a_running_download_shows_its_connections_and_pieces_then_the_saved_map_when_paused(
        kit: AppKit, server: FaultServer) -> None:
    await kit.configure(max_connections_per_download=2)
    # every response stops after 1 MiB; paced, so the first connection is slow enough for the engine to add one
    server.add_file("/big.bin", make_payload(SIZE), stall_after=MIB, rate=2 * MIB)
    task_id = await kit.add(server.url("/big.bin"))
    await kit.call("start_download", taskId=task_id)
    await server.wait_for_bytes_sent("/big.bin", 2 * MIB)  # both connections are held by the gate
    await kit.wait_for(lambda e: e.name == "download_progress" and e.payload.task_id == task_id
                       and e.payload.downloaded >= 2 * MIB)

    running = await kit.call("get_task_details", taskId=task_id)

    assert (running["active"], running["connections"], running["engine"]) == (True, 2, "Http")
    assert running["routing_reason"] and running["url"] == server.url("/big.bin")
    assert running["pieces"]["source"] == "live" and running["pieces"]["total"] == SIZE
    ranges = _ranges(running)
    assert len(ranges) == 2 and ranges[0] == (0, MIB) and ranges[1][1] - ranges[1][0] == MIB
    assert running["pieces"]["done_bytes"] == 2 * MIB and running["segments"] is None
    part = Path(running["file_path"])
    assert part.is_absolute() and part.name.endswith(".part") and part.exists()
    assert os.path.isabs(running["output_folder"]) and part.parent == Path(running["output_folder"])
    assert [h["to_status"] for h in running["history"]] == ["Pending", "Scheduled", "Downloading"]
    assert running["history"][0]["kind"] == "added"
    assert (running["retries_used"], running["retry_budget"]) == (0, 2)
    assert running["speed_samples"] and all(s["bytes_per_second"] >= 0 for s in running["speed_samples"])

    await kit.call("pause_download", taskId=task_id)
    paused = await kit.call("get_task_details", taskId=task_id)

    assert (paused["active"], paused["connections"], paused["pieces"]["source"]) == (False, 0, "saved")
    assert _ranges(paused) == ranges and paused["pieces"]["done_bytes"] == 2 * MIB  # all of it was made durable
    assert [h["to_status"] for h in paused["history"]][-2:] == ["Pausing", "Paused"]
    assert paused["file_path"] == running["file_path"]


async def test_a_failure_is_listed_with_its_code_and_a_completed_task_is_whole(kit: AppKit,
                                                                               server: FaultServer) -> None:
    server.add_file("/gone.bin", b"", status=404)
    server.add_file("/ok.bin", make_payload(300_000))

    failed = await kit.download(server.url("/gone.bin"))
    done = await kit.download(server.url("/ok.bin"))

    assert failed.status == TaskStatus.FAILED
    details = await kit.call("get_task_details", taskId=failed.id)
    (error,) = details["errors"]
    assert error["code"] == ErrorCode.NOT_FOUND.value and "404" in error["message"] and error["at"].endswith("Z")
    assert details["history"][-1]["to_status"] == "Failed" and details["history"][-1]["cause"].startswith("failed")
    whole = await kit.call("get_task_details", taskId=done.id)
    assert whole["file_path"] == done.file_path and _ranges(whole) == [(0, 300_000)]
    assert (whole["pieces"]["total"], whole["errors"]) == (300_000, [])


async def test_an_unknown_task_says_so(kit: AppKit) -> None:
    with pytest.raises(VdpError) as failure:
        await kit.call("get_task_details", taskId="nope")
    assert failure.value.code == ErrorCode.TASK_NOT_FOUND
    assert failure.value.message == "Failed to get task details: Download error: Task not found: nope"


async def test_a_running_hls_download_shows_its_parts(kit: AppKit, server: FaultServer) -> None:
    segments = [make_payload(50_000 + n, seed=n) for n in range(4)]
    for n, body in enumerate(segments):
        # the last part stops half-way until the gate opens: the others finish, it stays in flight
        server.add_file(f"/show/seg{n}.ts", body, content_type="video/mp2t",
                        **({"stall_after": 20_000} if n == 3 else {}))
    playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n" + "".join(f"#EXTINF:4,\nseg{n}.ts\n" for n in range(4))
    server.add_file("/show/index.m3u8", (playlist + "#EXT-X-ENDLIST\n").encode(),
                    content_type="application/vnd.apple.mpegurl")
    task_id = await kit.add(server.url("/show/index.m3u8"))
    await kit.call("start_download", taskId=task_id)
    done_before_gate = sum(len(body) for body in segments[:3])
    await kit.wait_for(lambda e: e.name == "download_progress" and e.payload.task_id == task_id
                       and e.payload.downloaded >= done_before_gate)

    running = await kit.call("get_task_details", taskId=task_id)

    assert (running["engine"], running["active"], running["connections"]) == ("M3u8", True, 1)
    assert running["segments"] == {"done": 3, "total": 4}
    assert running["pieces"]["source"] == "live" and running["pieces"]["ranges"] == []
    server.gate("/show/seg3.ts").open()
    assert (await kit.finish(task_id)).status == TaskStatus.COMPLETED

"""Rate limits through the real app and the real fault server: one unit end to end, live changes that wake the
transfers they hold, and no extra connections while a limit is the bottleneck. No timing assertions: a transfer
that would need minutes under the limit completing after the lift is the proof (with a hang guard)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.observed_bucket import ObservedBucket
from tests.support.payload import make_payload, sha256_of
from vdp.contract import TaskStatus
from vdp.errors import VdpError

MIB = 1 << 20
SLOW = 65_536  # the smallest limit the commands allow
CRAWL = 1024  # a bucket set directly: a single batch of up to 1 MiB would wait a quarter of an hour


async def test_a_binding_limit_opens_no_extra_connections(kit: AppKit, server: FaultServer) -> None:
    """8 MiB/s: batches pass several times a second, so the connection ramp is asked many times while the limit
    binds; a server that serves each connection at full speed is not the bottleneck."""
    bucket = ObservedBucket()
    kit.app.services.limits.global_bucket = bucket
    assert await kit.call("set_rate_limit", bytesPerSecond=8 * MIB) == 8 * MIB
    await kit.configure(max_connections_per_download=8)
    data = make_payload(64 * MIB, seed=21)
    server.add_file("/big.bin", data)
    task_id = await kit.add(server.url("/big.bin"))
    await kit.call("start_download", taskId=task_id)
    await bucket.held(30)  # over a second under the limit: ten turns of the ramp and more
    assert kit.task(task_id).status == TaskStatus.DOWNLOADING
    assert server.stats("/big.bin").max_concurrent == 1, "the limit, not the server, is the bottleneck"
    assert await kit.call("set_rate_limit", bytesPerSecond=None) is None
    task = await kit.finish(task_id, timeout=60)
    assert task.status == TaskStatus.COMPLETED and sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_lifting_the_global_limit_wakes_a_transfer_that_would_sleep_for_minutes(
        kit: AppKit, server: FaultServer) -> None:
    bucket = ObservedBucket(CRAWL)  # below the command's bounds: one batch alone would take a quarter hour
    kit.app.services.limits.global_bucket = bucket
    data = make_payload(16 * MIB, seed=24)
    server.add_file("/big.bin", data)
    task_id = await kit.add(server.url("/big.bin"))
    await kit.call("start_download", taskId=task_id)
    await bucket.held(3)
    assert kit.task(task_id).status == TaskStatus.DOWNLOADING
    await kit.call("set_rate_limit", bytesPerSecond=None)
    task = await kit.finish(task_id, timeout=60)
    assert task.status == TaskStatus.COMPLETED and sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_a_task_limit_holds_only_its_task_and_lifts_live(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(16 * MIB, seed=22)
    server.add_file("/other.bin", make_payload(MIB, seed=23))
    limits = kit.app.services.limits
    other = await kit.add(server.url("/other.bin"))
    await kit.configure(max_connections_per_download=8)
    server.add_file("/big.bin", data)
    task_id = await kit.add(server.url("/big.bin"))
    assert await kit.call("set_task_rate_limit", taskId=task_id, bytesPerSecond=SLOW) == SLOW
    assert await kit.call("get_task_rate_limit", taskId=task_id) == SLOW
    bucket = ObservedBucket(CRAWL)
    limits._tasks[task_id] = bucket  # observed, and slower than the command allows
    await kit.call("start_download", taskId=task_id)
    await kit.call("start_download", taskId=other)
    assert (await kit.finish(other)).status == TaskStatus.COMPLETED  # the other task is not held
    await bucket.held(3)
    assert await kit.call("set_task_rate_limit", taskId=task_id, bytesPerSecond=None) is None
    task = await kit.finish(task_id, timeout=60)
    assert task.status == TaskStatus.COMPLETED and sha256_of(Path(task.file_path)) == sha256_of(data)
    assert await kit.call("get_task_rate_limit", taskId=task_id) is None


async def test_a_removed_task_takes_its_limit_with_it(kit: AppKit, server: FaultServer) -> None:
    server.add_file("/f.bin", b"x")
    task_id = await kit.add(server.url("/f.bin"))
    await kit.call("set_task_rate_limit", taskId=task_id, bytesPerSecond=SLOW)
    assert kit.app.services.limits.limited
    await kit.call("remove_download", taskId=task_id, deleteFile=False)
    assert not kit.app.services.limits.limited, "no bucket left for a task that is gone"


@pytest.mark.parametrize("command", ["set_rate_limit", "set_task_rate_limit"])
@pytest.mark.parametrize("value", [0, 10, 65_535, 10_737_418_241])
async def test_limits_outside_the_original_bounds_are_refused(kit: AppKit, server: FaultServer, command: str,
                                                               value: int) -> None:
    server.add_file("/f.bin", b"x")
    task_id = await kit.add(server.url("/f.bin"))
    args = {"taskId": task_id} if command == "set_task_rate_limit" else {}
    with pytest.raises(VdpError, match="Rate limit must be between 65536 and 10737418240 bytes/sec") as err:
        await kit.call(command, bytesPerSecond=value, **args)
    assert err.value.code.value == "invalid_argument"
    assert await kit.call("get_rate_limit") is None


async def test_a_task_limit_for_an_unknown_task_is_refused(kit: AppKit) -> None:
    with pytest.raises(VdpError, match="Task not found: nope") as err:
        await kit.call("set_task_rate_limit", taskId="nope", bytesPerSecond=SLOW)
    assert err.value.code.value == "task_not_found"


async def test_the_setting_is_megabits_per_second_and_survives_saving_other_settings(kit: AppKit) -> None:
    config = kit.app.config.model_copy(deep=True)
    config.advanced.rate_limit_mbps = 2
    await kit.call("update_config", newConfig=config.model_dump(mode="json"))
    assert await kit.call("get_rate_limit") == 250_000  # 2 Mbit/s
    await kit.call("set_rate_limit", bytesPerSecond=1 << 20)
    await kit.configure(user_agent="unrelated change")  # the limit set by command stays
    assert await kit.call("get_rate_limit") == 1 << 20

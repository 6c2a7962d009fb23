"""Queue running / paused: settable on its own, shown by `get_queue_state` and the `queue_state_changed` event, and
nothing starts from the queue while it is paused. The scheduler starts and pauses it at two local times of day."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.contract import TaskStatus
from vdp.errors import ErrorCode, VdpError
from vdp.runtime import commands
from vdp.runtime.queue_schedule import QueueSchedule, next_change, parse_hhmm

CST = timezone(timedelta(hours=8))


def _queue_events(kit: AppKit) -> list[bool]:
    """Every `queue_state_changed` so far (waits on status events keep what they consumed in `kit.seen`)."""
    kit.seen.extend(kit.events.drain())
    return [e.payload.running for e in kit.seen if e.name == "queue_state_changed"]


async def _add(kit: AppKit, server: FaultServer, name: str, size: int = 40_000, **behaviour) -> str:  # type: ignore[no-untyped-def]
    server.add_file(f"/{name}.bin", make_payload(size, seed=len(name)), **behaviour)
    return await kit.add(server.url(f"/{name}.bin"))


async def test_the_queue_runs_only_while_it_is_running(kit: AppKit, server: FaultServer) -> None:
    state = await kit.call("get_queue_state")
    assert state["running"] is False and state["next_change_at"] is None
    waiting = await _add(kit, server, "a")
    assert kit.task(waiting).status == TaskStatus.PENDING and not kit.task(waiting).queued  # added: nothing starts

    state = await kit.call("set_queue_running", running=True)

    assert state["running"] is True and (await kit.call("download_runtime_state"))["backlog_running"] is True
    assert (await kit.finish(waiting)).status == TaskStatus.COMPLETED
    later = await _add(kit, server, "b")  # added while the queue runs: it starts by itself
    assert (await kit.finish(later)).status == TaskStatus.COMPLETED

    assert (await kit.call("set_queue_running", running=False))["running"] is False
    held = await _add(kit, server, "c")
    # the loop dispatched after the add: a paused queue started nothing
    runtime_state = await kit.call("download_runtime_state")
    assert (runtime_state["active"], runtime_state["queues"]["automatic"]) == (0, 1)
    assert kit.task(held).status == TaskStatus.PENDING and not kit.task(held).queued
    assert _queue_events(kit) == [True, False]


async def test_pausing_the_queue_lets_running_downloads_finish(kit: AppKit, server: FaultServer) -> None:
    running = await _add(kit, server, "slow", size=1 << 20, stall_after=64 << 10)
    await kit.call("set_queue_running", running=True)
    await server.wait_for_bytes_sent("/slow.bin", 64 << 10)

    await kit.call("set_queue_running", running=False)

    assert kit.task(running).status == TaskStatus.DOWNLOADING
    server.gate("/slow.bin").open()
    assert (await kit.finish(running)).status == TaskStatus.COMPLETED


async def test_start_all_and_pause_all_set_the_queue_and_say_so(kit: AppKit, server: FaultServer) -> None:
    await _add(kit, server, "a")
    await kit.call("start_all_downloads")
    await kit.call("start_all_downloads")  # already running: no second event
    await kit.call("pause_all_downloads")

    assert _queue_events(kit) == [True, False]
    assert (await kit.call("get_queue_state"))["running"] is False


async def test_the_schedule_is_configured_and_reported(kit: AppKit) -> None:
    config = kit.app.config.model_copy(deep=True)
    config.ui.schedule_start_time, config.ui.schedule_pause_time = "01:30", "07:00"
    await kit.call("update_config", newConfig=config.model_dump(mode="json"))

    state = await kit.call("get_queue_state")

    assert (state["schedule_start_time"], state["schedule_pause_time"]) == ("01:30", "07:00")
    upcoming = next_change(datetime.now().astimezone(), time(1, 30), time(7, 0))
    assert upcoming is not None and state["next_change_running"] is upcoming[1]
    kit.seen.extend(kit.events.drain())
    assert [e.payload.next_change_at for e in kit.seen if e.name == "queue_state_changed"][-1] is not None
    config.ui.schedule_start_time = "7:00"
    with pytest.raises(VdpError) as failure:
        await kit.call("update_config", newConfig=config.model_dump(mode="json"))
    assert "HH:MM" in failure.value.message


async def test_the_scheduled_pause_pauses_running_downloads_and_the_start_resumes_them(
        kit: AppKit, server: FaultServer) -> None:
    running = await _add(kit, server, "slow", size=1 << 20, stall_after=64 << 10)
    paused_by_user = await _add(kit, server, "mine", size=1 << 20, stall_after=64 << 10)
    await kit.call("set_queue_running", running=True)
    await server.wait_for_bytes_sent("/slow.bin", 64 << 10)
    await server.wait_for_bytes_sent("/mine.bin", 64 << 10)
    await kit.call("pause_download", taskId=paused_by_user)

    await kit.app.runtime.submit(commands.ScheduledQueueChange(False))  # what the timer posts at the pause time

    assert kit.task(running).status == TaskStatus.PAUSED
    assert (await kit.call("get_queue_state"))["running"] is False
    server.gate("/slow.bin").open()

    await kit.app.runtime.submit(commands.ScheduledQueueChange(True))  # ... and at the start time

    assert (await kit.finish(running)).status == TaskStatus.COMPLETED
    assert kit.task(paused_by_user).status == TaskStatus.PAUSED  # the user's own pause is kept


# -- the timer, with an injected clock ------------------------------------------------------------------


def test_next_change_picks_the_first_time_after_now() -> None:
    now = datetime(2026, 3, 1, 8, 0, tzinfo=CST)
    start, pause = parse_hhmm("09:00"), parse_hhmm("23:30")

    assert next_change(now, start, pause) == (datetime(2026, 3, 1, 9, 0, tzinfo=CST), True)
    assert next_change(now.replace(hour=9), start, pause) == (datetime(2026, 3, 1, 23, 30, tzinfo=CST), False)
    assert next_change(now.replace(hour=23, minute=45), start, None) == (datetime(2026, 3, 2, 9, 0, tzinfo=CST), True)
    assert next_change(now, None, None) is None
    with pytest.raises(ValueError):
        parse_hhmm("24:00")


async def test_the_timer_fires_at_the_time_on_the_injected_clock() -> None:
    loop = asyncio.get_running_loop()
    origin, anchor = datetime(2026, 3, 1, 8, 59, 59, 950_000, tzinfo=CST), loop.time()

    def clock() -> datetime:  # 50 ms before 09:00, then running with the loop's clock
        return origin + timedelta(seconds=loop.time() - anchor)

    fired: asyncio.Future[bool] = loop.create_future()
    schedule = QueueSchedule(lambda running: fired.done() or fired.set_result(running), now=clock)
    schedule.configure("09:00", "18:00")
    try:
        assert (schedule.next_at, schedule.next_running) == (datetime(2026, 3, 1, 9, 0, tzinfo=CST), True)
        assert await asyncio.wait_for(fired, 5) is True
        assert (schedule.next_at, schedule.next_running) == (datetime(2026, 3, 1, 18, 0, tzinfo=CST), False)
    finally:
        schedule.cancel()


async def test_a_wake_up_before_the_time_does_nothing_and_cancel_stops_the_timer() -> None:
    now = datetime(2026, 3, 1, 8, 0, tzinfo=CST)
    acted: list[bool] = []
    schedule = QueueSchedule(acted.append, now=lambda: now)
    schedule.configure("09:00", None)

    schedule._due()  # the timer's re-alignment wake-up (every RESYNC seconds at most), an hour early
    assert acted == [] and schedule.next_at == datetime(2026, 3, 1, 9, 0, tzinfo=CST)
    schedule.cancel()
    assert schedule._timer is None
    schedule.configure(None, None)
    assert (schedule.next_at, schedule._timer) == (None, None)


async def test_the_v1_runtime_says_it_has_no_queue_commands(tmp_path: Path) -> None:
    async with running_app(tmp_path / "data", runtime="v1") as kit:
        with pytest.raises(VdpError) as failure:
            await kit.call("set_queue_running", running=True)
    assert failure.value.code == ErrorCode.NOT_IMPLEMENTED
    assert "v1 runtime has no SetQueueRunning command" in failure.value.message

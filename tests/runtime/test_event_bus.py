"""The event bus never blocks a publisher: a subscriber that falls behind is told it lagged, then resyncs."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from vdp.contract import TaskRemovedEvent, VideoTask
from vdp.runtime.bus import Event, EventBus


def test_a_slow_subscriber_gets_one_lagged_warning_instead_of_its_backlog() -> None:
    bus = EventBus()
    slow = bus.subscribe("slow", capacity=3)
    fast = bus.subscribe("fast", capacity=100)
    for n in range(5):
        bus.publish("task_removed", TaskRemovedEvent(task_id=f"t{n}"))
    missed = slow.drain()
    assert [e.name for e in missed] == ["runtime_warning", "task_removed"]
    assert missed[0].payload.code.value == "lagged" and "slow" in missed[0].payload.message
    assert [e.payload.task_id for e in fast.drain()] == [f"t{n}" for n in range(5)]
    assert bus.lagged_count == 1


def test_a_closed_subscription_stops_receiving() -> None:
    bus = EventBus()
    sub = bus.subscribe("ui")
    sub.close()
    bus.publish("task_removed", TaskRemovedEvent(task_id="t"))
    assert sub.drain() == [] and bus.subscriber_count == 0


def test_the_json_text_of_an_event_is_its_wire_form() -> None:
    task = VideoTask(id="t1", url="https://example.com/a.mp4", title="a", output_path="/tmp/out",
                     created_at=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc))
    for event in (Event("task_added", task), Event("task_removed", TaskRemovedEvent(task_id="t1")),
                  Event("download_paused_all", True)):
        assert json.loads(event.wire_json()) == event.wire()
    assert json.loads(Event("task_added", task).wire_json())["payload"]["created_at"] == "2026-01-02T03:04:05.123Z"

"""The queue's events (v2, docs/contract.md): its order changed, or it started or paused. Payload models only, so the
event table can load them without the argument models."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import UtcDateTime, WireModel


class TasksReorderedEvent(WireModel):
    """`tasks_reordered`: every task id in the new queue order (the order of `get_download_tasks`)."""

    task_ids: list[str]


class QueueState(WireModel):
    """`get_queue_state`, `set_queue_running` and the `queue_state_changed` event.

    running: tasks waiting in the queue start as slots free, including tasks added later; paused: none starts from the
    queue (a task the user starts still does). `start_all_downloads` sets it running, `pause_all_downloads` paused."""

    running: bool
    schedule_start_time: Optional[str] = Field(description="ui.schedule_start_time (HH:MM, local)")
    schedule_pause_time: Optional[str] = Field(description="ui.schedule_pause_time (HH:MM, local)")
    next_change_at: Optional[UtcDateTime] = Field(description="when the scheduler next acts, null when it is off")
    next_change_running: Optional[bool] = Field(description="what it then sets: true start, false pause")

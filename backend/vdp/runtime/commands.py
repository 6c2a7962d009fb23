"""Commands the command loop processes in order. Each carries the future its caller awaits."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ..contract import DownloadConfig, VideoTask
from ..engines.base import ResumeState, TransferResult
from ..errors import VdpError


@dataclass
class Command:
    future: "asyncio.Future[Any]" = field(init=False, repr=False, compare=False)


def handler_name(kind: type[Command]) -> str:
    """The runtime method that handles a command: `AddTasks` -> `_add_tasks` (both runtimes name them so)."""
    return "_" + re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()


# -- public commands (what the bridge sends) ---------------------------------------------------

@dataclass
class AddTasks(Command):
    tasks: list[VideoTask]  # handed over: the runtime keeps and changes these objects
    cause: str = "added"
    skip_duplicate_urls: bool = True
    start: bool = False  # each added task started as by a Start (`vdp get`): no command per task to start it


@dataclass
class Start(Command):
    task_id: str
    # The original starts only Pending and Paused tasks; `restart` also starts Failed and Cancelled ones
    # (docs/contract.md, start_download).
    restart: bool = False


@dataclass
class Resume(Command):
    task_id: str


@dataclass
class Pause(Command):
    task_id: str


@dataclass
class Cancel(Command):
    task_id: str
    keep_file: bool = False


@dataclass
class Remove(Command):
    task_ids: list[str]
    delete_file: bool = False
    # `remove_download` (one task) rather than `remove_download_tasks`: the legacy runtime refuses an active task
    # there, as the original did; v2 cancels it first either way.
    single: bool = False


@dataclass
class StartAll(Command):
    output_path: Optional[str] = None


@dataclass
class PauseAll(Command):
    # The app's stop: answered only once the tasks past their last byte have also finished their files (a pause
    # leaves them to finish; stopped halfway, a rename would land after the task was recorded Paused).
    wait_for_finishing: bool = False


@dataclass
class ResumeAll(Command):
    pass


@dataclass
class CancelAll(Command):
    pass


@dataclass
class RetryFailed(Command):
    pass


@dataclass
class ClearCompleted(Command):
    pass


@dataclass
class ApplyConfig(Command):
    download: DownloadConfig
    auto_start: bool
    # ui.schedule_start_time, ui.schedule_pause_time ("HH:MM" or None); (None, None): no scheduler
    schedule: tuple[Optional[str], Optional[str]] = (None, None)


@dataclass
class SetPriority(Command):
    task_id: str
    priority: int


@dataclass
class Retitle(Command):
    task_id: str
    title: str


@dataclass
class UpdateOutputPaths(Command):
    task_ids: list[str]
    output_path: str


@dataclass
class MoveTasks(Command):
    task_ids: list[str]
    direction: str  # up, down, top, bottom (runtime/ordering.py)


@dataclass
class SetQueueRunning(Command):
    running: bool


@dataclass
class GetQueueState(Command):
    pass


@dataclass
class DescribeTask(Command):
    """The runtime's part of `get_task_details`: a snapshot of what only the running runtime knows."""

    task_id: str


# -- internal commands (workers and timers report back through the same loop) ---------------------

@dataclass
class ScheduledQueueChange(Command):
    running: bool  # the queue scheduler's start (True) or pause (False)


@dataclass
class BytesReceived(Command):
    """A transfer has every byte and finishes its file (fsync, rename): its download slot is free for the next."""

    task_id: str
    serial: int


@dataclass
class EnterCompleting(Command):
    """A transfer still finishing after a while: it shows Completing."""

    task_id: str
    serial: int


@dataclass
class SaveCheckpoint(Command):
    """A transfer's checkpoint: written with the next group commit, answered once it is in the database."""

    task: VideoTask
    state: ResumeState


@dataclass
class TransferFinished(Command):
    task_id: str
    serial: int
    result: Optional[TransferResult] = None
    error: Optional[VdpError] = None
    interrupted: bool = False


@dataclass
class StopDeadline(Command):
    task_id: str
    serial: int


@dataclass
class RetryDue(Command):
    pass


# What both runtimes answer: the bridge's commands of the original app.
BOTH_RUNTIMES: tuple[type[Command], ...] = (
    AddTasks, Start, Resume, Pause, Cancel, Remove, StartAll, PauseAll, ResumeAll, CancelAll, RetryFailed,
    ClearCompleted, ApplyConfig, SetPriority, UpdateOutputPaths, Retitle,
)

"""What the details pane shows of a task beyond its row, kept in memory for this session: its recent failures and
warnings, and about one speed sample a second. The running engine's map comes from its progress cell, the audit trail
and the saved resume map from the repository."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from ..contract import VideoTask, utc_now
from ..engines.base import ResumeState

MAX_ERRORS = 20
MAX_SPEED_SAMPLES = 120
SPEED_SAMPLE_EVERY = 1.0  # seconds (monotonic) between two speed samples of a task


@dataclass(frozen=True, slots=True)
class ErrorNote:
    at: datetime
    code: Optional[str]
    message: str


@dataclass(slots=True)
class TaskNotes:
    errors: deque[ErrorNote] = field(default_factory=lambda: deque(maxlen=MAX_ERRORS))
    speeds: deque[tuple[datetime, float]] = field(default_factory=lambda: deque(maxlen=MAX_SPEED_SAMPLES))
    last_speed_at: float = float("-inf")


@dataclass(frozen=True, slots=True)
class TaskSnapshot:
    """What the runtime alone knows of a task, copied on its loop for `get_task_details`."""

    task: VideoTask
    active: bool
    connections: int
    attempts: int
    errors: list[ErrorNote]
    speeds: list[tuple[datetime, float]]
    live: Optional[ResumeState]
    """The running engine's metadata and piece map as written (ProgressSink.live_state), newer than its last
    checkpoint; None when no transfer runs."""


class TaskJournal:
    def __init__(self) -> None:
        self._notes: dict[str, TaskNotes] = {}

    def notes(self, task_id: str) -> TaskNotes:
        return self._notes.get(task_id) or TaskNotes()

    def error(self, task_id: str, code: Optional[str], message: str) -> None:
        self._entry(task_id).errors.append(ErrorNote(utc_now(), code, message))

    def speed(self, task_id: str, monotonic_now: float, bytes_per_second: float) -> None:
        entry = self._entry(task_id)
        if monotonic_now - entry.last_speed_at >= SPEED_SAMPLE_EVERY:
            entry.last_speed_at = monotonic_now
            entry.speeds.append((utc_now(), bytes_per_second))

    def forget(self, task_id: str) -> None:
        self._notes.pop(task_id, None)

    def _entry(self, task_id: str) -> TaskNotes:
        entry = self._notes.get(task_id)
        if entry is None:
            entry = self._notes[task_id] = TaskNotes()
        return entry

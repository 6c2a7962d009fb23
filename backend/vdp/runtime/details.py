"""`TaskDetails` for the details pane: the runtime's snapshot of a task, its resume map (what is on disk) and its
audit trail, put together. Pure: the caller fetches the three."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Literal, Optional, Sequence

from ..contract import TaskStatus
from ..contract.workspace import (
    ByteRange,
    PieceMap,
    SegmentProgress,
    SpeedSample,
    TaskDetails,
    TaskErrorEntry,
    TaskHistoryEntry,
)
from ..engines import names
from ..engines.base import Chunk, ResumeState
from .files import owned_partials
from .journal import TaskSnapshot

HistoryRow = tuple[str, str, Optional[str], Optional[str], Optional[str]]
MapSource = Literal["live", "saved", "none"]


def task_details(snapshot: TaskSnapshot, state: ResumeState, *, live: bool,
                 history: Sequence[HistoryRow]) -> TaskDetails:
    """`state`: the running engine's map as written (`live`) or the saved resume map."""
    task = snapshot.task
    folder = Path(os.path.abspath(task.output_path))
    partials = owned_partials(state.meta, folder)
    file_path = task.file_path or (str(partials[0]) if partials else None)
    completed = task.file_size if task.status == TaskStatus.COMPLETED else None
    hls = names.engine_name(task.downloader_type) == names.HLS or state.meta.get("engine") == names.HLS
    pieces, segments = _maps(state, live=live, hls=hls, completed_size=completed, size=task.file_size)
    return TaskDetails(
        task_id=task.id, url=task.url, output_folder=str(folder), file_path=file_path, engine=task.downloader_type,
        routing_reason=task.routing_reason, active=snapshot.active, connections=snapshot.connections,
        pieces=pieces, segments=segments,
        # attempts count this run's tries since the user last started it; after a restart only the stored count is left
        retries_used=max(snapshot.attempts - 1, 0) if snapshot.attempts else task.retry_count,
        retry_budget=task.max_retries,
        errors=[TaskErrorEntry(at=e.at, code=e.code, message=e.message) for e in snapshot.errors],
        history=[_history_entry(row) for row in history],
        speed_samples=[SpeedSample(at=at, bytes_per_second=speed) for at, speed in snapshot.speeds],
    )


def _maps(state: ResumeState, *, live: bool, hls: bool, completed_size: Optional[int],
          size: Optional[int]) -> tuple[PieceMap, Optional[SegmentProgress]]:
    if completed_size is not None:  # a completed task's map is dropped: the whole file is there
        whole = [ByteRange(start=0, end=completed_size)]
        return PieceMap(total=completed_size, done_bytes=completed_size, ranges=whole, source="saved"), None
    source: MapSource = "live" if live else ("saved" if state.chunks or state.meta else "none")
    if hls:  # each chunk is one finished part (engines/hls/engine.py); "parts" is in the plan's identity
        parts = state.meta.get("parts")
        segments = SegmentProgress(done=len(state.chunks), total=parts if isinstance(parts, int) else None)
        return PieceMap(total=size, done_bytes=state.durable_bytes, ranges=[], source=source), segments
    total = state.meta.get("total")
    return PieceMap(total=total if isinstance(total, int) else size, done_bytes=state.durable_bytes,
                    ranges=merged_ranges(state.chunks), source=source), None


def merged_ranges(chunks: Sequence[Chunk]) -> list[ByteRange]:
    """The bytes on disk: each piece's written prefix [start, start + done), sorted, touching ranges merged."""
    ranges: list[ByteRange] = []
    for start, end in sorted((c.start, c.start + c.done) for c in chunks if c.done > 0):
        if ranges and start <= ranges[-1].end:
            ranges[-1].end = max(ranges[-1].end, end)
        else:
            ranges.append(ByteRange(start=start, end=end))
    return ranges


def _history_entry(row: HistoryRow) -> TaskHistoryEntry:
    at, kind, from_status, to_status, cause = row
    return TaskHistoryEntry(at=datetime.fromisoformat(at), kind=kind, from_status=_status(from_status),
                            to_status=_status(to_status), cause=cause)


def _status(value: Optional[str]) -> Optional[TaskStatus]:
    try:
        return TaskStatus(value) if value else None
    except ValueError:
        return None

"""The course workspace's v2 commands (docs/contract.md): the import path preview, the queue order, the task details
pane and the queue's running state. None of these exist in the original; every one is a new command or event."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from ._wire import UtcDateTime, WireModel
from .commands import MAX_ID_LENGTH, MAX_PATH_LENGTH, Args, DownloadFolder
from .tasks import DownloaderType, TaskStatus

ImportLayout = Literal["flat", "by_column", "by_course"]

# -- the import path preview -----------------------------------------------------------------------


class PreviewPathsArgs(Args):
    file_path: str = Field(min_length=1, max_length=MAX_PATH_LENGTH)
    output_dir: Optional[DownloadFolder] = Field(default=None, description="left out: the configured download folder")
    layout: ImportLayout = "by_course"
    field_mapping: Optional[dict[str, str]] = None
    max_rows: int = Field(default=200, ge=0, le=100_000, description="entries listed (0: all); totals count every row")


class ImportPathEntry(WireModel):
    row: int = Field(description="1-based position among the rows that become downloads, in sheet order")
    course: Optional[str] = Field(description="专栏名称 (the course), or null when the row names none")
    title: str
    folder: str = Field(description="absolute folder the file goes to")
    file_name: str = Field(description="without an extension when only the server's answer can tell it")
    path: str = Field(description="folder + file_name")
    extension_known: bool = Field(description="false: the URL names no extension; the server's answer decides it")
    url: str


class ImportPathPreview(WireModel):
    layout: ImportLayout
    output_dir: str = Field(description="absolute")
    total: int = Field(description="rows that become downloads")
    courses: int = Field(description="distinct course folders")
    name_clashes: int = Field(default=0, description="rows whose path an earlier row of the sheet has: such a file is "
                                                      "named `name (1).ext` ... when it downloads, in no set order")
    entries: list[ImportPathEntry]


# -- queue order -------------------------------------------------------------------------------------


class MoveTasksArgs(Args):
    task_ids: list[str] = Field(min_length=1, max_length=1_000_000)
    direction: Literal["up", "down", "top", "bottom"]


# -- the details pane --------------------------------------------------------------------------------


class TaskDetailsArgs(Args):
    task_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)


class ByteRange(WireModel):
    start: int
    end: int = Field(description="exclusive")


class PieceMap(WireModel):
    total: Optional[int] = Field(description="file size, null while unknown")
    done_bytes: int
    ranges: list[ByteRange] = Field(description="byte ranges on disk, merged and sorted")
    source: Literal["live", "saved", "none"] = Field(
        description="live: the running engine's map; saved: the resume map of the last checkpoint; none: no map")


class SegmentProgress(WireModel):
    done: int
    total: Optional[int]


class TaskErrorEntry(WireModel):
    at: UtcDateTime
    code: Optional[str]
    message: str


class TaskHistoryEntry(WireModel):
    at: UtcDateTime
    kind: str = Field(description="added, status or removed")
    from_status: Optional[TaskStatus]
    to_status: Optional[TaskStatus]
    cause: Optional[str]


class SpeedSample(WireModel):
    at: UtcDateTime
    bytes_per_second: float


class TaskDetails(WireModel):
    task_id: str
    url: str
    output_folder: str = Field(description="absolute")
    file_path: Optional[str] = Field(description="absolute: the final file once known, else the partial file")
    engine: Optional[DownloaderType]
    routing_reason: Optional[str]
    active: bool
    connections: int = Field(description="connections (HTTP) or parts (HLS) in flight now")
    pieces: PieceMap
    segments: Optional[SegmentProgress] = Field(description="HLS only: parts on disk / parts in the stream")
    retries_used: int
    retry_budget: int
    errors: list[TaskErrorEntry] = Field(description="this session's failures and warnings, oldest first")
    history: list[TaskHistoryEntry] = Field(description="the audit trail, oldest first (the last 200)")
    speed_samples: list[SpeedSample] = Field(description="about one a second while running, the last 120")


# -- the queue's running state -------------------------------------------------------------------------


class QueueRunningArgs(Args):
    running: bool

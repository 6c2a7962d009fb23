"""Tasks and their progress: the original's models plus the v2 task fields (docs/contract.md, "Conventions")."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import UtcDateTime, WireEnum, WireModel, utc_now
from .errors import ErrorCode


class TaskStatus(WireEnum):
    PENDING = "Pending"
    SCHEDULED = "Scheduled"
    DOWNLOADING = "Downloading"
    PAUSING = "Pausing"
    PAUSED = "Paused"
    COMPLETING = "Completing"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELLED = "Cancelled"


class DownloaderType(WireEnum):
    HTTP = "Http"
    M3U8 = "M3u8"
    YOUTUBE = "Youtube"

    @classmethod
    def _missing_(cls, value: object) -> "DownloaderType | None":
        # HEAD spells the yt-dlp engine `YtDlp`; both name the same engine.
        if isinstance(value, str) and value.replace("-", "").lower() in {"ytdlp", "yt_dlp"}:
            return cls.YOUTUBE
        member = super()._missing_(value)
        return member if isinstance(member, DownloaderType) else None


class VideoInfo(WireModel):
    """Sheet columns of a course video; every new field has a legacy twin holding the same value."""

    zl_id: Optional[str] = None
    zl_name: Optional[str] = None
    record_url: Optional[str] = None
    kc_id: Optional[str] = None
    kc_name: Optional[str] = None
    id: Optional[str] = None
    name: Optional[str] = None
    url: Optional[str] = None
    course_id: Optional[str] = None
    course_name: Optional[str] = None


class ImportedData(VideoInfo):
    """One parsed sheet row (the same field set as `VideoInfo`)."""


class VideoTask(WireModel):
    id: str
    url: str
    title: str
    output_path: str
    status: TaskStatus = TaskStatus.PENDING
    progress: float = Field(default=0.0, description="Percentage 0-100")
    file_size: Optional[int] = None
    downloaded_size: int = 0
    speed: float = 0.0
    eta: Optional[int] = None
    error_message: Optional[str] = None
    created_at: UtcDateTime = Field(default_factory=utc_now)
    updated_at: UtcDateTime = Field(default_factory=utc_now)
    downloader_type: Optional[DownloaderType] = None
    video_info: Optional[VideoInfo] = None
    # v2 additions, after the original fields so the original prefix of the JSON stays byte-identical.
    queued: bool = False
    priority: int = 0
    file_path: Optional[str] = Field(default=None, description="Final file once known (never guessed)")
    routing_reason: Optional[str] = None
    retry_count: int = 0
    max_retries: int = 0
    engine_options: dict[str, str] = Field(default_factory=dict, description="Per-task engine choices")
    error_code: Optional[ErrorCode] = Field(default=None, description="Stable code of error_message, for translation")


class CreateTaskRequest(WireModel):
    url: str
    title: str
    output_path: str
    video_info: Optional[VideoInfo] = None


class ProgressUpdate(WireModel):
    task_id: str
    downloaded_size: int
    total_size: Optional[int] = None
    speed: float = 0.0
    eta: Optional[int] = None
    progress: float = Field(default=0.0, description="Fraction 0-1, 0 when the total is unknown")


class DownloadStats(WireModel):
    total_tasks: int = 0
    completed_tasks: int = 0
    failed_tasks: int = 0
    total_downloaded: int = 0
    average_speed: float = 0.0
    active_downloads: int = 0

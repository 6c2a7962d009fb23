"""Argument models of every bridge command. Keys arrive camelCase (`taskId`) or snake_case (`task_id`)."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from ..paths import absolute_download_folder
from ._wire import WireModel
from .config import AppConfig
from .tasks import DownloaderType, VideoTask

__all__ = [
    "AddTasksArgs",
    "AddUrlsArgs",
    "Args",
    "CancelArgs",
    "ExportConfigArgs",
    "FilePathArgs",
    "ImportEnqueueArgs",
    "ImportFileArgs",
    "ImportSheetArgs",
    "LogEventArgs",
    "MigrationArgs",
    "NoArgs",
    "PathArgs",
    "PlaylistArgs",
    "PreviewArgs",
    "RateLimitArgs",
    "RemoveTaskArgs",
    "RemoveTasksArgs",
    "StageFileArgs",
    "StartAllArgs",
    "StartArgs",
    "TaskIdArgs",
    "TaskIdsArgs",
    "TaskPriorityArgs",
    "TaskRateLimitArgs",
    "UpdateConfigArgs",
    "UpdateOutputPathsArgs",
    "UrlArgs",
    "ValidateUrlArgs",
]

MAX_ID_LENGTH = 256
MAX_PATH_LENGTH = 4096
MAX_URL_LENGTH = 8192
MAX_STAGED_BYTES = 6 << 20  # below server mode's request limit once base64-encoded
MAX_TITLE_LENGTH = 2048
MAX_TASK_EXTRAS_CHARS = 64 * 1024  # a task's video_info and engine_options together, as JSON

TaskId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH)]
DownloadFolder = Annotated[str, Field(max_length=MAX_PATH_LENGTH), AfterValidator(absolute_download_folder)]
"""An absolute folder that is not a filesystem root (vdp/paths.py); anything else is a clear 400."""


class Args(WireModel):
    # Arguments: a key with a default may be left out by the caller.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore",
                              json_schema_serialization_defaults_required=False)


class NoArgs(Args):
    pass


class TaskIdArgs(Args):
    task_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)


class StartArgs(TaskIdArgs):
    # Ours, never sent by the original: also start a Failed or Cancelled task, which the original refuses
    # ("cannot be started from status"); docs/contract.md, start_download.
    restart: bool = False


class TaskIdsArgs(Args):
    task_ids: list[TaskId] = Field(max_length=1_000_000)


class RemoveTaskArgs(TaskIdArgs):
    delete_file: bool = False


class RemoveTasksArgs(TaskIdsArgs):
    delete_file: bool = False


class CancelArgs(TaskIdArgs):
    keep_file: bool = False


class AddTasksArgs(Args):
    tasks: list[VideoTask] = Field(max_length=100_000)

    @field_validator("tasks")
    @classmethod
    def _bounded(cls, tasks: list[VideoTask]) -> list[VideoTask]:
        """Sizes a task list can hold and address (a 7 MiB id could never be named again), and a download folder."""
        for task in tasks:
            for name, value, limit in (("id", task.id, MAX_ID_LENGTH), ("url", task.url, MAX_URL_LENGTH),
                                       ("title", task.title, MAX_TITLE_LENGTH),
                                       ("output_path", task.output_path, MAX_PATH_LENGTH)):
                if not value or len(value) > limit:
                    raise ValueError(f"task {name} must have 1 to {limit} characters (got {len(value)})")
            extras = len(task.video_info.model_dump_json()) if task.video_info else 0
            if extras + sum(len(k) + len(v) for k, v in task.engine_options.items()) > MAX_TASK_EXTRAS_CHARS:
                raise ValueError(f"task video_info and engine_options exceed {MAX_TASK_EXTRAS_CHARS} characters")
            task.output_path = absolute_download_folder(task.output_path)
        return tasks


class AddUrlsArgs(Args):
    """v2 paste box: URLs become tasks in the backend, with routing and unique names done there."""

    urls: list[Annotated[str, Field(max_length=MAX_URL_LENGTH)]] = Field(max_length=100_000)
    output_path: Optional[DownloadFolder] = None
    downloader_type: Optional[DownloaderType] = None
    format: Optional[str] = Field(default=None, max_length=64)


class RateLimitArgs(Args):
    """Bytes per second; null lifts the limit (a non-null value outside the bounds is refused, 0 included)."""

    bytes_per_second: Optional[int] = None


class TaskRateLimitArgs(TaskIdArgs):
    """One task's own limit in bytes per second, on top of the global one; null lifts it."""

    bytes_per_second: Optional[int] = None


class TaskPriorityArgs(TaskIdArgs):
    priority: int = Field(ge=-100, le=100)


class UpdateOutputPathsArgs(Args):
    task_ids: list[TaskId] = Field(max_length=1_000_000)
    output_path: DownloadFolder


class StartAllArgs(Args):
    """v2 start dialog: a one-run output folder override (original-features.md §2.4)."""

    output_path: Optional[DownloadFolder] = None


class FilePathArgs(Args):
    file_path: str = Field(min_length=1, max_length=MAX_PATH_LENGTH)


class ExportConfigArgs(FilePathArgs):
    overwrite: bool = Field(default=False, description="v2: replace an existing file that is not a settings export")


class PathArgs(Args):
    path: str = Field(min_length=1, max_length=MAX_PATH_LENGTH)


class ImportFileArgs(FilePathArgs):
    strict_mode: bool = False
    max_rows: Optional[int] = Field(default=None, ge=0)
    custom_field_mapping: Optional[dict[str, list[str]]] = None


class ImportSheetArgs(FilePathArgs):
    encoding: Optional[str] = None
    sheet_name: Optional[str] = None
    field_mapping: Optional[dict[str, str]] = None


class ImportEnqueueArgs(ImportSheetArgs):
    output_dir: Optional[DownloadFolder] = None
    layout: Optional[Literal["flat", "by_column", "by_course"]] = Field(
        default=None, description="v2: flat (all in outputDir), by_column (<专栏名称>/) or by_course "
                                   "(<专栏名称>/<NN 课程名称>.<ext>, what our UI sends); see importers/_tasks.py")
    start: bool = Field(default=False, description="v2: start all downloads afterwards (start_all_downloads)")


class MigrationArgs(Args):
    """v2 `run_migration`: the original app's storage folder (or its config.json / download_state.json);
    left out, the one `get_migration_offer` found."""

    path: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)


class PreviewArgs(FilePathArgs):
    max_rows: Optional[int] = Field(default=None, ge=0)


class UrlArgs(Args):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)


class ValidateUrlArgs(Args):
    url: str = Field(max_length=MAX_URL_LENGTH)  # "" is a URL the original answers `false` for


class PlaylistArgs(Args):
    playlist_url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    max_videos: Optional[int] = Field(default=None, ge=0, le=10_000)  # 0 or null: the whole playlist
    enqueue: bool = False
    output_path: Optional[DownloadFolder] = None


class UpdateConfigArgs(Args):
    new_config: AppConfig


class StageFileArgs(Args):
    """A file dropped or picked in the page: its name and bytes (base64), staged where the importers can read it."""

    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(max_length=MAX_STAGED_BYTES * 4 // 3 + 8)


class LogEventArgs(Args):
    level: Optional[str] = Field(default="info", max_length=16)
    message: str = Field(max_length=1_000_000)

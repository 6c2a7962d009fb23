"""Argument models of every bridge command. Keys arrive camelCase (`taskId`) or snake_case (`task_id`)."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel

from ._wire import WireModel
from .config import AppConfig
from .tasks import DownloaderType, VideoTask

__all__ = [
    "AddTasksArgs",
    "AddUrlsArgs",
    "Args",
    "CancelArgs",
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
    "TaskIdArgs",
    "TaskIdsArgs",
    "TaskPriorityArgs",
    "UpdateConfigArgs",
    "UpdateOutputPathsArgs",
    "UrlArgs",
]

MAX_ID_LENGTH = 256
MAX_PATH_LENGTH = 4096
MAX_URL_LENGTH = 8192
MAX_STAGED_BYTES = 6 << 20  # below server mode's request limit once base64-encoded


class Args(WireModel):
    # Arguments: a key with a default may be left out by the caller.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore",
                              json_schema_serialization_defaults_required=False)


class NoArgs(Args):
    pass


class TaskIdArgs(Args):
    task_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)


class TaskIdsArgs(Args):
    task_ids: list[str] = Field(max_length=1_000_000)


class RemoveTaskArgs(TaskIdArgs):
    delete_file: bool = False


class RemoveTasksArgs(TaskIdsArgs):
    delete_file: bool = False


class CancelArgs(TaskIdArgs):
    keep_file: bool = False


class AddTasksArgs(Args):
    tasks: list[VideoTask]


class AddUrlsArgs(Args):
    """v2 paste box: URLs become tasks in the backend, with routing and unique names done there."""

    urls: list[str] = Field(max_length=100_000)
    output_path: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)
    downloader_type: Optional[DownloaderType] = None
    format: Optional[str] = Field(default=None, max_length=64)


class RateLimitArgs(Args):
    bytes_per_second: Optional[int] = None


class TaskPriorityArgs(TaskIdArgs):
    priority: int = Field(ge=-100, le=100)


class UpdateOutputPathsArgs(Args):
    task_ids: list[str]
    output_path: str = Field(min_length=1, max_length=MAX_PATH_LENGTH)


class StartAllArgs(Args):
    """v2 start dialog: a one-run output folder override (original-features.md §2.4)."""

    output_path: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)


class FilePathArgs(Args):
    file_path: str = Field(min_length=1, max_length=MAX_PATH_LENGTH)


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
    output_dir: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)
    layout: Optional[Literal["flat", "by_column", "by_course"]] = Field(
        default=None, description="v2: one folder (flat, the default), sub-folders by column name, or by column and course")
    start: bool = Field(default=False, description="v2: start all downloads afterwards (start_all_downloads)")


class MigrationArgs(Args):
    """v2 `run_migration`: the original app's storage folder (or its config.json / download_state.json);
    left out, the one `get_migration_offer` found."""

    path: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)


class PreviewArgs(FilePathArgs):
    max_rows: Optional[int] = Field(default=None, ge=0)


class UrlArgs(Args):
    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)


class PlaylistArgs(Args):
    playlist_url: str = Field(min_length=1, max_length=MAX_URL_LENGTH)
    max_videos: Optional[int] = Field(default=None, ge=1, le=10_000)
    enqueue: bool = False
    output_path: Optional[str] = Field(default=None, max_length=MAX_PATH_LENGTH)


class UpdateConfigArgs(Args):
    new_config: AppConfig


class StageFileArgs(Args):
    """A file dropped or picked in the page: its name and bytes (base64), staged where the importers can read it."""

    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(max_length=MAX_STAGED_BYTES * 4 // 3 + 8)


class LogEventArgs(Args):
    level: Optional[str] = Field(default="info", max_length=16)
    message: str = Field(max_length=1_000_000)

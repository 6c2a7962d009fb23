"""One-time import of the original app's storage: its `config.json` (docs/contract.md, "Configuration commands")
and, when present, its `download_state.json` task list.

    find_original_storage()            -> Path | None   (the folder, at the original's platform location)
    read_storage(path, current_config) -> LegacyStorage (settings merged onto ours, tasks read leniently)
    already_migrated(data_root, folder) / remember_migration(data_root, folder, report)

Reading is lenient: a setting we do not know, or whose value our model refuses, keeps our value and is noted;
a task entry that cannot be read is counted and skipped. Tasks the original finished (Completed, Cancelled)
are counted, not imported, so nothing is downloaded twice.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..contract import (
    AdvancedConfig,
    AppConfig,
    DownloadConfig,
    DownloaderType,
    SystemConfig,
    UiConfig,
    VideoInfo,
    VideoTask,
    YoutubeConfig,
    format_utc,
    utc_now,
)
from ..engines.naming import filename_from_url
from ..intake import new_task_id
from ..paths import with_absolute_download_folder

CONFIG_FILE = "config.json"
STATE_FILE = "download_state.json"
MARKER_FILE = "legacy-migration.json"
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Far above any real settings or task list; a bigger file is refused rather than loaded."""

_SECTIONS: dict[str, type[BaseModel]] = {
    "download": DownloadConfig, "ui": UiConfig, "system": SystemConfig, "youtube": YoutubeConfig,
    "advanced": AdvancedConfig,
}
_FINISHED = {"completed", "cancelled", "canceled"}
# The original's own type is informational; only an engine our URL rules cannot see is kept.
_KEPT_ENGINES = {DownloaderType.M3U8, DownloaderType.YOUTUBE}


class LegacyStorageError(Exception):
    """The original's storage is missing or unusable as a whole; the text says which file and why."""


@dataclass(frozen=True, slots=True)
class LegacyTask:
    url: str
    title: Optional[str]
    output_path: Optional[str]
    downloader_type: Optional[DownloaderType]
    video_info: Optional[VideoInfo]
    created_at: Optional[datetime]

    def to_task(self, fallback_output: str) -> VideoTask:
        task = VideoTask(
            id=new_task_id(), url=self.url, title=self.title or filename_from_url(self.url) or self.url,
            output_path=self.output_path or fallback_output, downloader_type=self.downloader_type,
            video_info=self.video_info,
        )
        if self.downloader_type is not None:
            task.routing_reason = "kept from the original app"
        if self.created_at is not None:
            task.created_at = self.created_at
        return task


@dataclass(slots=True)
class LegacyStorage:
    folder: Path
    config: Optional[AppConfig] = None
    """Our config with the original's settings applied; None without a usable config.json."""
    notes: list[str] = field(default_factory=list)
    tasks: list[LegacyTask] = field(default_factory=list)
    finished: int = 0
    unreadable: int = 0


def original_folders() -> list[Path]:
    """Where the original keeps its files: `directories::ProjectDirs::from("com","videodownloader","pro")`
    for config.json, and Tauri's app data folder (`com.videodownloader.pro`) of later versions."""
    home = Path.home()
    if sys.platform == "win32":
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return [appdata / "videodownloader" / "pro" / "config", appdata / "com.videodownloader.pro"]
    if sys.platform == "darwin":
        return [home / "Library" / "Application Support" / "com.videodownloader.pro"]
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [config / "pro", data / "com.videodownloader.pro", config / "com.videodownloader.pro"]


def find_original_storage() -> Optional[Path]:
    for folder in original_folders():
        if (folder / CONFIG_FILE).is_file() or (folder / STATE_FILE).is_file():
            return folder
    return None


def read_storage(path: Path, current: AppConfig) -> LegacyStorage:
    """`path` is the folder, or its config.json or download_state.json."""
    folder = path if path.is_dir() else path.parent
    storage = LegacyStorage(folder=folder)
    config_raw = _read_json(folder / CONFIG_FILE, storage.notes)
    state_raw = _read_json(folder / STATE_FILE, storage.notes)
    if config_raw is _ABSENT and state_raw is _ABSENT:
        raise LegacyStorageError(f"neither {CONFIG_FILE} nor {STATE_FILE} found in {folder}")
    if config_raw is not _ABSENT and config_raw is not _UNREADABLE:
        storage.config = merge_config(current, config_raw, storage.notes)
    if state_raw is not _ABSENT and state_raw is not _UNREADABLE:
        _read_tasks(state_raw, storage)
    return storage


_ABSENT, _UNREADABLE = object(), object()


def _read_json(path: Path, notes: list[str]) -> Any:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return _ABSENT
    except OSError as exc:
        notes.append(f"{path.name}: cannot be read ({exc.strerror})")
        return _UNREADABLE
    if size > MAX_FILE_BYTES:
        notes.append(f"{path.name}: {size} bytes is too large to be a settings or task file; not read")
        return _UNREADABLE
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        notes.append(f"{path.name}: not valid JSON ({exc}); not read")
        return _UNREADABLE


def merge_config(current: AppConfig, raw: Any, notes: list[str]) -> AppConfig:
    """The original's settings over ours, key by key; what our model refuses keeps our value and is noted."""
    if not isinstance(raw, dict):
        notes.append(f"{CONFIG_FILE}: not a settings object; settings kept")
        return current
    merged = current.model_dump()
    for section, value in raw.items():
        model = _SECTIONS.get(section)
        if model is None:
            notes.append(f"{section}: unknown setting, ignored")
        elif isinstance(value, dict):
            merged[section] = _merge_section(section, model, merged[section] or model().model_dump(), value, notes)
        elif value is not None:  # the original writes null for a section it never filled: ours stays
            notes.append(f"{section}: not a settings object, ignored")
    return AppConfig.model_validate(with_absolute_download_folder(merged, "The original app's download folder"))


def _merge_section(section: str, model: type[BaseModel], base: dict[str, Any], incoming: dict[str, Any],
                   notes: list[str]) -> dict[str, Any]:
    accepted = dict(base)
    pending: list[tuple[str, Any]] = []
    for key, value in incoming.items():
        if key in model.model_fields:
            pending.append((key, value))
        else:
            notes.append(f"{section}.{key}: unknown setting, ignored")
    # Two rounds: a key that needs another one first (enable_proxy needs proxy_host) gets a second chance.
    for _ in range(2):
        refused: list[tuple[str, Any, str]] = []
        for key, value in pending:
            try:
                checked = model.model_validate({**accepted, key: value})
            except ValidationError as exc:
                refused.append((key, value, exc.errors()[0]["msg"]))
                continue
            accepted[key] = checked.model_dump()[key]
        pending = [(key, value) for key, value, _ in refused]
    for key, value, why in refused:
        notes.append(f"{section}.{key}: {value!r} not accepted ({why}); kept {accepted[key]!r}")
    return accepted


def _read_tasks(raw: Any, storage: LegacyStorage) -> None:
    entries = raw.get("tasks") if isinstance(raw, dict) else raw
    if isinstance(entries, dict):
        entries = list(entries.values())  # keyed by id
    if not isinstance(entries, list):
        storage.notes.append(f"{STATE_FILE}: no task list found; not read")
        return
    for entry in entries:
        task = _legacy_task(entry)
        if task is None:
            storage.unreadable += 1
        elif isinstance(entry.get("status"), str) and entry["status"].strip().lower() in _FINISHED:
            storage.finished += 1
        else:
            storage.tasks.append(task)
    if storage.unreadable:
        storage.notes.append(f"{STATE_FILE}: {storage.unreadable} task entries could not be read and were skipped")


def _legacy_task(entry: Any) -> Optional[LegacyTask]:
    if not isinstance(entry, dict):
        return None
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        return None
    return LegacyTask(
        url=url.strip(), title=_text(entry.get("title")),
        output_path=_text(entry.get("output_path") or entry.get("outputPath")),
        downloader_type=_engine(entry.get("downloader_type") or entry.get("downloaderType")),
        video_info=_video_info(entry.get("video_info") or entry.get("videoInfo")),
        created_at=_time(entry.get("created_at") or entry.get("createdAt")),
    )


def _text(value: Any) -> Optional[str]:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _engine(value: Any) -> Optional[DownloaderType]:
    try:
        engine = DownloaderType(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return engine if engine in _KEPT_ENGINES else None


def _video_info(value: Any) -> Optional[VideoInfo]:
    if not isinstance(value, dict):
        return None
    try:
        return VideoInfo.model_validate({k: v for k, v in value.items() if isinstance(v, str)})
    except ValidationError:
        return None


_DATETIME = TypeAdapter(datetime)


def _time(value: Any) -> Optional[datetime]:
    """RFC 3339 as chrono writes it (up to nanoseconds, `Z`); anything else is left out."""
    if not isinstance(value, str):
        return None
    try:
        return _DATETIME.validate_python(value)
    except ValidationError:
        return None


# -- the marker: offered once ------------------------------------------------------------------------


def already_migrated(data_root: Path, folder: Path) -> bool:
    try:
        marker = json.loads((data_root / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("source") == str(folder)


def remember_migration(data_root: Path, folder: Path, report: BaseModel) -> None:
    marker = {"source": str(folder), "migrated_at": format_utc(utc_now()), "report": report.model_dump(mode="json")}
    tmp = data_root / f".{MARKER_FILE}.tmp"
    tmp.write_text(json.dumps(marker, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, data_root / MARKER_FILE)

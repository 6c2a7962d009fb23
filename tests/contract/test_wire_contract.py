"""The wire contract: the original's JSON byte for byte, its spellings accepted, every command present."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from vdp.bridge.registry import ORIGINAL_COMMANDS, V2_COMMANDS, command_table
from vdp.contract import (
    AppConfig,
    DownloaderType,
    DownloadProgressEvent,
    ProgressUpdate,
    TaskStatus,
    TaskStatusChangedEvent,
    VideoTask,
)

ORIGINAL_TASK = ('{"id":"task_1","url":"https://h/v.mp4","title":"v","output_path":"downloads","status":"Pending",'
                 '"progress":0.0,"file_size":null,"downloaded_size":0,"speed":0.0,"eta":null,"error_message":null,'
                 '"created_at":"2025-12-04T07:00:00Z","updated_at":"2025-12-04T07:00:00Z","downloader_type":null,'
                 '"video_info":null}')


def test_the_original_task_example_serialises_identically() -> None:
    task = VideoTask.model_validate_json(ORIGINAL_TASK)
    wire = task.model_dump_json()
    # v2 fields follow the original ones, so the original JSON is an exact prefix.
    assert wire.startswith(ORIGINAL_TASK[:-1] + ",")
    assert json.loads(wire)["queued"] is False


def test_frontend_spellings_are_accepted_and_pascal_case_is_sent() -> None:
    task = VideoTask(id="a", url="https://h/x", title="x", output_path="d", status="downloading",
                     downloader_type="m3u8")
    assert (task.status, task.downloader_type) == (TaskStatus.DOWNLOADING, DownloaderType.M3U8)
    assert '"status":"Downloading"' in task.model_dump_json() and '"downloader_type":"M3u8"' in task.model_dump_json()
    assert DownloaderType("YtDlp") is DownloaderType.YOUTUBE
    with pytest.raises(ValueError):
        TaskStatus("Running")


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "2026-01-02T03:04:05Z"),
    (datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=timezone.utc), "2026-01-02T03:04:05.123Z"),
    (datetime(2026, 1, 2, 3, 4, 5), "2026-01-02T03:04:05Z"),
])
def test_datetimes_are_rfc3339_with_z(moment: datetime, text: str) -> None:
    task = VideoTask(id="a", url="u", title="t", output_path="o", created_at=moment, updated_at=moment)
    assert json.loads(task.model_dump_json())["created_at"] == text


def test_nulls_are_sent_not_omitted() -> None:
    update = ProgressUpdate(task_id="t", downloaded_size=1)
    assert update.model_dump_json() == (
        '{"task_id":"t","downloaded_size":1,"total_size":null,"speed":0.0,"eta":null,"progress":0.0}'
    )


def test_status_event_carries_the_plan_and_the_legacy_fields() -> None:
    event = TaskStatusChangedEvent(task_id="t", from_=TaskStatus.PAUSED, to=TaskStatus.SCHEDULED,
                                   status=TaskStatus.SCHEDULED)
    assert json.loads(event.model_dump_json()) == {"task_id": "t", "from": "Paused", "to": "Scheduled", "error": None,
                                                     "status": "Scheduled", "error_message": None, "error_code": None}
    progress = DownloadProgressEvent(task_id="t", downloaded=5, downloaded_size=5, total=10, total_size=10)
    fields = set(json.loads(progress.model_dump_json()))
    assert fields >= {"instantaneous_speed", "smoothed_speed", "eta_secs", "progress"}


def test_config_has_the_runtime_flag_and_accepts_a_partial_file() -> None:
    config = AppConfig.model_validate({"download": {"concurrent_downloads": 5}})
    assert config.advanced.download_runtime_v2 is True and config.download.concurrent_downloads == 5
    assert config.download.timeout_seconds == 30


def test_every_command_of_the_original_and_of_v2_is_in_the_table() -> None:
    table = command_table()
    assert len(ORIGINAL_COMMANDS) == 43
    assert set(table) == set(ORIGINAL_COMMANDS) | set(V2_COMMANDS)
    assert [name for name, spec in table.items() if spec.handler is None] == [], "every command has a handler"

"""The one-time migration from the original app: its config.json and download_state.json, offered once,
never overwriting what we have, and idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from vdp.errors import VdpError

ORIGINAL_CONFIG = {
    "download": {"concurrent_downloads": 5, "retry_attempts": 99, "timeout_seconds": 60,
                 "user_agent": "OriginalUA/1.0", "proxy": None, "headers": {}, "output_directory": "/videos",
                 "auto_verify_integrity": True, "integrity_algorithm": "sha256", "expected_hashes": {}},
    "ui": {"theme": "purple", "language": "en", "window_width": 1300, "window_height": 900, "window_x": None,
           "window_y": None, "show_completed_tasks": False, "auto_start_downloads": False, "show_notifications": True,
           "notification_sound": False, "minimize_to_tray": False, "start_minimized": False},
    "system": None,
    "youtube": None,
    "advanced": {"enable_logging": True, "log_level": "debug", "max_log_files": 10, "cleanup_on_exit": True,
                 "enable_proxy": True, "proxy_type": "socks5", "proxy_host": "127.0.0.1", "proxy_port": 1080,
                 "custom_user_agents": {}, "rate_limit_mbps": None, "enable_statistics": True,
                 "statistics_retention_days": 30, "telemetry": True},
    "plugins": [],
}


def _task(url: str, status: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {"id": f"t-{url[-5:]}", "url": url, "title": f"title {url[-5:]}", "output_path": "/videos/course",
            "status": status, "progress": 0.0, "downloaded_size": 0, "speed": 0.0,
            "created_at": "2025-12-04T07:12:17.123456789Z", "updated_at": "2025-12-04T07:12:17Z", **extra}


ORIGINAL_TASKS = {"tasks": [
    _task("https://e.com/a1.mp4", "Pending", video_info={"zl_id": "1", "kc_name": "第一课", "zl_name": None}),
    _task("https://e.com/a2.mp4", "paused", downloader_type="Http"),
    _task("https://e.com/a3.m3u8", "Failed", downloader_type="M3u8"),
    _task("https://e.com/a4.mp4", "Completed"),
    _task("https://e.com/a5.mp4", "committing", downloader_type="YtDlp"),
    _task("https://e.com/known.mp4", "Pending"),
    {"title": "no url"},
    "not a task",
    _task("ftp://e.com/a6.mp4", "Pending"),
]}


@pytest.fixture
def original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The original's storage where it keeps it on Linux: `$XDG_CONFIG_HOME/pro`."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    folder = tmp_path / "xdg" / "pro"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(ORIGINAL_CONFIG), encoding="utf-8")
    (folder / "download_state.json").write_text(json.dumps(ORIGINAL_TASKS), encoding="utf-8")
    return folder


async def test_offer_then_migrate_settings_and_tasks_once(kit: AppKit, original: Path) -> None:
    await kit.call("add_urls", urls=["https://e.com/known.mp4"], outputPath=str(kit.out))

    offer = await kit.call("get_migration_offer")
    assert offer == {"found": True, "path": str(original), "tasks": 5, "config": True}

    report = await kit.call("run_migration")

    assert report == {
        "path": str(original), "config_migrated": True, "tasks_found": 9, "tasks_added": 4,
        "tasks_already_known": 1, "tasks_finished": 1, "tasks_unreadable": 3, "notes": [
            # ours (the kit sets 2)
            "download.retry_attempts: 99 not accepted (Input should be less than or equal to 10); kept 2",
            "ui.theme: 'purple' not accepted (Input should be 'light', 'dark' or 'system'); kept 'system'",
            "advanced.telemetry: unknown setting, ignored",
            "plugins: unknown setting, ignored",
            "download_state.json: 3 task entries could not be read and were skipped",
        ]}
    config = await kit.call("get_config")
    download, ui, advanced = config["download"], config["ui"], config["advanced"]
    assert (download["concurrent_downloads"], download["timeout_seconds"], download["user_agent"],
            download["output_directory"]) == (5, 60, "OriginalUA/1.0", "/videos")
    assert config["download"]["retry_attempts"] == 2 and config["ui"]["theme"] == "system"
    assert (ui["language"], ui["window_width"], ui["show_completed_tasks"]) == ("en", 1300, False)
    assert (advanced["enable_proxy"], advanced["proxy_type"], advanced["proxy_port"]) == (True, "socks5", 1080)
    assert config["system"] is not None and config["system"]["log_level"] == "info"  # null section: ours kept
    assert kit.app.settings.config.download.concurrent_downloads == 5  # saved and applied, not only returned

    tasks = {t["url"]: t for t in await kit.call("get_download_tasks")}
    assert set(tasks) == {"https://e.com/known.mp4", "https://e.com/a1.mp4", "https://e.com/a2.mp4",
                          "https://e.com/a3.m3u8", "https://e.com/a5.mp4"}
    assert tasks["https://e.com/known.mp4"]["output_path"] == str(kit.out)  # ours, untouched
    a1 = tasks["https://e.com/a1.mp4"]
    assert (a1["title"], a1["output_path"], a1["status"], a1["created_at"]) == (
        "title 1.mp4", "/videos/course", "Pending", "2025-12-04T07:12:17.123Z")
    info = a1["video_info"]
    assert (info["zl_id"], info["kc_name"], info["zl_name"]) == ("1", "第一课", None)
    others = ("https://e.com/a2.mp4", "https://e.com/a3.m3u8", "https://e.com/a5.mp4")
    assert [tasks[u]["downloader_type"] for u in others] == ["Http", "M3u8", "Youtube"]

    assert await kit.call("get_migration_offer") == {"found": False, "path": None, "tasks": 0, "config": False}
    again = await kit.call("run_migration", path=str(original / "config.json"))
    assert (again["tasks_added"], again["tasks_already_known"]) == (0, 5)
    assert len(await kit.call("get_download_tasks")) == 5


async def test_nothing_to_offer_and_a_clear_error_without_the_originals_files(
        kit: AppKit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))

    assert (await kit.call("get_migration_offer"))["found"] is False
    with pytest.raises(VdpError) as failure:
        await kit.call("run_migration", path=str(tmp_path))
    assert failure.value.message == (
        f"Migration error: neither config.json nor download_state.json found in {tmp_path}")


async def test_a_broken_config_still_migrates_the_tasks(kit: AppKit, original: Path) -> None:
    (original / "config.json").write_text("{not json", encoding="utf-8")
    (original / "download_state.json").write_text(json.dumps([_task("https://e.com/b1.mp4", "Downloading")]))

    report = await kit.call("run_migration", path=str(original))

    assert (report["config_migrated"], report["tasks_added"]) == (False, 1)
    assert report["notes"][0].startswith("config.json: not valid JSON")
    assert kit.app.settings.config.download.concurrent_downloads == 3

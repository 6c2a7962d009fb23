"""Download folders are absolute (docs/security.md): the default under the user's Downloads folder, never the
working directory; relative, empty, root and NUL folders refused; folders stored relative by older versions
resolved once against the home folder and stored absolute."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.appkit import AppKit, running_app
from vdp.contract import VideoTask
from vdp.errors import VdpError
from vdp.storage.repository import TaskRepository

BAD_FOLDERS = ["", "   ", "/", "downloads", "./videos", "a\x00b", "/tmp/a\x00b"]


async def test_the_default_folder_is_under_the_users_downloads(kit: AppKit) -> None:
    folder = kit.app.config.download.output_directory
    assert folder == os.path.join(os.environ["XDG_DOWNLOAD_DIR"], "Video Downloader Pro")
    assert json.loads(kit.app.paths.config.read_text())["download"]["output_directory"] == folder


@pytest.mark.parametrize("folder", BAD_FOLDERS)
async def test_bad_folders_are_refused_by_update_config(kit: AppKit, folder: str) -> None:
    before = kit.app.config.download.output_directory
    config = kit.app.config.model_dump(mode="json")
    config["download"]["output_directory"] = folder
    with pytest.raises(VdpError, match="download folder") as refused:
        await kit.call("update_config", newConfig=config)
    assert refused.value.code.value in ("invalid_argument", "invalid_config")
    assert kit.app.config.download.output_directory == before


@pytest.mark.parametrize("command, args", [
    ("add_urls", {"urls": ["http://127.0.0.1:9/a.mp4"], "outputPath": "{folder}"}),
    ("start_all_downloads", {"outputPath": "{folder}"}),
    ("update_task_output_paths", {"taskIds": ["t1"], "outputPath": "{folder}"}),
    ("import_and_reconcile", {"filePath": "/nonexistent.csv", "outputDir": "{folder}"}),
    ("add_download_tasks", {"tasks": [{"id": "t1", "url": "http://127.0.0.1:9/a.mp4", "title": "a",
                                       "output_path": "{folder}"}]}),
])
@pytest.mark.parametrize("folder", ["relative/dir", "/", "\x00"])
async def test_every_output_argument_refuses_bad_folders(kit: AppKit, command: str, args: dict, folder: str) -> None:
    filled = json.loads(json.dumps(args).replace("{folder}", json.dumps(folder)[1:-1]))
    with pytest.raises(VdpError, match="Invalid arguments") as refused:
        await kit.call(command, **filled)
    assert refused.value.code.value == "invalid_argument"
    assert kit.app.runtime.tasks() == []


async def test_check_download_folder_says_what_is_wrong(kit: AppKit, tmp_path: Path) -> None:
    ok = await kit.call("check_download_folder", path=str(tmp_path / "new" / "deeper"))
    assert ok == {"path": str(tmp_path / "new" / "deeper"), "usable": True, "exists": False, "writable": True,
                  "problem": None}
    assert (await kit.call("check_download_folder", path=str(tmp_path)))["exists"] is True
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    under_file = await kit.call("check_download_folder", path=str(a_file / "sub"))
    assert under_file["usable"] is False and "not writable" in under_file["problem"]
    assert "is a file" in (await kit.call("check_download_folder", path=str(a_file)))["problem"]
    relative = await kit.call("check_download_folder", path="videos")
    assert relative["usable"] is False and "absolute" in relative["problem"]
    assert (await kit.call("check_download_folder", path="~/x"))["path"] == str(Path.home() / "x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder, so permissions cannot be tested")
async def test_a_read_only_folder_is_not_usable(kit: AppKit, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = await kit.call("check_download_folder", path=str(locked / "sub"))
    assert result["usable"] is False and result["writable"] is False


async def test_relative_folders_of_an_older_version_become_absolute_once(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.json").write_text(json.dumps({"download": {"output_directory": "downloads"}}))
    repo = await TaskRepository.open(data / "tasks.sqlite")
    old = VideoTask.model_construct(**{**VideoTask(id="t-old", url="http://127.0.0.1:9/a.mp4", title="a",
                                                   output_path="/x").__dict__, "output_path": "downloads/course"})
    await repo.insert_tasks([(1, old)], "written by an older version")
    await repo.close()
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    async with running_app(data) as kit:
        assert kit.app.config.download.output_directory == str(home / "downloads")
        assert kit.task("t-old").output_path == str(home / "downloads" / "course")
    assert "relative to an unknown working directory" in caplog.text
    assert json.loads((data / "config.json").read_text())["download"]["output_directory"] == str(home / "downloads")
    repo = await TaskRepository.open(data / "tasks.sqlite")
    try:
        (stored,) = await repo.load_tasks()
        assert stored.output_path == str(home / "downloads" / "course"), "stored absolute, not resolved each start"
    finally:
        await repo.close()
    caplog.clear()
    async with running_app(data):
        pass
    assert "relative to an unknown working directory" not in caplog.text


async def test_an_imported_config_with_a_relative_folder_is_made_absolute(kit: AppKit, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    exported = tmp_path / "old-export.json"
    exported.write_text(json.dumps({"download": {"output_directory": "Videos"}}))
    config = await kit.call("import_config", filePath=str(exported))
    assert config["download"]["output_directory"] == str(tmp_path / "Videos")

"""System commands with real behaviour: real figures, real folders opened by the platform's opener."""

from __future__ import annotations

import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from vdp.bridge.handlers import system
from vdp.errors import ErrorCode, VdpError

# Which paths may be opened or shown at all (only downloads and download folders): tests/reliability/test_owned_paths.py


async def test_a_download_deleted_since_gives_the_original_error(kit: AppKit, server: FaultServer,
                                                                 opened: Path) -> None:
    server.add_file("/gone.mp4", b"x" * 10)
    task = await kit.download(server.url("/gone.mp4"))
    Path(task.file_path or "").unlink()
    for command, key in (("show_in_folder", "filePath"), ("reveal_path_in_folder", "path"), ("open_path", "path")):
        with pytest.raises(VdpError, match="System error: File does not exist"):
            await kit.call(command, **{key: task.file_path})
    assert not opened.exists()


def _opener_script(folder: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opener = folder / "opener.sh"
    opener.write_text("#!/bin/sh\n" + body)
    opener.chmod(opener.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VDP_OPENER", str(opener))


async def test_the_folder_has_been_opened_when_the_command_answers(kit: AppKit, opened: Path) -> None:
    assert await kit.call("open_download_folder") is None
    assert opened.read_text().splitlines() == [kit.app.config.download.output_directory]


@pytest.mark.skipif(sys.platform != "linux", reason="the original names xdg-open on Linux only")
async def test_a_failing_opener_gives_the_originals_error(kit: AppKit, server: FaultServer, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    server.add_file("/shown.mp4", b"x" * 10)
    task = await kit.download(server.url("/shown.mp4"))
    _opener_script(tmp_path, "echo \"xdg-open: no method available for opening '$1'\" >&2\nexit 4\n", monkeypatch)
    folder = kit.app.config.download.output_directory
    for command, args, opened_path in (("open_download_folder", {}, folder),
                                       ("show_in_folder", {"filePath": task.file_path}, task.output_path)):
        with pytest.raises(VdpError) as failed:
            await kit.call(command, **args)
        # The original's words, its stderr kept as it was (newline included): docs/contract.md, open_download_folder.
        assert str(failed.value) == ("System error: xdg-open command failed: "
                                     f"xdg-open: no method available for opening '{opened_path}'\n")
        assert failed.value.code == ErrorCode.SYSTEM_ERROR


def test_explorers_exit_status_is_no_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Explorer exits with 1 when it has opened the folder too: on Windows only a failure to start it is one. (A
    stand-in named `explorer` on the PATH, with `sys.platform` saying Windows.)"""
    stand_in = tmp_path / "explorer"
    stand_in.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path / "opened"}"\nexit 1\n')
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("VDP_OPENER", raising=False)
    monkeypatch.setattr(system.sys, "platform", "win32")
    system._run_opener(system._opener() + [str(tmp_path)], tmp_path, "Explorer command failed")
    assert (tmp_path / "opened").read_text().strip() == str(tmp_path)
    monkeypatch.setattr(system.sys, "platform", "linux")
    with pytest.raises(VdpError, match="xdg-open command failed"):  # elsewhere an exit status of 1 is a failure
        system._run_opener([str(stand_in), str(tmp_path)], tmp_path, "xdg-open command failed")


async def test_an_opener_that_stays_running_has_opened(kit: AppKit, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "opener.pid"
    # A file manager started in the opener's place: still running when the wait ends (it fails only when killed).
    _opener_script(tmp_path, f'echo $$ > "{pid_file}"\necho "not yet" >&2\nexec sleep 60\n', monkeypatch)
    monkeypatch.setattr(system, "OPENER_WAIT", 0.2)
    try:
        assert await kit.call("open_download_folder") is None
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGTERM)


async def test_system_info_reports_real_figures(kit: AppKit) -> None:
    info = await kit.call("get_system_info")
    assert 0 < info["memory_usage"] < 100 and 0 < info["disk_usage"] < 100
    assert set(info["network_speed"]) == {"download", "upload"}


async def test_frontend_events_are_logged_one_line_each(kit: AppKit) -> None:
    await kit.call("log_frontend_event", level="error", message="line one\nline two" + "x" * 5000)
    (line,) = (kit.app.paths.logs / "frontend.log").read_text().splitlines()
    assert "[error] line one line two" in line and line.endswith("...")
    assert os.path.getsize(kit.app.paths.logs / "frontend.log") < 4200


async def test_a_dropped_file_is_staged_inside_the_data_dir(kit: AppKit) -> None:
    import base64

    content = "专栏ID,视频链接\n1,https://example.test/a.mp4\n".encode("gbk")
    path = Path(await kit.call("stage_import_file", name="../../evil/课程.csv",
                               contentBase64=base64.b64encode(content).decode()))
    assert path.parent == kit.app.paths.root / "imports" and path.name.endswith("课程.csv")
    assert path.read_bytes() == content
    preview = await kit.call("preview_import_data", filePath=str(path))
    assert preview["headers"] == ["专栏ID", "视频链接"] and preview["encoding"] in ("GBK", "GB18030", "gb18030")
    with pytest.raises(VdpError, match="not base64"):
        await kit.call("stage_import_file", name="x.csv", contentBase64="***")
    too_big = base64.b64encode(b"x" * ((6 << 20) + 1)).decode()
    with pytest.raises(VdpError):
        await kit.call("stage_import_file", name="x.csv", contentBase64=too_big)


class _UserAtTheFolderDialog:
    """The desktop shell's Dialogs, answered the way a user answers the native dialog: `choice` (None: cancelled)."""

    def __init__(self, choice: str | None) -> None:
        self.choice = choice
        self.started_at: list[str | None] = []

    def choose_folder(self, start: str | None) -> str | None:
        self.started_at.append(start)
        return self.choice

    def choose_file(self, patterns: list[str]) -> str | None:
        return None


async def test_browse_for_a_folder_keeps_the_users_folder_when_the_dialog_is_cancelled(kit: AppKit,
                                                                                    tmp_path: Path) -> None:
    mine = tmp_path / "my courses"
    mine.mkdir()
    await kit.configure(output_directory=str(mine))
    cancelled = _UserAtTheFolderDialog(None)
    kit.app.dialogs = cancelled
    assert await kit.call("select_output_directory") == str(mine)
    assert cancelled.started_at == [str(mine)], "the dialog opens at the user's folder"
    chosen = tmp_path / "elsewhere"
    kit.app.dialogs = _UserAtTheFolderDialog(str(chosen))
    assert await kit.call("select_output_directory") == str(chosen)

"""System commands with real behaviour: real figures, real folders opened by the platform's opener."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from vdp.bridge.invoke import InvokeError


@pytest.fixture
def opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """VDP_OPENER points at a script that records what it was asked to open."""
    record = tmp_path / "opened.txt"
    opener = tmp_path / "opener.sh"
    opener.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{record}"\n')
    opener.chmod(opener.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VDP_OPENER", str(opener))
    return record


async def _recorded(record: Path, lines: int) -> list[str]:
    for _ in range(200):  # the opener runs detached; its only trace is the file it writes
        if record.exists() and len(record.read_text().splitlines()) >= lines:
            return record.read_text().splitlines()
        await asyncio.sleep(0.02)
    raise AssertionError("the opener was not run")


async def test_folders_and_files_are_handed_to_the_opener(kit: AppKit, opened: Path, tmp_path: Path) -> None:
    video = tmp_path / "lesson 1.mp4"
    video.write_bytes(b"x")
    await kit.call("show_in_folder", filePath=str(video))
    await kit.call("reveal_path_in_folder", path=str(video))
    await kit.call("open_path", path=str(video))
    # Three detached openers may finish in any order.
    assert sorted(await _recorded(opened, 3)) == sorted([str(tmp_path), str(tmp_path), str(video)])


async def test_missing_paths_give_the_original_error(kit: AppKit, opened: Path, tmp_path: Path) -> None:
    for command, key in (("show_in_folder", "filePath"), ("reveal_path_in_folder", "path"), ("open_path", "path")):
        with pytest.raises(InvokeError, match="System error: File does not exist"):
            await kit.call(command, **{key: str(tmp_path / "gone.mp4")})
    assert not opened.exists()


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
    with pytest.raises(InvokeError, match="not base64"):
        await kit.call("stage_import_file", name="x.csv", contentBase64="***")
    too_big = base64.b64encode(b"x" * ((6 << 20) + 1)).decode()
    with pytest.raises(InvokeError):
        await kit.call("stage_import_file", name="x.csv", contentBase64=too_big)

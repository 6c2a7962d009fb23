"""One running app per data folder: a second start on a folder in use (another window, `vdp get`, `vdp list`) is
refused, naming the process that holds it, and changes nothing; the lock goes with the process, however it ends."""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.appkit import running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.app import Application
from vdp.contract import ErrorCode, TaskStatus
from vdp.paths import AppPaths
from vdp.runtime.runtime import Runtime
from vdp.storage import instance_lock
from vdp.storage.faults import StorageUnavailable
from vdp.storage.instance_lock import AlreadyRunning

VDP = Path(sys.executable).parent / "vdp"


async def _vdp(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(subprocess.run, [str(VDP), "--data-dir", str(data), *args], capture_output=True,
                                   text=True, timeout=60, check=False)


async def test_a_second_process_on_a_folder_in_use_is_refused_and_changes_nothing(
        tmp_path: Path, server: FaultServer) -> None:
    server.add_file("/lesson.mp4", make_payload(4 << 20, seed=93), stall_after=1 << 20)
    data = tmp_path / "data"
    async with running_app(data) as kit:
        task_id = await kit.add(server.url("/lesson.mp4"))
        await kit.call("start_download", taskId=task_id)
        await kit.wait_status(task_id, {TaskStatus.DOWNLOADING})
        for args in (("list",), ("get", server.url("/lesson.mp4"), "-o", str(kit.out))):
            refused = await _vdp(data, *args)
            assert refused.returncode == 3, refused.stderr
            assert (f"Video Downloader Pro is already running with the data folder {data} (process {os.getpid()})"
                    in refused.stderr)
        assert kit.task(task_id).status == TaskStatus.DOWNLOADING, "the running app's download went on"
        assert server.stats("/lesson.mp4").requests == 1, "the refused `vdp get` fetched nothing"
        server.gate("/lesson.mp4").open()
        assert (await kit.finish(task_id)).status == TaskStatus.COMPLETED
    listed = await _vdp(data, "list")
    assert listed.returncode == 0 and task_id in listed.stdout, "the folder is free once the app has stopped"


async def test_in_one_process_a_second_app_is_refused_and_the_first_keeps_the_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_app(data):
        second = Application(AppPaths.resolve(str(data)))
        with pytest.raises(StorageUnavailable) as refused:
            await second.start()
        assert refused.value.code == ErrorCode.DATABASE_LOCKED
    async with running_app(data):  # released at stop
        pass


async def test_a_killed_app_leaves_no_lock_behind(tmp_path: Path) -> None:
    data = tmp_path / "data"
    killed = ("import asyncio, os, sys\n"
              "from vdp.app import Application\nfrom vdp.paths import AppPaths\n"
              "async def main():\n"
              "    await Application(AppPaths.resolve(sys.argv[1])).start()\n"
              "    os._exit(9)  # no stop: as if killed\n"
              "asyncio.run(main())\n")
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", killed, str(data)], capture_output=True,
                                     text=True, timeout=60, check=False)
    assert result.returncode == 9, result.stderr
    assert (data / "app.lock").exists()
    async with running_app(data) as kit:
        assert await kit.call("get_download_tasks") == []


async def test_a_start_that_fails_after_the_lock_frees_the_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"

    async def broken(self: Runtime) -> None:
        raise RuntimeError("the runtime cannot start")

    with monkeypatch.context() as patch:
        patch.setattr(Runtime, "start", broken)
        with pytest.raises(RuntimeError):
            await Application(AppPaths.resolve(str(data))).start()
    async with running_app(data) as kit:  # the next start, in the same process, gets the folder
        assert await kit.call("get_download_tasks") == []


async def test_a_file_system_that_cannot_lock_does_not_lock_the_user_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def unsupported(fd: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")  # NFS without its lock service

    monkeypatch.setattr(instance_lock, "_lock", unsupported)
    async with running_app(tmp_path / "data") as kit:
        assert await kit.call("get_download_tasks") == []
    assert "cannot be locked" in caplog.text


async def test_a_refused_start_learns_where_the_running_app_takes_a_knock(tmp_path: Path) -> None:
    """The desktop app says where it listens (desktop/second_start.py); a refused start reads it."""
    data = tmp_path / "data"
    async with running_app(data) as kit:
        kit.app.instance.advertise(54321)
        with pytest.raises(AlreadyRunning) as refused:
            await Application(AppPaths.resolve(str(data))).start()
        assert refused.value.knock_port == 54321 and f"(process {os.getpid()})" in str(refused.value)

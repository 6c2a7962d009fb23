"""Paths belong to the app (docs/security.md): remove with "delete file" deletes only what a download wrote, and the
system opener is handed only downloaded files and download folders — whatever a task or an argument claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from vdp.contract import VideoTask
from vdp.engines.base import PARTIAL_PATHS, ResumeState
from vdp.errors import VdpError
from vdp.runtime.files import OWNED_PATHS, discard_partial, save_checkpoint
from vdp.storage.repository import TaskRepository


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A folder of the user's that no task wrote: it must survive everything below."""
    folder = tmp_path / "victim"
    (folder / "sub").mkdir(parents=True)
    (folder / "precious.txt").write_text("keep me")
    (folder / "sub" / "nested.txt").write_text("keep me too")
    return folder


def _intact(victim: Path) -> bool:
    return (victim / "precious.txt").read_text() == "keep me" and (victim / "sub" / "nested.txt").exists()


def _opened_lines(record: Path) -> list[str]:
    """What the opener was asked to open: the commands wait for it, so its record is complete when they answer."""
    return record.read_text().splitlines() if record.exists() else []


def _hostile_task(task_id: str, *, output: Path, file_path: Path) -> dict:
    task = VideoTask(id=task_id, url="http://127.0.0.1:9/x.mp4", title="x", output_path=str(output),
                     file_path=str(file_path), status="Completed")
    return task.model_dump(mode="json")


@pytest.mark.parametrize("target", ["folder", "file", "sub"])
async def test_a_client_named_file_path_is_never_deleted(kit: AppKit, victim: Path, target: str) -> None:
    named = {"folder": victim, "file": victim / "precious.txt", "sub": victim / "sub"}[target]
    (added,) = await kit.call("add_download_tasks", tasks=[_hostile_task("t-hostile", output=victim, file_path=named)])
    assert added["file_path"] is None and added["status"] == "Pending", "the client cannot claim a file or a status"
    await kit.call("remove_download", taskId="t-hostile", deleteFile=True)
    assert kit.app.runtime.task("t-hostile") is None
    assert _intact(victim)


async def test_remove_many_with_delete_file_spares_client_named_folders(kit: AppKit, victim: Path) -> None:
    tasks = [_hostile_task(f"t{n}", output=victim.parent, file_path=victim) for n in range(3)]
    await kit.call("add_download_tasks", tasks=tasks)
    await kit.call("remove_download_tasks", taskIds=["t0", "t1", "t2"], deleteFile=True)
    assert _intact(victim)


async def test_delete_file_removes_the_download_and_nothing_beside_it(kit: AppKit, server: FaultServer) -> None:
    server.add_file("/lesson.mp4", b"v" * 100_000)
    kit.out.mkdir(parents=True, exist_ok=True)
    neighbour = kit.out / "notes.txt"
    neighbour.write_text("mine")
    task = await kit.download(server.url("/lesson.mp4"))
    final = Path(task.file_path or "")
    assert final.is_absolute() and final.read_bytes() == b"v" * 100_000
    await kit.call("remove_download", taskId=task.id, deleteFile=True)
    assert not final.exists() and neighbour.read_text() == "mine" and kit.out.is_dir()


async def test_a_replaced_download_is_not_followed(kit: AppKit, server: FaultServer, victim: Path) -> None:
    """The downloaded file replaced by a link to the user's folder: the link may go, the folder stays."""
    server.add_file("/a.mp4", b"a" * 1000)
    task = await kit.download(server.url("/a.mp4"))
    final = Path(task.file_path or "")
    final.unlink()
    final.symlink_to(victim, target_is_directory=True)
    await kit.call("remove_download", taskId=task.id, deleteFile=True)
    assert _intact(victim)


async def test_partial_files_are_recorded_where_the_engine_wrote_them(tmp_path: Path, victim: Path) -> None:
    """A task's folder changed after its partial file was created: cancel deletes the engine's file in the old
    folder, never a same-named file of the user's in the new one."""
    repo = await TaskRepository.open(tmp_path / "tasks.sqlite")
    try:
        first = tmp_path / "first"
        first.mkdir()
        task = VideoTask(id="t1", url="http://127.0.0.1:9/v.mp4", title="v", output_path=str(first))
        await repo.insert_tasks([(1, task)], "test")
        (first / "v.mp4.part").write_bytes(b"partial")
        await save_checkpoint(repo, task, ResumeState(meta={PARTIAL_PATHS: ["v.mp4.part"]}))
        assert (await repo.load_resume("t1")).meta[OWNED_PATHS] == [str(first / "v.mp4.part")]
        (victim / "v.mp4.part").write_text("the user's own file")
        task.output_path = str(victim)
        await discard_partial(repo, task)
        assert not (first / "v.mp4.part").exists()
        assert (victim / "v.mp4.part").read_text() == "the user's own file" and _intact(victim)
    finally:
        await repo.close()


@pytest.mark.parametrize("make", ["bin_sh", "desktop", "victim_folder", "victim_file"])
async def test_the_opener_never_gets_a_path_the_app_did_not_write(kit: AppKit, opened: Path, victim: Path,
                                                                   make: str) -> None:
    desktop = victim / "evil.desktop"
    desktop.write_text("[Desktop Entry]\nType=Application\nExec=/bin/sh -c 'touch /tmp/pwned'\n")
    path = {"bin_sh": "/bin/sh", "desktop": str(desktop), "victim_folder": str(victim),
            "victim_file": str(victim / "precious.txt")}[make]
    # A hostile task naming the path as its file changes nothing: only a download's own result counts.
    await kit.call("add_download_tasks", tasks=[_hostile_task("t-x", output=victim.parent, file_path=Path(path))])
    for command, key in (("open_path", "path"), ("show_in_folder", "filePath"), ("reveal_path_in_folder", "path")):
        if make == "victim_folder" and command != "open_path":
            continue  # covered below: a folder a task names is a download folder and may be shown
        with pytest.raises(VdpError) as refused:
            await kit.call(command, **{key: path})
        assert refused.value.code.value == "invalid_argument", refused.value
    assert not opened.exists()


async def test_a_downloaded_launcher_is_not_opened_but_can_be_shown(kit: AppKit, server: FaultServer,
                                                                   opened: Path) -> None:
    server.add_file("/get", b"[Desktop Entry]\nExec=/bin/false\n",
                    content_disposition='attachment; filename="run.desktop"')
    task = await kit.download(server.url("/get"))
    assert task.file_path and task.file_path.endswith("run.desktop")
    with pytest.raises(VdpError, match="could run a program"):
        await kit.call("open_path", path=task.file_path)
    await kit.call("reveal_path_in_folder", path=task.file_path)
    assert _opened_lines(opened) == [str(Path(task.file_path).parent)]


async def test_downloads_and_download_folders_are_opened(kit: AppKit, server: FaultServer, opened: Path) -> None:
    server.add_file("/lesson%201.mp4", b"x" * 10)
    task = await kit.download(server.url("/lesson%201.mp4"))
    await kit.call("open_path", path=task.file_path)
    await kit.call("show_in_folder", filePath=task.file_path)
    await kit.call("reveal_path_in_folder", path=task.output_path)
    folder = str(Path(task.file_path or "").parent)
    assert sorted(_opened_lines(opened)) == sorted([task.file_path, folder, task.output_path])

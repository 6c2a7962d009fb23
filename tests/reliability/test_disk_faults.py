"""Disk faults on real filesystems: a full disk (a small tmpfs) and a read-only output folder.

The task fails with `disk_full` / `permission_denied` and a clear message, the app keeps answering, other tasks
are unaffected, and a full-disk task resumes to a byte-identical file once space is freed. Mounting needs root
(CAP_SYS_ADMIN); without it these tests are skipped and say why.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import TaskStatus

MIB = 1 << 20


def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}); needs root")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "small-disk"
    _mount_tmpfs(disk, "size=8m")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    _mount_tmpfs(folder, "size=64m,ro")  # roomy, so the free-space check passes and the write is refused
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


async def _run(kit: AppKit, url: str, output: Path) -> str:
    task_id = await kit.add(url, output=output)
    await kit.call("start_download", taskId=task_id)
    return task_id


async def test_disk_full_mid_download_fails_clearly_and_resumes_after_space_is_freed(
        kit: AppKit, server: FaultServer, small_disk: Path, tmp_path: Path) -> None:
    filler = small_disk / "filler.bin"
    filler.write_bytes(bytes(5 * MIB))
    # No length and no ranges, so the engine cannot see the shortage coming (no free-space check, no
    # preallocation): the write itself hits ENOSPC.
    data = make_payload(6 * MIB, seed=50)
    server.add_file("/lecture.mp4", data, framing="chunked", ranges="ignore", accept_ranges=False, rate=8 * MIB)
    other = make_payload(3 * MIB, seed=51)
    server.add_file("/other.mp4", other, rate=2 * MIB)

    full_id = await _run(kit, server.url("/lecture.mp4"), small_disk)
    other_id = await _run(kit, server.url("/other.mp4"), tmp_path / "elsewhere")
    full = await kit.finish(full_id)
    assert full.status == TaskStatus.FAILED
    assert full.error_message and "Disk full" in full.error_message, full.error_message
    assert "disk_full" in [w.code.value for w in kit.warnings(full_id)]

    tasks = await kit.call("get_download_tasks")  # the app still answers while the other task runs
    assert {t["id"] for t in tasks} == {full_id, other_id}
    done = await kit.finish(other_id)
    assert done.status == TaskStatus.COMPLETED and sha256_of(Path(done.file_path)) == sha256_of(other)

    filler.unlink()
    await kit.call("start_download", taskId=full_id, restart=True)  # a Failed task: our UI's retry
    resumed = await kit.finish(full_id)
    assert resumed.status == TaskStatus.COMPLETED, resumed.error_message
    assert sha256_of(Path(resumed.file_path)) == sha256_of(data)
    assert [p.name for p in small_disk.iterdir()] == [Path(resumed.file_path).name], "no partial file left behind"


async def test_a_file_larger_than_the_free_space_is_refused_before_downloading(
        kit: AppKit, server: FaultServer, small_disk: Path) -> None:
    server.add_file("/huge.mp4", make_payload(12 * MIB, seed=52))
    task = await kit.finish(await _run(kit, server.url("/huge.mp4"), small_disk))
    assert task.status == TaskStatus.FAILED and "Not enough free space" in (task.error_message or "")
    assert "disk_full" in [w.code.value for w in kit.warnings(task.id)]
    assert list(small_disk.iterdir()) == [], "nothing was left behind"


async def test_a_read_only_output_folder_fails_with_permission_denied(
        kit: AppKit, server: FaultServer, read_only_folder: Path, tmp_path: Path) -> None:
    for n in range(3):
        server.add_file(f"/a{n}.mp4", make_payload(MIB, seed=53))
    for n, folder in enumerate((read_only_folder, read_only_folder / "course 1")):  # the folder, one to create in it
        task = await kit.finish(await _run(kit, server.url(f"/a{n}.mp4"), folder))
        assert task.status == TaskStatus.FAILED, task.error_message
        assert "Permission denied" in (task.error_message or ""), task.error_message
        assert "permission_denied" in [w.code.value for w in kit.warnings(task.id)]
    assert (await kit.download(server.url("/a2.mp4"))).status == TaskStatus.COMPLETED  # the app carries on

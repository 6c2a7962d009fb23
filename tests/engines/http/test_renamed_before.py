"""Killed between the final rename and the record of it, a download is not fetched again under a second name: the
checkpoint saved just before the rename holds the sealed file's fingerprint, and the next run, finding the partial
file gone and that very file under the final name, takes it as it is. A file of the user's that took the name (even
one that reuses the freed inode, as ext4 does at once) is never taken for it.

A small file (SMALL_FILE) has no checkpoint: it carries its task's id as an extended attribute instead, and the next
run, fetching it again, takes the file under the final name if this task wrote it and its bytes are the ones just
fetched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.engines.base import ResumeState, TransferResult
from vdp.engines.http import engine as engine_module
from vdp.engines.http.engine import FINISHED_FILE, OWNER_MARK, SMALL_FILE, HttpEngine
from vdp.engines.services import TransferServices

from .contexts import http_context


class _Killed(Exception):
    """The process died right after the rename."""


async def _transfer_killed_after_its_rename(folder: Path, url: str, services: TransferServices,
                                           monkeypatch: pytest.MonkeyPatch, title: str) -> list[ResumeState]:
    """Runs a download that dies right after its rename (at the folder's fsync); the checkpoints it saved."""

    def killed(folder: Path) -> None:
        raise _Killed()

    checkpoints: list[ResumeState] = []
    with monkeypatch.context() as patch:
        patch.setattr(engine_module, "fsync_folder", killed)
        with pytest.raises(_Killed):
            await HttpEngine().transfer(http_context(folder, url, services, checkpoints=checkpoints, title=title))
    return checkpoints


async def _killed_after_the_rename(tmp_path: Path, server: FaultServer, services: TransferServices,
                                   monkeypatch: pytest.MonkeyPatch, seed: int) -> tuple[bytes, ResumeState]:
    """A download that dies right after its rename: the file's bytes, and the last checkpoint the database holds."""
    data = make_payload(SMALL_FILE + (512 << 10), seed=seed)  # larger than a held file: it has checkpoints
    server.add_file("/lesson.mp4", data)
    checkpoints = await _transfer_killed_after_its_rename(tmp_path, server.url("/lesson.mp4"), services, monkeypatch,
                                                          "lesson")
    assert (tmp_path / "lesson.mp4").exists() and not (tmp_path / "lesson.mp4.part").exists()
    assert FINISHED_FILE in checkpoints[-1].meta, "saved before the rename"
    return data, checkpoints[-1]


async def _run_again(tmp_path: Path, server: FaultServer, saved: ResumeState,
                     services: TransferServices) -> TransferResult:
    return await HttpEngine().transfer(http_context(tmp_path, server.url("/lesson.mp4"), services, resume=saved,
                                                    title="lesson"))


async def test_a_download_killed_after_its_rename_is_taken_as_finished_by_the_next_run(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data, saved = await _killed_after_the_rename(tmp_path, server, transfer_services, monkeypatch, seed=21)
    requests = server.stats("/lesson.mp4").requests
    result = await _run_again(tmp_path, server, saved, transfer_services)
    assert result.file_path == tmp_path / "lesson.mp4" and result.size == len(data)
    assert result.file_path.read_bytes() == data
    assert server.stats("/lesson.mp4").requests == requests, "nothing fetched again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.mp4"]


async def test_a_file_of_the_users_under_that_name_is_not_taken_for_the_download(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data, saved = await _killed_after_the_rename(tmp_path, server, transfer_services, monkeypatch, seed=22)
    mine = bytes(reversed(data))  # same name and size
    (tmp_path / "lesson.mp4").unlink()  # the user replaces it while the app is not running
    (tmp_path / "lesson.mp4").write_bytes(mine)
    result = await _run_again(tmp_path, server, saved, transfer_services)
    assert result.file_path == tmp_path / "lesson (1).mp4" and result.file_path.read_bytes() == data
    assert (tmp_path / "lesson.mp4").read_bytes() == mine, "the user's file is untouched"


@pytest.fixture
def marks(tmp_path: Path) -> None:
    """The file system under the test keeps extended attributes (else no file is marked, by design)."""
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, OWNER_MARK, b"probe")
    except (AttributeError, OSError) as exc:
        pytest.skip(f"no user extended attributes here: {exc}")
    finally:
        probe.unlink()


async def _small_file_killed_after_the_rename(tmp_path: Path, server: FaultServer, services: TransferServices,
                                              monkeypatch: pytest.MonkeyPatch, data: bytes,
                                              stored_as: str = "slides.pdf") -> None:
    server.add_file("/slides.pdf", data)
    names = sorted([*(p.name for p in tmp_path.iterdir()), stored_as])
    checkpoints = await _transfer_killed_after_its_rename(tmp_path, server.url("/slides.pdf"), services, monkeypatch,
                                                          "slides")
    assert sorted(p.name for p in tmp_path.iterdir()) == names and checkpoints == []
    assert os.getxattr(tmp_path / stored_as, OWNER_MARK) == b"t1", "marked with its task's id"


async def _fetch_small_file_again(tmp_path: Path, server: FaultServer, services: TransferServices) -> TransferResult:
    return await HttpEngine().transfer(http_context(tmp_path, server.url("/slides.pdf"), services, title="slides"))


@pytest.mark.parametrize("users_file", [False, True], ids=["under its name", "under a second name"])
async def test_a_small_file_killed_after_its_rename_is_not_stored_again(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch, marks: None, users_file: bool) -> None:
    """With a file of the user's under the name, the killed run stored its own as `slides (1).pdf`: found there."""
    data = make_payload(256 << 10, seed=23)
    if users_file:
        (tmp_path / "slides.pdf").write_bytes(b"the user's own")
    stored_as = "slides (1).pdf" if users_file else "slides.pdf"
    await _small_file_killed_after_the_rename(tmp_path, server, transfer_services, monkeypatch, data, stored_as)
    listing = sorted(p.name for p in tmp_path.iterdir())
    folder_syncs: list[Path] = []
    monkeypatch.setattr(engine_module, "fsync_folder", folder_syncs.append)
    result = await _fetch_small_file_again(tmp_path, server, transfer_services)
    assert result.file_path == tmp_path / stored_as and result.size == len(data)
    assert result.file_path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == listing, "nothing written a second time"
    assert folder_syncs == [tmp_path], "the rename the killed run may not have made durable is, now"


@pytest.mark.parametrize("whose", ["the user's, same bytes", "this task's, other bytes"])
async def test_a_small_file_is_taken_only_if_this_task_wrote_it_with_these_bytes(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch, marks: None, whose: str) -> None:
    data = make_payload(256 << 10, seed=24)
    await _small_file_killed_after_the_rename(tmp_path, server, transfer_services, monkeypatch, data)
    found, served = tmp_path / "slides.pdf", data
    if whose == "the user's, same bytes":
        found.unlink()
        found.write_bytes(data)  # a copy of the user's: no mark
    else:
        served = bytes(reversed(data))  # the server's file changed since
        server.add_file("/slides.pdf", served)
    before = found.read_bytes()
    result = await _fetch_small_file_again(tmp_path, server, transfer_services)
    assert result.file_path == tmp_path / "slides (1).pdf" and result.file_path.read_bytes() == served
    assert found.read_bytes() == before, "the file under the name is untouched"

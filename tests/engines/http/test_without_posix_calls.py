"""Where Python's `os` has no pwrite, pread or posix_fallocate (Windows), the HTTP engine writes and reads at an
offset through `portable_io`'s seek and transfer under a lock instead, and every download is byte-identical: a small
file held in memory, a file written by 8 connections at once, and a pause and a resume (whose completion reads the
file's first and last bytes for its fingerprint)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import TaskStatus

from .pausing import pause_midway_then_finish

MIB = 1 << 20


@pytest.fixture
def seeks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """`os` as Windows has it; the offsets the engine seeks to instead."""
    for name in ("pwrite", "pread", "posix_fallocate"):
        monkeypatch.delattr(os, name)
    offsets: list[int] = []
    lseek = os.lseek

    def seek(fd: int, offset: int, how: int) -> int:
        offsets.append(offset)
        return lseek(fd, offset, how)

    monkeypatch.setattr(os, "lseek", seek)
    return offsets


async def test_a_small_file_and_one_written_by_eight_connections(kit: AppKit, server: FaultServer,
                                                                 seeks: list[int]) -> None:
    await kit.configure(max_connections_per_download=8)
    small, large = make_payload(256 << 10, seed=90), make_payload(24 * MIB, seed=91)
    server.add_file("/slides.pdf", small)
    server.add_file("/lesson.mp4", large, rate=24 * MIB)
    for path, data in (("/slides.pdf", small), ("/lesson.mp4", large)):
        task = await kit.download(server.url(path))
        assert task.status == TaskStatus.COMPLETED, task.error_message
        assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert server.stats("/lesson.mp4").max_concurrent > 1, "several connections wrote the file at once"
    assert len(set(seeks)) > 8, "each write sought its own offset"


async def test_a_pause_and_a_resume(kit: AppKit, server: FaultServer, seeks: list[int]) -> None:
    await kit.configure(max_connections_per_download=4)
    data = make_payload(16 * MIB, seed=92)
    server.add_file("/lesson.mp4", data, rate=8 * MIB)
    await pause_midway_then_finish(kit, server, "/lesson.mp4", data, sent=4 * MIB)

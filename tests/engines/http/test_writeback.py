"""start_writeback: a hint that runs beside the download and never disturbs the file it is given."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import TaskStatus
from vdp.engines import durability
from vdp.engines.http import engine

MIB = 1 << 20


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(sys.platform != "linux", reason="sync_file_range is Linux's")
def test_writeback_is_really_asked_for_on_linux() -> None:
    assert durability._sync_file_range() is not None  # not silently a no-op


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_writeback_leaves_the_callers_descriptor_and_bytes_alone(tmp_path: Path) -> None:
    path = tmp_path / "f.part"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    before = _open_descriptors()
    try:
        os.pwrite(fd, b"a" * (1 << 20), 0)
        durability.start_writeback(fd).result(timeout=30)
        os.pwrite(fd, b"b" * 10, 1 << 20)  # still the caller's, still open
        assert _open_descriptors() == before  # its duplicate is closed
    finally:
        os.close(fd)
    assert path.read_bytes() == b"a" * (1 << 20) + b"b" * 10


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts descriptors in /proc")
def test_the_caller_may_close_its_descriptor_while_writeback_runs(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "f.part", os.O_RDWR | os.O_CREAT, 0o644)
    os.pwrite(fd, b"x" * 4096, 0)
    before = _open_descriptors()
    pending = durability.start_writeback(fd)
    os.close(fd)  # the engine closes its file when the download ends, whatever the writeback thread is doing
    pending.result(timeout=30)
    assert _open_descriptors() == before - 1


@pytest.mark.skipif(sys.platform != "linux", reason="sync_file_range is Linux's")
async def test_a_download_asks_for_writeback_as_it_goes(kit: AppKit, server: FaultServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def counting(fd: int):  # type: ignore[no-untyped-def]
        asked.append(fd)
        return durability.start_writeback(fd)

    monkeypatch.setattr(engine, "WRITEBACK_BYTES", MIB)
    monkeypatch.setattr(engine, "start_writeback", counting)
    await kit.configure(max_connections_per_download=1)
    data = make_payload(8 * MIB, seed=91)
    server.add_file("/f.bin", data, rate=16 * MIB)  # slow enough that each 1 MiB finds the previous hint done
    task = await kit.download(server.url("/f.bin"))
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert len(asked) >= 2

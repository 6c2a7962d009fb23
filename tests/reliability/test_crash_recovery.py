"""SIGKILL the real backend mid-download, restart it on the same data dir, and finish byte-identical."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support.database import claimed_bytes, open_database
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of

MIB = 1 << 20


async def _vdp(data: Path, *args: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "vdp", "--data-dir", str(data), *args,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)


async def _durable_checkpoint(database: Path) -> None:
    """Wait until the running process has committed a checkpoint (it reports no event for that, so look)."""
    for _ in range(400):
        with open_database(database) as db:
            if claimed_bytes(db) > 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("no checkpoint was committed")


async def _run(data: Path, *args: str) -> tuple[int, str]:
    """Exit code and standard output (logs go to standard error)."""
    proc = await _vdp(data, *args)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()[-2000:]
    return proc.returncode or 0, out.decode()


@pytest.mark.parametrize("connections", [1, 8])
async def test_sigkill_mid_download_then_restart_finishes_the_same_task(tmp_path: Path, server: FaultServer,
                                                                        connections: int) -> None:
    size = 32 * MIB
    data = make_payload(size, seed=connections)
    server.add_file("/course.mp4", data, rate=4 * MIB)
    url = server.url("/course.mp4")
    data_dir, out = tmp_path / "data", tmp_path / "out"
    get = ("get", url, "-o", str(out), "--json", "--connections", str(connections))

    proc = await _vdp(data_dir, *get)
    progress = asyncio.ensure_future(server.wait_for_bytes_sent("/course.mp4", 8 * MIB))
    exited = asyncio.ensure_future(proc.wait())
    await asyncio.wait({progress, exited}, return_when=asyncio.FIRST_COMPLETED)
    if exited.done():
        progress.cancel()
        raise AssertionError(f"vdp get exited early: {(await proc.stderr.read()).decode()[-2000:]}")
    await progress
    await _durable_checkpoint(data_dir / "tasks.sqlite")
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    sent_before_kill = server.stats("/course.mp4").bytes_sent

    code, listing = await _run(data_dir, "list")
    assert code == 0
    (row,) = listing.strip().splitlines()
    assert "\tPaused\t" in row, listing  # recovered: present, paused, nothing started by itself
    with open_database(data_dir / "tasks.sqlite") as db:
        durable = claimed_bytes(db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert durable > 0
    assert f"\t{durable}/{size}\t" in row, "the task row claims exactly the durable bytes"

    server.reset_stats()
    code, output = await _run(data_dir, *get)
    assert code == 0, output
    files = [p for p in out.iterdir()]
    assert [p.name for p in files] == ["course.mp4"]
    assert sha256_of(files[0]) == sha256_of(data)
    refetched = server.stats("/course.mp4").bytes_sent
    # Only what was not durable is fetched again (plus what in-flight connections buffered when cut).
    assert refetched <= size - durable + connections * 4 * MIB, (refetched, durable, sent_before_kill)
    code, listing = await _run(data_dir, "list")
    (row,) = listing.strip().splitlines()
    assert f"\tCompleted\t{size}/{size}\t" in row

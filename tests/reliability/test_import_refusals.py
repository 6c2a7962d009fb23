"""Files the user names are read only when they are regular files, within size and time limits, on the import pool
(docs/security.md): a device or FIFO is refused at once (it would block or never end), settings exports never
replace a file that is not one, and a slow or cancelled import never holds a thread that downloads need."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from vdp import importers
from vdp.errors import VdpError
from vdp.import_pool import IMPORT_THREADS, run_import

GUARD = 60  # seconds: only so a regression fails instead of hanging the suite; never a measurement

READERS = [
    ("preview_import_data", {}),
    ("import_file", {}),
    ("import_csv_file", {}),
    ("import_excel_file", {}),
    ("detect_file_encoding", {}),
    ("import_and_reconcile", {}),
    ("import_tasks_and_enqueue", {}),
    ("import_config", {}),
]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "sheet.csv"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command, extra", READERS)
@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "folder"])
async def test_devices_fifos_and_folders_are_refused_at_once(kit: AppKit, fifo: Path, tmp_path: Path, command: str,
                                                            extra: dict, kind: str) -> None:
    path = {"fifo": str(fifo), "dev_zero": "/dev/zero", "folder": str(tmp_path)}[kind]
    with pytest.raises(VdpError) as refused:
        await asyncio.wait_for(kit.call(command, filePath=path, **extra), GUARD)
    text = str(refused.value)
    assert ("Not a regular file" in text or "Is a directory" in text), text
    assert kit.app.runtime.tasks() == []


async def test_the_server_answers_and_stops_after_a_fifo_import(tmp_path: Path, fifo: Path) -> None:
    """The original D4: `vdp serve`, an import of a FIFO, then SIGTERM — the import answers, the server exits."""
    import aiohttp

    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "serve", "--port", "0", "--token", "t0ken",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), GUARD)).decode()  # type: ignore[union-attr]
        base = line.split("serving at ")[1].split("/#")[0]
        async with aiohttp.ClientSession(headers={"Authorization": "Bearer t0ken"}) as http:
            for _ in range(IMPORT_THREADS * 3):  # more than the pool has threads: none of them may stay stuck
                async with http.post(f"{base}/api/invoke/import_and_reconcile", json={"filePath": str(fifo)},
                                     timeout=aiohttp.ClientTimeout(total=GUARD)) as response:
                    assert response.status == 400 and "Not a regular file" in (await response.json())["error"]
            async with http.post(f"{base}/api/invoke/get_download_tasks") as response:
                assert response.status == 200
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), GUARD) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_an_import_past_its_time_limit_is_stopped(tmp_path: Path) -> None:
    sheet = tmp_path / "big.csv"
    sheet.write_text("url\n" + "".join(f"https://127.0.0.1/{n}.mp4\n" for n in range(50_000)))
    with pytest.raises(VdpError, match="took longer than 0 s"):
        await run_import(importers.parse, str(sheet), seconds=0)


async def test_a_cancelled_import_stops_reading(tmp_path: Path) -> None:
    """Cancelling the caller (Ctrl-C in `vdp import`) stops the reader thread at its next read."""
    sheet = tmp_path / "sparse.csv"
    with open(sheet, "wb") as handle:
        handle.write(b"url\n")
        handle.truncate(150 << 20)  # 150 MiB of NULs: one endless row, read and skipped MiB by MiB
    reading, ended, outcome = threading.Event(), threading.Event(), []

    def parse() -> object:
        reading.set()
        try:
            return importers.parse(str(sheet))
        except VdpError as exc:
            outcome.append(str(exc))
            raise
        finally:
            ended.set()

    job = asyncio.ensure_future(run_import(parse))
    await asyncio.to_thread(reading.wait, GUARD)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    assert await run_import(lambda: "the pool is free again") == "the pool is free again"
    # The caller is answered at once; the reader stops at its next check, on its own thread (the pool has two, so
    # the job above may have run beside it): wait for the reader itself.
    assert await asyncio.to_thread(ended.wait, GUARD)
    assert outcome and "the import was cancelled" in outcome[0], outcome


async def test_busy_imports_never_take_the_threads_downloads_use(kit: AppKit, server: FaultServer) -> None:
    """Every import thread held: the default executor (DNS, files, the database's helpers) and a download still work."""
    release = threading.Event()
    held = [asyncio.ensure_future(run_import(release.wait, GUARD)) for _ in range(IMPORT_THREADS * 3)]
    try:
        free = await asyncio.wait_for(asyncio.to_thread(lambda: "default executor free"), GUARD)
        assert free == "default executor free"
        server.add_file("/v.mp4", b"v" * 200_000)
        task = await kit.download(server.url("/v.mp4"))
        assert task.status.value == "Completed"
    finally:
        release.set()
        await asyncio.gather(*held)


# -- settings exports --------------------------------------------------------------------------------------


async def test_export_writes_a_new_file_and_replaces_an_old_export(kit: AppKit, tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    await kit.call("export_config", filePath=str(target))
    first = json.loads(target.read_text())
    assert first["download"]["output_directory"] == kit.app.config.download.output_directory
    await kit.call("export_config", filePath=str(target))  # an export may be replaced by the next one
    assert json.loads(target.read_text()) == first


async def test_export_never_replaces_another_file_unless_told(kit: AppKit, tmp_path: Path) -> None:
    document = tmp_path / "thesis.json"
    document.write_text('{"chapters": 12}')
    with pytest.raises(VdpError, match="not a settings export") as refused:
        await kit.call("export_config", filePath=str(document))
    assert refused.value.code.value == "invalid_argument" and document.read_text() == '{"chapters": 12}'
    await kit.call("export_config", filePath=str(document), overwrite=True)
    assert "download" in json.loads(document.read_text())


async def test_export_never_follows_a_link_or_writes_into_a_device(kit: AppKit, tmp_path: Path, fifo: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    with pytest.raises(VdpError, match="is a link"):
        await kit.call("export_config", filePath=str(link))
    await kit.call("export_config", filePath=str(link), overwrite=True)  # told to: the link is replaced, not followed
    assert victim.read_text() == "precious" and not link.is_symlink()
    for path in (fifo, Path("/dev/null"), tmp_path):
        with pytest.raises(VdpError, match="Cannot write"):
            await asyncio.wait_for(kit.call("export_config", filePath=str(path), overwrite=True), GUARD)


async def test_import_config_refuses_a_huge_file(kit: AppKit, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text('{"download": {}, "x": "' + "x" * (2 << 20) + '"}')
    with pytest.raises(VdpError, match="larger than") as refused:
        await kit.call("import_config", filePath=str(huge))
    assert refused.value.code.value == "file_too_large"


def test_ctrl_c_stops_vdp_import_while_it_reads(tmp_path: Path) -> None:
    """`vdp import` of a large file, Ctrl-C once the file is open: the process ends (130), nothing added."""
    import subprocess
    import time

    sheet = tmp_path / "big.csv"
    with open(sheet, "wb") as handle:
        handle.write(b"url\n")
        handle.truncate(190 << 20)  # reading all of it takes seconds; the interrupt must not wait for that
    proc = subprocess.Popen([sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "import", str(sheet)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + GUARD
        while not _holds_open(proc.pid, sheet):
            assert proc.poll() is None and time.monotonic() < deadline, "the import never opened the file"
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()[-2000:]
    assert b"interrupted; nothing was added" in err and b"new tasks" not in out


def _holds_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False

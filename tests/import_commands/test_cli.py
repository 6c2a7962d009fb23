"""`vdp import`, `vdp migrate` and `vdp get` as a user runs them: real processes on a real data dir."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Optional

import pytest

from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.cli.signals import on_interrupt


async def _vdp(data: Path, *args: str, env: Optional[dict[str, str]] = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "--data-dir", str(data), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def _sheet(path: Path, urls: list[str]) -> Path:
    rows = "".join(f"7,课程合集,{n},第{n}课,{url}\n" for n, url in enumerate(urls, start=1))
    path.write_text("专栏ID,专栏名称,课程ID,课程名称,视频链接\n" + rows + "7,课程合集,9,坏链接,javascript:alert(1)\n",
                    encoding="gbk")
    return path


async def test_import_twice_then_start_downloads_everything_once(server: FaultServer, tmp_path: Path) -> None:
    files = {f"/v{n}.bin": make_payload(256 << 10, seed=n) for n in range(2)}
    for path, data in files.items():
        server.add_file(path, data)
    sheet = _sheet(tmp_path / "课程.csv", [server.url(path) for path in files])
    data, out = tmp_path / "data", tmp_path / "out"

    code, first, _ = await _vdp(data, "import", str(sheet), "-o", str(out), "--layout", "by_column")
    assert code == 0
    assert first.splitlines()[:3] == [
        "2 rows with a link, 1 skipped, 0 repeated in the file", "new tasks: 2",
        "already known: 0 (completed 0, resumable 0, failed 0, waiting 0, active 0, cancelled 0)"]

    code, second, _ = await _vdp(data, "import", str(sheet), "-o", str(out), "--layout", "by_column", "--start",
                                 "--json")
    assert code == 0
    assert second.splitlines()[1:3] == [
        "new tasks: 0", "already known: 2 (completed 0, resumable 0, failed 0, waiting 2, active 0, cancelled 0)"]
    assert "skipped (invalid_url): 1" in second.splitlines()
    events = [json.loads(line) for line in second.splitlines() if line.startswith("{")]
    completed = {e["payload"]["task_id"] for e in events
                 if e["event"] == "task_status_changed" and e["payload"]["to"] == "Completed"}
    assert len(completed) == 2
    for path, data_bytes in files.items():
        assert sha256_of(out / "课程合集" / path.lstrip("/")) == sha256_of(data_bytes)
    assert all(server.stats(path).requests >= 1 for path in files)


async def test_import_of_a_missing_file_fails_with_the_importers_message(tmp_path: Path) -> None:
    code, _, err = await _vdp(tmp_path / "data", "import", str(tmp_path / "nope.csv"))

    assert code == 2
    assert err.strip().endswith(f"vdp import: IO error: File not found: {tmp_path / 'nope.csv'}")


async def test_migrate_from_a_folder(tmp_path: Path) -> None:
    original = tmp_path / "original"
    original.mkdir()
    (original / "download_state.json").write_text(json.dumps([
        {"url": "https://e.com/1.mp4", "title": "one", "output_path": str(tmp_path / "o"), "status": "Paused"},
        {"url": "https://e.com/2.mp4", "status": "completed"}]))

    code, out, _ = await _vdp(tmp_path / "data", "migrate", str(original))
    again_code, again, _ = await _vdp(tmp_path / "data", "migrate", str(original))

    assert code == again_code == 0
    assert "tasks: 2 found, 1 added, 0 already known, 1 finished in the original" in out
    assert "tasks: 2 found, 0 added, 1 already known" in again


async def test_get_reports_what_failed_and_keeps_routine_log_lines_off_the_console(server: FaultServer,
                                                                                  tmp_path: Path) -> None:
    data = make_payload(300_000, seed=77)
    server.add_file("/ok.bin", data)
    missing = server.url("/missing.bin")
    code, out, err = await _vdp(tmp_path / "data", "get", server.url("/ok.bin"), missing, "-o", str(tmp_path / "out"),
                                "--json")
    assert code == 1  # not every file completed
    assert sha256_of(tmp_path / "out" / "ok.bin") == sha256_of(data)
    assert f"FAILED {missing}: File not found on the server" in err
    assert " INFO " not in err  # the progress (here the JSON events) says what finished; the console stays for problems
    statuses = [json.loads(line)["payload"].get("to") for line in out.splitlines()]
    assert statuses.count("Completed") == 1 and statuses.count("Failed") == 1


# vdp run on an event loop that cannot watch signals, as Windows' cannot.
_WITHOUT_LOOP_SIGNALS = (
    "import asyncio.unix_events, runpy\n"
    "def refused(*args): raise NotImplementedError\n"
    "asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = refused\n"
    "runpy.run_module('vdp', run_name='__main__')\n")


@pytest.mark.parametrize("launch", [["-m", "vdp"], ["-c", _WITHOUT_LOOP_SIGNALS]],
                         ids=["loop signal handlers", "no loop signal handlers (Windows)"])
async def test_get_interrupted_with_ctrl_c_pauses_and_the_same_command_continues(server: FaultServer,
                                                                                 tmp_path: Path,
                                                                                 launch: list[str]) -> None:
    data = make_payload(2 << 20, seed=78)
    server.add_file("/held.bin", data, stall_after=256 << 10)  # the body stops there until the gate opens
    args = ("get", server.url("/held.bin"), "-o", str(tmp_path / "out"), "--json")
    process = await asyncio.create_subprocess_exec(
        sys.executable, *launch, "--data-dir", str(tmp_path / "data"), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stdout is not None
    async with asyncio.timeout(60):  # a guard against hanging, not a timing claim
        # Sent by the server is not yet written by vdp: wait until vdp's own progress shows every byte before the stall.
        while True:
            line = json.loads(await process.stdout.readline())
            if line["event"] == "download_progress" and line["payload"]["downloaded"] == 256 << 10:
                break
        process.send_signal(signal.SIGINT)
        _, err = await process.communicate()
    assert process.returncode == 130
    assert "Paused; run the same command again to continue." in err.decode()
    assert not (tmp_path / "out" / "held.bin").exists()

    server.gate("/held.bin").open()
    code, _, err_again = await _vdp(tmp_path / "data", *args)
    assert code == 0, err_again
    assert sha256_of(tmp_path / "out" / "held.bin") == sha256_of(data)
    # The pause saved what had arrived: the same command went on from there instead of starting over.
    assert list(server.stats("/held.bin").ranges) == ["bytes=0-", f"bytes={256 << 10}-{len(data) - 1}"]


async def test_the_plain_signal_handlers_are_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the loop cannot watch signals, `on_interrupt` replaces the process's handlers; undone, the ones it
    replaced (asyncio.run's own Ctrl-C handler among them) are back, so a Ctrl-C after the loop closed is not sent
    to it."""
    loop = asyncio.get_running_loop()

    def refused(*args: object) -> None:
        raise NotImplementedError

    monkeypatch.setattr(loop, "add_signal_handler", refused)
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    interrupted = asyncio.Event()
    undo = on_interrupt(loop, interrupted.set)
    assert signal.getsignal(signal.SIGINT) not in before
    signal.raise_signal(signal.SIGINT)
    await interrupted.wait()
    undo()
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


async def test_get_whose_reader_goes_away_pauses_without_a_traceback(server: FaultServer, tmp_path: Path) -> None:
    """`vdp get URL --json | head -1`: the pipe closes while the download runs; vdp pauses it, as for Ctrl-C."""
    server.add_file("/slow.bin", make_payload(4 << 20, seed=79), rate=256 << 10)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "get", server.url("/slow.bin"),
        "-o", str(tmp_path / "out"), "--json", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    async with asyncio.timeout(60):  # a guard against hanging, not a timing claim
        assert json.loads(await process.stdout.readline())["event"] == "task_added"
        transport = process._transport  # type: ignore[attr-defined]  # asyncio has no public way to close one pipe
        transport.get_pipe_transport(1).close()  # the reader is gone: vdp's next write meets a closed pipe
        err = (await process.stderr.read()).decode()
        await process.wait()
    assert process.returncode == 130, err
    assert "Paused; run the same command again to continue." in err
    assert "Traceback" not in err


async def test_get_json_lines_are_utf8_whatever_the_consoles_code_page(server: FaultServer, tmp_path: Path) -> None:
    """Redirected, Python on Windows writes stdout in the ANSI code page (here cp1252, as on a Western Windows),
    which has no Chinese: the events must still come out, as UTF-8."""
    data = make_payload(1000, seed=80)
    server.add_file("/第一课.bin", data)
    code, out, err = await _vdp(tmp_path / "data", "get", server.url("/第一课.bin"), "-o", str(tmp_path / "out"),
                                "--json", env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert code == 0, err
    added = json.loads(out.splitlines()[0])
    assert added["event"] == "task_added" and added["payload"]["title"] == "第一课.bin"
    assert sha256_of(tmp_path / "out" / "第一课.bin") == sha256_of(data)

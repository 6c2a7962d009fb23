"""A download through the real window: added in the paste box, started, paused and resumed with the row's buttons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

from .conftest import Launch
from .desktop_app import REPO, DesktopApp, run_cli

pytestmark = pytest.mark.desktop

SIZE = 3 << 20
RATE = 1 << 20  # bytes per second per connection: a couple of seconds end to end
STALL = 512 << 10  # every response holds here until the test opens the gate
ROW = "document.querySelector('[data-testid=task-row]')"

LEGACY_BUILT = (REPO / "backend" / "vdp" / "legacy" / "runtime.py").exists()
RUNTIMES = [
    "v2",
    pytest.param("v1", marks=pytest.mark.xfail(not LEGACY_BUILT, reason="legacy runtime not built yet", strict=False)),
]


def _config(output: Path) -> dict:
    return {"download": {"output_directory": str(output)}, "ui": {"language": "en", "auto_start_downloads": False}}


def _start_stalled_download(app: DesktopApp, server: FaultServerThread) -> str:
    """Adds the server's file through the paste box, starts it, and returns once the stalled transfer shows."""
    app.click("[data-testid=open-add-links]")
    app.wait_for("document.querySelector('#paste-box')")
    app.type_into("#paste-box", server.url("/clip.bin"))
    app.click("#add-urls-button")
    task_id = app.wait_for(f"{ROW} && {ROW}.dataset.taskId")
    row = f"[data-testid=task-row][data-task-id='{task_id}']"
    app.click(row)  # selects it: a row's own buttons exist while it is selected, focused or pointed at
    app.wait_for(f"!!document.querySelector(\"{row} [data-testid=row-start]\")")
    app.click(f"{row} [data-testid=row-start]")
    server.wait_for_bytes_sent("/clip.bin", STALL)
    progress = app.wait_for(f"Number(document.querySelector(\"{row}\").dataset.progress) || 0")
    assert 0 < progress < 100
    assert app.eval(f"document.querySelector(\"{row}\").dataset.status") == "Downloading"
    return task_id


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_download_pause_resume_through_the_window(
    launch: Launch, tmp_path: Path, artifacts: Path, runtime: str
) -> None:
    data = make_payload(SIZE, seed=7)
    output = tmp_path / "out"
    with FaultServerThread() as server:
        server.add_file("/clip.bin", data, rate=RATE, stall_after=STALL)
        app = launch("--runtime", runtime, config=_config(output))
        assert app.eval("window.__vdp_bridge.invoke('get_app_info')")["runtime"] == runtime

        task_id = _start_stalled_download(app, server)
        row = f"[data-testid=task-row][data-task-id='{task_id}']"
        percent = app.eval(f"document.querySelector(\"{row} [data-testid=row-percent]\").textContent")
        assert percent.endswith("%") and percent != "0%", percent
        width, height = app.screenshot(artifacts / f"download-{runtime}-in-progress.png")
        assert (width, height) == tuple(app.eval("[window.innerWidth, window.innerHeight]"))

        app.click(f"{row} [data-testid=row-pause]")
        app.wait_for(f"document.querySelector(\"{row}\").dataset.status === 'Paused'")
        sent_before_resume = server.stats("/clip.bin").bytes_sent

        server.gate("/clip.bin").open()
        app.click(f"{row} [data-testid=row-resume]")
        app.wait_for(f"document.querySelector(\"{row}\").dataset.status === 'Completed'", timeout=60)
        assert app.eval(f"document.querySelector(\"{row} [data-testid=row-percent]\").textContent") == "100%"
        app.screenshot(artifacts / f"download-{runtime}-completed.png")

        stats = server.stats("/clip.bin")
        assert stats.bytes_sent - sent_before_resume < SIZE, "resume started over instead of continuing"
        resumed_from = stats.ranges[-1]
        assert resumed_from is not None and not resumed_from.startswith("bytes=0-"), stats.ranges

    assert sorted(p.name for p in output.iterdir()) == ["clip.bin"]
    assert sha256_of(output / "clip.bin") == sha256_of(data)
    _assert_png(artifacts / f"download-{runtime}-completed.png")


def test_sigterm_pauses_running_tasks_and_saves_the_window(launch: Launch, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "window.json").write_text(json.dumps({"width": 1000, "height": 700, "x": 30, "y": 40}))
    with FaultServerThread() as server:
        server.add_file("/clip.bin", make_payload(SIZE, seed=8), rate=RATE, stall_after=STALL)
        app = launch(data_dir=data_dir, config=_config(tmp_path / "out"))
        assert app.eval("[window.innerWidth, window.innerHeight]") == [1000, 700]  # the remembered size
        task_id = _start_stalled_download(app, server)

        assert app.terminate() == 0, app.log_tail()

    listed = run_cli(data_dir, "list")
    assert listed.returncode == 0, listed.stderr
    (line,) = [line for line in listed.stdout.splitlines() if line.startswith(task_id)]
    assert line.split("\t")[1] == "Paused", line
    downloaded = int(line.split("\t")[2].split("/")[0])
    assert downloaded >= STALL, line  # what arrived before the signal was kept
    saved = json.loads((data_dir / "window.json").read_text())
    assert (saved["width"], saved["height"]) == (1000, 700), saved


def _assert_png(path: Path) -> None:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    assert int.from_bytes(head[16:20], "big") > 0 and int.from_bytes(head[20:24], "big") > 0

"""The HTTP engine against a real fault-injecting server: every completed file is compared by SHA-256."""

from __future__ import annotations

import asyncio
import gzip
import logging
import threading
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import ErrorCode, TaskStatus
from vdp.engines.http import engine as http_engine
from vdp.runtime import runtime as runtime_module

from .pausing import pause_midway_then_finish

MIB = 1 << 20


async def _ok(kit: AppKit, url: str, expected: bytes) -> Path:
    task = await kit.download(url)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    path = Path(task.file_path)
    assert sha256_of(path) == sha256_of(expected)
    assert not list(path.parent.glob("*.part")), "no partial file is left behind"
    return path


@pytest.mark.parametrize("connections", [1, 4, 8])
async def test_range_capable_file_uses_up_to_n_connections(kit: AppKit, server: FaultServer, connections: int) -> None:
    await kit.configure(max_connections_per_download=connections)
    data = make_payload(24 * MIB, seed=connections)
    server.add_file("/big.bin", data, rate=24 * MIB)
    await _ok(kit, server.url("/big.bin"), data)
    stats = server.stats("/big.bin")
    assert stats.max_concurrent <= connections
    assert (stats.max_concurrent > 1) == (connections > 1)


async def test_server_that_ignores_ranges(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(8 * MIB)
    server.add_file("/f.bin", data, ranges="ignore", accept_ranges=False)
    await _ok(kit, server.url("/f.bin"), data)
    assert server.stats("/f.bin").requests == 1


async def test_wrong_content_range_never_stitches_a_file(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(8 * MIB, seed=2)
    server.add_file("/f.bin", data, ranges="wrong")
    await _ok(kit, server.url("/f.bin"), data)


async def test_etag_change_mid_download_restarts_from_zero(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(max_connections_per_download=4)
    old, new = make_payload(8 * MIB, seed=3), make_payload(8 * MIB, seed=4)
    server.add_file("/f.bin", old, change_after=1, changed_data=new, rate=16 * MIB)
    task_id = await kit.add(server.url("/f.bin"))
    await kit.call("start_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(new)
    assert "resume_invalidated" in [w.code.value for w in kit.warnings(task_id)]


@pytest.mark.parametrize("fault", [{"short_body_after": 3 * MIB}, {"reset_after": 2 * MIB}])
async def test_a_broken_body_is_resumed_not_restarted(kit: AppKit, server: FaultServer, fault: dict) -> None:
    await kit.configure(max_connections_per_download=1)
    data = make_payload(6 * MIB, seed=5)
    server.add_file("/f.bin", data, fault_requests=range(0, 1), **fault)
    await _ok(kit, server.url("/f.bin"), data)
    ranges = server.stats("/f.bin").ranges
    assert ranges[0] == "bytes=0-" and ranges[1] != "bytes=0-"


async def test_a_request_that_hangs_once_times_out_and_is_retried(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(timeout_seconds=1)
    data = make_payload(MIB, seed=6)
    server.add_file("/f.bin", data, hang_first=1)
    await _ok(kit, server.url("/f.bin"), data)
    assert "retrying" in [w.code.value for w in kit.warnings()]


async def test_a_stalled_server_fails_with_a_timeout_after_the_retries(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(timeout_seconds=1, retry_attempts=1)
    server.add_file("/f.bin", make_payload(2 * MIB), stall_after=256 << 10)
    task = await kit.download(server.url("/f.bin"))
    assert task.status == TaskStatus.FAILED and "timed out" in task.error_message
    resume = await kit.app.repo.load_resume(task.id)
    assert resume.durable_bytes == 512 << 10, "each attempt kept what it received"
    ranges = server.stats("/f.bin").ranges
    assert ranges[0] == "bytes=0-" and ranges[1].startswith(f"bytes={256 << 10}-")


async def test_429_with_retry_after_is_honoured(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(MIB, seed=7)
    server.add_file("/f.bin", data, fail_statuses=[429], retry_after="1")
    await _ok(kit, server.url("/f.bin"), data)
    (warning,) = [w for w in kit.warnings() if w.code.value == "retrying"]
    assert "in 1.0s" in warning.message and "429" in warning.message


async def test_redirect_chain_and_expiring_redirects(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(max_connections_per_download=4)
    data = make_payload(8 * MIB, seed=8)
    server.add_file("/real/video.mp4", data, rate=32 * MIB)
    server.add_redirect("/hop2", "/real/video.mp4", redirect_uses=1)
    server.add_redirect("/hop1", "/hop2", redirect_status=301)
    path = await _ok(kit, server.url("/hop1"), data)
    assert path.name == "video.mp4"


async def test_a_web_page_instead_of_the_file_fails_clearly(kit: AppKit, server: FaultServer) -> None:
    server.add_file("/video.mp4", make_payload(MIB), html=True)
    task = await kit.download(server.url("/video.mp4"))
    assert task.status == TaskStatus.FAILED and "web page instead of the file" in task.error_message
    assert not kit.out.exists()  # refused before anything was claimed: not even the folder is made


@pytest.mark.parametrize(("header", "name"), [
    ("attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87%20%E8%AF%BE.mp4", "中文 课.mp4"),
    ('attachment; filename="../../escape.sh"', "escape.sh"),
    ('attachment; filename="CON.txt"', "_CON.txt"),
    ('inline; filename="a:b*c?.bin"', "a_b_c_.bin"),
])
async def test_content_disposition_names_stay_inside_the_folder(kit: AppKit, server: FaultServer, header: str,
                                                                name: str) -> None:
    data = make_payload(64 << 10, seed=9)
    server.add_file("/dl", data, content_disposition=header)
    path = await _ok(kit, server.url("/dl"), data)
    assert path.name == name and path.parent == kit.out.resolve()


async def test_same_name_twice_gets_a_numbered_name(kit: AppKit, server: FaultServer) -> None:
    one, two = make_payload(1000, seed=1), make_payload(1000, seed=2)
    server.add_file("/a/clip.mp4", one)
    server.add_file("/b/clip.mp4", two)
    first = await _ok(kit, server.url("/a/clip.mp4"), one)
    second = await _ok(kit, server.url("/b/clip.mp4"), two)
    assert (first.name, second.name) == ("clip.mp4", "clip (1).mp4")


async def test_no_content_length(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(3 * MIB, seed=10)
    server.add_file("/f.bin", data, framing="chunked")
    path = await _ok(kit, server.url("/f.bin"), data)
    assert path.stat().st_size == len(data)


async def test_gzip_content_encoding_is_stored_as_served(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(MIB, seed=11)
    server.add_file("/f.bin", data, gzip=True)
    path = await _ok(kit, server.url("/f.bin"), server.body("/f.bin"))
    assert gzip.decompress(path.read_bytes()) == data


@pytest.mark.parametrize("limit", [{"max_connections": 1, "over_limit": 503},
                                   {"max_connections": 2, "over_limit": "reset"}, {"max_requests": 1}])
async def test_servers_that_allow_few_connections_still_complete(kit: AppKit, server: FaultServer, limit: dict) -> None:
    await kit.configure(max_connections_per_download=8)
    data = make_payload(16 * MIB, seed=12)
    server.add_file("/f.bin", data, rate=32 * MIB, **limit)
    await _ok(kit, server.url("/f.bin"), data)


async def test_server_closing_idle_keepalive_connections(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(2 * MIB, seed=13)
    server.add_file("/f.bin", data, close_after_response=True)
    await _ok(kit, server.url("/f.bin"), data)
    await _ok(kit, server.url("/f.bin?again=1"), data)


@pytest.mark.parametrize("connections", [1, 4, 8])
async def test_pause_and_resume_at_n_connections_is_byte_identical(kit: AppKit, server: FaultServer,
                                                                     connections: int) -> None:
    await kit.configure(max_connections_per_download=connections)
    data = make_payload(16 * MIB, seed=20 + connections)
    server.add_file("/f.bin", data, rate=8 * MIB)
    await pause_midway_then_finish(kit, server, "/f.bin", data, sent=4 * MIB)


async def test_user_agent_and_custom_headers_from_the_config_reach_the_server(kit: AppKit, server: FaultServer) -> None:
    await kit.configure(user_agent="VDP-Test/1.0", headers={"X-Course-Token": "abc"})
    data = make_payload(1000, seed=30)
    server.add_file("/f.bin", data)
    await _ok(kit, server.url("/f.bin"), data)
    (headers,) = server.stats("/f.bin").request_headers
    assert headers["user-agent"] == "VDP-Test/1.0" and headers["x-course-token"] == "abc"
    assert headers["accept-encoding"] == "identity"


async def test_a_download_under_a_global_rate_limit(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(256 << 10, seed=31)
    server.add_file("/f.bin", data)
    assert await kit.call("set_rate_limit", bytesPerSecond=1 << 20) == 1 << 20
    assert await kit.call("get_rate_limit") == 1 << 20
    await _ok(kit, server.url("/f.bin"), data)
    assert await kit.call("set_rate_limit", bytesPerSecond=None) is None


async def test_a_pause_while_a_read_waits_for_the_speed_limit_keeps_all_it_counted(kit: AppKit,
                                                                                   server: FaultServer) -> None:
    """Under a limit a read is let through in slices, each counted as it passes. A pause in the middle of one keeps
    the whole read: before, the part already counted was dropped, so the progress shown at the pause was more than
    the pause kept, and went back at the resume."""
    await kit.configure(max_connections_per_download=1)
    data = make_payload(4 * MIB, seed=33)
    server.add_file("/f.bin", data)
    await kit.call("set_rate_limit", bytesPerSecond=256 << 10)  # reads come at once; letting them through takes long
    await pause_midway_then_finish(kit, server, "/f.bin", data, sent=1 * MIB,
                                   before_resume=lambda: kit.call("set_rate_limit", bytesPerSecond=None))


@pytest.mark.parametrize("budget", [3, 32])
async def test_downloads_together_stay_within_the_connection_budget(kit: AppKit, server: FaultServer,
                                                                   budget: int) -> None:
    """Two segmented downloads of 8 connections each: extra connections are leased from one shared budget, and
    each download always keeps its own."""
    await kit.configure(max_connections_per_download=8, max_total_connections=budget, concurrent_downloads=2)
    files = [make_payload(16 * MIB, seed=60 + n) for n in range(2)]
    ids = []
    for n, data in enumerate(files):
        server.add_file(f"/budget{n}.bin", data, rate=8 * MIB)
        ids.append(await kit.add(server.url(f"/budget{n}.bin")))
    await kit.call("start_all_downloads", outputPath=str(kit.out))
    for task_id, data in zip(ids, files):
        task = await kit.finish(task_id)
        assert task.status == TaskStatus.COMPLETED, task.error_message
        assert sha256_of(Path(task.file_path)) == sha256_of(data)
    assert kit.app.services is not None and kit.app.services.connections.in_use == 0  # every lease came back
    if budget == 3:
        assert 2 <= server.max_active <= 3
    else:  # the control: without a tight budget the same downloads open more
        assert server.max_active > 3


async def test_a_pause_forced_while_the_file_is_being_claimed_leaves_no_orphan(
        kit: AppKit, server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The claim runs in a thread that cannot be stopped. A pause forced meanwhile (the engine did not acknowledge it
    in time) waits for the thread, then removes the partial file no checkpoint names yet: nothing else ever would."""
    loop = asyncio.get_running_loop()
    claiming, forced, release = asyncio.Event(), asyncio.Event(), threading.Event()
    real = http_engine.preallocate

    def held(fd, total):  # type: ignore[no-untyped-def]
        loop.call_soon_threadsafe(claiming.set)
        release.wait(30)
        return real(fd, total)

    class Forced(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "did not acknowledge its stop" in record.getMessage():
                forced.set()

    watcher = Forced()
    logging.getLogger("vdp.runtime").addHandler(watcher)
    monkeypatch.setattr(http_engine, "preallocate", held)
    monkeypatch.setattr(runtime_module, "STOP_ACK_DEADLINE", 0.05)
    data = make_payload(2 * MIB, seed=70)
    server.add_file("/claim.bin", data)
    task_id = await kit.add(server.url("/claim.bin"))
    try:
        await kit.call("start_download", taskId=task_id)
        await claiming.wait()
        pause = asyncio.ensure_future(kit.call("pause_download", taskId=task_id))
        await forced.wait()
        release.set()
        await pause
    finally:
        release.set()
        logging.getLogger("vdp.runtime").removeHandler(watcher)
    assert kit.task(task_id).status == TaskStatus.PAUSED
    assert list(kit.out.iterdir()) == []

    monkeypatch.setattr(http_engine, "preallocate", real)
    await kit.call("resume_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_a_missing_course_folder_is_made_when_the_first_file_is_claimed(kit: AppKit, server: FaultServer) -> None:
    data = make_payload(MIB, seed=21)
    server.add_file("/lesson.mp4", data)
    folder = kit.out / "Python 异步编程" / "第1章"
    task_id = await kit.add(server.url("/lesson.mp4"), output=folder)
    await kit.call("start_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert (folder / "lesson.mp4").read_bytes() == data


async def test_a_folder_that_cannot_be_made_fails_the_task_with_a_clear_error(kit: AppKit, server: FaultServer) -> None:
    server.add_file("/lesson.mp4", make_payload(MIB, seed=22))
    blocker = kit.out / "not-a-folder"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_bytes(b"a file where the course folder would go")
    task_id = await kit.add(server.url("/lesson.mp4"), output=blocker / "course")
    await kit.call("start_download", taskId=task_id)
    task = await kit.finish(task_id)
    assert task.status == TaskStatus.FAILED and task.error_code == ErrorCode.IO_ERROR, task.error_message
    assert "course" in (task.error_message or "")  # it names the folder it could not make
    assert blocker.read_bytes() == b"a file where the course folder would go"

"""Malformed answers (a NUL in a header, data after `Connection: close`) are a retryable `protocol_error` with a
human message everywhere a request is made: link probes (`add_urls`, `vdp get`) and transfers. Real fault server."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import ErrorCode, TaskStatus

MODES = ["nul_header", "data_after_close"]


@pytest.mark.parametrize("mode", MODES)
async def test_a_malformed_answer_is_retried_and_the_download_completes(kit: AppKit, server: FaultServer,
                                                                        mode: str) -> None:
    data = make_payload(50_000, seed=11)
    server.add_file("/clip.mp4", data, malformed=mode, fault_requests=range(0, 1))
    task = await kit.download(server.url("/clip.mp4"))
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)
    (retry,) = [w for w in kit.warnings(task.id) if w.code == ErrorCode.RETRYING]
    assert "malformed answer" in retry.message


@pytest.mark.parametrize("mode", MODES)
async def test_a_link_that_always_answers_malformed_fails_classified_after_its_retries(
        kit: AppKit, server: FaultServer, mode: str) -> None:
    server.add_file("/clip.mp4", make_payload(1000, seed=12), malformed=mode)
    task = await kit.download(server.url("/clip.mp4"))
    assert task.status == TaskStatus.FAILED
    assert (task.error_message or "").startswith("The server sent a malformed answer"), task.error_message
    assert "Internal" not in (task.error_message or "") and "Traceback" not in (task.error_message or "")
    assert len([w for w in kit.warnings(task.id) if w.code == ErrorCode.RETRYING]) == 2  # the kit allows 2


async def test_one_malformed_link_among_four_never_fails_the_batch(kit: AppKit, server: FaultServer) -> None:
    for name in ("a", "b", "c"):
        server.add_file(f"/{name}", make_payload(1000, seed=ord(name)))
    server.add_file("/bad", make_payload(1000, seed=13), malformed="nul_header")
    urls = [server.url(p) for p in ("/a", "/bad", "/b", "/c")]
    added = await kit.call("add_urls", urls=urls, outputPath=str(kit.out))
    assert [t["url"] for t in added] == urls
    bad = added[1]
    assert bad["downloader_type"] == "Http" and "protocol_error" in bad["routing_reason"]
    assert all("could not inspect" not in t["routing_reason"] for t in added if t is not bad)


async def test_vdp_get_prints_a_failed_line_not_a_traceback(tmp_path: Path) -> None:
    from tests.support.fault_server import FaultServerThread

    (tmp_path / "data").mkdir()
    # No retries: a malformed answer is worth retrying, and the product's waits (2 + 4 + 8 s) would only slow this.
    (tmp_path / "data" / "config.json").write_text('{"download": {"retry_attempts": 0}}')
    with FaultServerThread() as server:
        server.add_file("/bad", make_payload(1000, seed=14), malformed="data_after_close")
        server.add_file("/good.bin", make_payload(1000, seed=15))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "get", server.url("/bad"),
            server.url("/good.bin"), "-o", str(tmp_path / "out"), "--json",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(process.communicate(), 120)
    stderr = err.decode()
    assert process.returncode == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    (failed,) = [line for line in stderr.splitlines() if line.startswith("FAILED")]
    assert server.url("/bad") in failed and "malformed answer" in failed
    assert (tmp_path / "out" / "good.bin").is_file()


async def test_an_hls_segment_answered_malformed_once_is_fetched_again(kit: AppKit, server: FaultServer) -> None:
    segments = [make_payload(20_000, seed=40 + i) for i in range(3)]
    playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n" + "".join(
        f"#EXTINF:4,\ns{i}.ts\n" for i in range(3)) + "#EXT-X-ENDLIST\n"
    server.add_file("/show/index.m3u8", playlist.encode(), content_type="application/vnd.apple.mpegurl")
    for i, body in enumerate(segments):
        server.add_file(f"/show/s{i}.ts", body, content_type="video/mp2t",
                        malformed="nul_header" if i == 1 else None, fault_requests=range(0, 1))
    task = await kit.download(server.url("/show/index.m3u8"))
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert Path(task.file_path).read_bytes() == b"".join(segments)
    assert server.stats("/show/s1.ts").requests == 2  # the malformed answer was retried, not fatal

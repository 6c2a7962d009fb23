"""Security review checks (docs/security.md): secrets stay out of logs and diagnostics, only http(s) links reach
the engines, TLS verification is on by default. (Server-mode token and origin checks: tests/bridge.)"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from vdp.app import Application
from vdp.errors import VdpError
from vdp.redact import RedactingFilter, redact

SECRET = "hunter2-S3cret"


@pytest.mark.parametrize("text, hidden", [
    (f"GET http://alice:{SECRET}@cdn.example/v.mp4 failed", SECRET),
    (f"proxy socks5://bob:{SECRET}@10.0.0.1:1080", SECRET),
    (f"https://cdn.example/v.m3u8?id=3&token={SECRET}&x=1", SECRET),
    (f"https://s3.example/o?X-Amz-Signature={SECRET}", SECRET),
    (f"Playlist https://alice@cdn.example/p.m3u8?sig={SECRET}", "alice"),
])
def test_redact_masks_url_credentials_and_signed_url_tokens(text: str, hidden: str) -> None:
    masked = redact(text)
    assert hidden not in masked and "***" in masked
    assert "cdn.example" in masked or "10.0.0.1" in masked or "s3.example" in masked  # still useful to read


def test_the_filter_masks_formatted_arguments(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("vdp.test-redaction")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("failed %s", f"http://u:{SECRET}@h/x")
    assert SECRET not in caplog.text and "http://***@h/x" in caplog.text


async def test_a_failing_download_with_credentials_in_its_url_logs_no_secret(tmp_path, server: FaultServer) -> None:
    server.add_file("/index.m3u8", b"not a playlist", content_type="application/vnd.apple.mpegurl")
    # `sig`, not `token`: the fault server reserves `token`.
    url = server.url("/index.m3u8").replace("http://", f"http://viewer:{SECRET}@") + f"?sig={SECRET}"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "get", url, "-o", str(tmp_path / "out"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    log = err.decode()
    assert proc.returncode == 1 and "Not an HLS playlist" in log, log[-2000:]  # the failure was logged...
    assert SECRET not in log and "viewer" not in log  # ...without the credentials


async def test_diagnostics_never_carry_the_proxy_password(kit: AppKit) -> None:
    config = kit.app.config.model_copy(deep=True)
    config.advanced.proxy_username, config.advanced.proxy_password = "proxyuser", SECRET
    await kit.call("update_config", newConfig=config.model_dump(mode="json"))
    for command in ("debug_runtime_dump", "health", "get_app_info", "download_runtime_state", "get_session_summary",
                    "get_download_stats", "get_system_info"):
        assert SECRET not in json.dumps(await kit.call(command)), command


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://h/x.mp4", "data:text/html,x",
                                 "//no-scheme/x.mp4", "http:///nohost", "c:\\videos\\a.mp4"])
async def test_only_http_links_become_tasks(kit: AppKit, url: str) -> None:
    with pytest.raises(VdpError, match="Only http"):
        await kit.call("add_urls", urls=[url])
    task = {"id": "x", "url": url, "title": "t", "output_path": "/tmp"}
    assert await kit.call("add_download_tasks", tasks=[task]) == []
    assert await kit.call("validate_url", url=url) is False
    assert await kit.call("get_download_tasks") == []


def test_tls_verification_is_on_by_default(tmp_path) -> None:
    from vdp.paths import AppPaths

    app = Application(AppPaths.resolve(str(tmp_path / "data")))
    assert app._verify_tls is True

"""Server mode over real HTTP and WebSocket: the token, the origin check, limits, and the UI files."""

from __future__ import annotations

import asyncio
import json
import sys

import aiohttp
import pytest

from tests.support.appkit import AppKit
from vdp.bridge.server import ServerMode


def _base(server: ServerMode) -> str:
    return f"http://127.0.0.1:{server.port}"


async def test_invoke_needs_the_token(served: ServerMode) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{_base(served)}/api/invoke/get_config") as response:
            assert response.status == 401
            assert "token" in (await response.json())["error"]
        async with http.post(f"{_base(served)}/api/invoke/get_config",
                             headers={"Authorization": "Bearer wrong"}) as response:
            assert response.status == 401
        async with http.post(f"{_base(served)}/api/invoke/get_config",
                             headers={"Authorization": "Bearer secret-token"}) as response:
            assert response.status == 200
            assert (await response.json())["advanced"]["download_runtime_v2"] is True
            assert "Access-Control-Allow-Origin" not in response.headers


async def test_errors_are_the_original_text_and_a_code_with_a_status(served: ServerMode) -> None:
    headers = {"Authorization": "Bearer secret-token"}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(f"{_base(served)}/api/invoke/start_download", json={"taskId": "x"}) as response:
            assert response.status == 400
            assert await response.json() == {"error": "Failed to start download: Download error: Task not found: x",
                                              "code": "task_not_found"}
        async with http.post(f"{_base(served)}/api/invoke/get_config", data=b"{not json") as response:
            assert response.status == 400
            assert (await response.json())["code"] == "invalid_json"
        async with http.post(f"{_base(served)}/api/invoke/no_such_command") as response:
            assert response.status == 404
            assert await response.json() == {"error": "Unknown command: no_such_command", "code": "unknown_command"}
        async with http.post(f"{_base(served)}/api/invoke/get_config", data=b"x" * (9 << 20)) as response:
            assert response.status == 413
            assert (await response.json())["code"] == "request_too_large"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{_base(served)}/api/invoke/get_config") as response:
            assert response.status == 401
            assert (await response.json())["code"] == "unauthorized"


async def test_events_arrive_over_the_websocket_and_origins_are_checked(served: ServerMode, kit: AppKit) -> None:
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(f"{_base(served)}/api/events")
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(f"{_base(served)}/api/events?token=secret-token", origin="http://evil.example")
        async with http.ws_connect(f"{_base(served)}/api/events?token=secret-token", origin=_base(served)) as ws:
            await kit.call("add_download_tasks", tasks=[{"id": "t1", "url": "http://127.0.0.1:9/a.mp4", "title": "a",
                                                          "output_path": str(kit.out), "status": "pending"}])
            batch = json.loads((await asyncio.wait_for(ws.receive(), 10)).data)
            assert batch[0]["event"] == "task_added" and batch[0]["payload"]["id"] == "t1"
            assert batch[0]["payload"]["status"] == "Pending"


async def test_the_ui_is_served_with_a_strict_policy_and_no_path_escapes(served: ServerMode) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{_base(served)}/") as response:
            assert response.status == 200
            assert "Video Downloader Pro" in await response.text()
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        async with http.get(f"{_base(served)}/..%2f..%2fpyproject.toml") as response:
            assert response.status == 404


async def test_a_public_address_needs_an_explicit_flag() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "serve", "--host", "0.0.0.0", stderr=asyncio.subprocess.PIPE)
    _, err = await process.communicate()
    assert process.returncode == 2 and b"--allow-remote" in err

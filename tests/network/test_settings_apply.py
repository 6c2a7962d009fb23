"""Settings that affect transfers apply to the very next request after `update_config`, the first change after
start included, proven through real proxies (pproxy in a child process) and the real fault server."""

from __future__ import annotations

from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from tests.support.proxy import RealProxy, dead_proxy_url
from vdp.contract import AppConfig, ErrorCode, TaskStatus


@pytest.fixture
async def fresh(tmp_path: Path) -> AsyncIterator[AppKit]:
    """An app whose settings were never changed since start (the kit fixture's own configure would hide D2)."""
    async with running_app(tmp_path / "data") as app_kit:
        yield app_kit


async def _update(kit: AppKit, *, advanced: dict[str, Any] | None = None, **download: Any) -> None:
    config = kit.app.config.model_copy(deep=True)
    for key, value in download.items():
        setattr(config.download, key, value)
    for key, value in (advanced or {}).items():
        setattr(config.advanced, key, value)
    await kit.call("update_config", newConfig=config.model_dump(mode="json"))


def _origin(server: FaultServer) -> str:
    return server.url("/").split("/")[2]  # host:port as the proxy logs its target


@pytest.mark.parametrize("scheme", ["http", "socks5"])
@pytest.mark.parametrize("credentials", [None, ("course", "s3cret:/@")])
async def test_the_first_change_of_proxy_and_user_agent_applies_to_the_next_download(
        fresh: AppKit, server: FaultServer, scheme: str, credentials: tuple[str, str] | None) -> None:
    data = make_payload(200_000, seed=1)
    server.add_file("/f.bin", data)
    async with RealProxy(scheme, credentials=credentials) as proxy:  # type: ignore[arg-type]
        if credentials and scheme == "socks5":  # the advanced fields, as the original's settings hold a proxy
            await _update(fresh, user_agent="VDP-First-Change/1", advanced={
                "enable_proxy": True, "proxy_type": scheme, "proxy_host": "127.0.0.1", "proxy_port": proxy.port,
                "proxy_username": credentials[0], "proxy_password": credentials[1]})
        else:
            await _update(fresh, user_agent="VDP-First-Change/1",
                          proxy=proxy.url.replace(credentials[1], "s3cret%3A%2F%40") if credentials else proxy.url)
        task = await fresh.download(server.url("/f.bin"))
        assert task.status == TaskStatus.COMPLETED, task.error_message
        assert sha256_of(Path(task.file_path)) == sha256_of(data)
        assert _origin(server) in proxy.relayed, "the download went through the proxy"
        assert proxy.refused == []
    assert {h["user-agent"] for h in server.stats("/f.bin").request_headers} == {"VDP-First-Change/1"}


async def test_removing_the_proxy_applies_too(fresh: AppKit, server: FaultServer) -> None:
    server.add_file("/a.bin", make_payload(1000, seed=2))
    server.add_file("/b.bin", make_payload(1000, seed=3))
    async with RealProxy("http") as proxy:
        await _update(fresh, proxy=proxy.url)
        assert (await fresh.download(server.url("/a.bin"))).status == TaskStatus.COMPLETED
        relayed = len(proxy.relayed)
        assert relayed >= 1
        await _update(fresh, proxy=None)
        assert (await fresh.download(server.url("/b.bin"))).status == TaskStatus.COMPLETED
        assert len(proxy.relayed) == relayed, "the second download went direct"


async def test_headers_timeouts_connections_and_rate_apply_at_the_first_change(fresh: AppKit,
                                                                              server: FaultServer) -> None:
    await _update(fresh, headers={"X-Course": "42"}, timeout_seconds=7, connect_timeout_seconds=3,
                  max_total_connections=5, advanced={"rate_limit_mbps": 800})
    services = fresh.app.services
    assert services.http_client.timeout.read == 7 and services.http_client.timeout.connect == 3
    assert await fresh.call("get_rate_limit") == 100_000_000  # 800 Mbit/s
    server.add_file("/h.bin", make_payload(1000, seed=4))
    assert (await fresh.download(server.url("/h.bin"))).status == TaskStatus.COMPLETED
    assert server.stats("/h.bin").request_headers[0]["x-course"] == "42"
    leased = 0
    while services.connections.try_extra():  # nothing runs now: the whole budget of 5 can be leased
        leased += 1
        assert leased <= 5, "the budget was not resized"
    assert leased == 5
    for _ in range(leased):
        services.connections.release()


async def test_a_short_read_timeout_applies_at_the_first_change(fresh: AppKit, server: FaultServer) -> None:
    server.add_file("/slow.bin", make_payload(100_000, seed=5), stall_after=1000)
    await _update(fresh, timeout_seconds=1, retry_attempts=0)
    task = await fresh.download(server.url("/slow.bin"))
    assert task.status == TaskStatus.FAILED and "timed out" in (task.error_message or "")


async def test_a_proxy_that_is_down_is_a_retryable_proxy_problem(fresh: AppKit, server: FaultServer) -> None:
    server.add_file("/f.bin", make_payload(1000, seed=6))
    await _update(fresh, proxy=dead_proxy_url("http"), retry_attempts=1)
    task = await fresh.download(server.url("/f.bin"))
    assert task.status == TaskStatus.FAILED
    assert "Proxy problem: cannot connect to the proxy" in (task.error_message or "")
    assert [w.code for w in fresh.warnings(task.id) if w.code == ErrorCode.RETRYING], "retried once"
    assert server.stats("/f.bin").requests == 0


@pytest.mark.parametrize("scheme", ["http", "socks5"])
async def test_wrong_proxy_credentials_fail_at_once_with_a_clear_message(fresh: AppKit, server: FaultServer,
                                                                        scheme: str) -> None:
    server.add_file("/f.bin", make_payload(1000, seed=7))
    async with RealProxy(scheme, credentials=("course", "right")) as proxy:  # type: ignore[arg-type]
        await _update(fresh, proxy=proxy.url.replace("right", "wrong"), retry_attempts=2)
        task = await fresh.download(server.url("/f.bin"))
        assert task.status == TaskStatus.FAILED
        assert "Check the proxy's user name and password" in (task.error_message or "")
        assert not [w for w in fresh.warnings(task.id) if w.code == ErrorCode.RETRYING], "a wrong login is final"
        assert proxy.refused and proxy.relayed == []
    assert server.stats("/f.bin").requests == 0


async def test_the_services_compare_with_their_own_snapshot_not_the_callers_object() -> None:
    """The cause of D2: the runtime changed the very config object the services held, so they saw no change."""
    from vdp.engines.services import TransferServices

    config = AppConfig()
    services = TransferServices(config)
    try:
        first = services.http_client
        config.download.user_agent = "changed in place"  # what the runtime used to do
        services.configure(config)
        assert services.http_client is not first
        assert services.http_client.headers["user-agent"] == "changed in place"
    finally:
        await services.aclose()  # both clients: the first one is retired, not closed, by configure


async def test_link_probes_go_through_the_configured_proxy_too(fresh: AppKit, server: FaultServer) -> None:
    server.add_file("/watch", b"<html></html>", content_type="text/html")  # a path that does not decide the engine
    async with RealProxy("socks5") as proxy:
        await _update(fresh, proxy=proxy.url, user_agent="VDP-Probe/1")
        (added,) = await fresh.call("add_urls", urls=[server.url("/watch")], outputPath=str(fresh.out))
        assert "web page" in added["routing_reason"]
        assert _origin(server) in proxy.relayed
    assert {h["user-agent"] for h in server.stats("/watch").request_headers} == {"VDP-Probe/1"}

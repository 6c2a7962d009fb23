"""RampUp on its own, with explicit times: one more connection per interval while they are slow, none while fast."""

from __future__ import annotations

from vdp.engines.http.ramp import RampUp

MIB = 1 << 20


def test_nothing_is_due_before_the_download_starts_or_within_the_first_interval() -> None:
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    assert ramp.due_at == float("inf")
    ramp.start(10.0)
    assert ramp.due_at == 10.1


def test_slow_connections_bring_one_more_each_interval() -> None:
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    ramp.start(0.0)
    now = 0.0
    for connections in range(1, 5):  # each at 8 MiB/s, as a server that limits every connection serves
        now += 0.1
        ramp.received += int(8 * MIB * 0.1) * connections
        assert ramp.grow(now, connections)
        assert ramp.due_at == now + 0.1


def test_fast_connections_get_no_company() -> None:
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    ramp.start(0.0)
    ramp.received += 100 * MIB  # 1000 MiB/s on one connection: more would only cost CPU
    assert not ramp.grow(0.1, 1)


def test_the_rate_is_measured_per_interval_so_a_download_that_slows_down_grows_then() -> None:
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    ramp.start(0.0)
    ramp.received += 50 * MIB
    assert not ramp.grow(0.1, 1)
    ramp.received += MIB // 2  # 5 MiB/s in the next interval: the earlier burst does not count any more
    assert ramp.grow(0.2, 1)


def test_the_average_over_all_open_connections_decides() -> None:
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    ramp.start(0.0)
    ramp.received += int(100 * MIB * 0.1)  # 100 MiB/s in all: fast for one connection, slow for two
    assert ramp.grow(0.1, 2)
    ramp.received += int(100 * MIB * 0.1)
    assert not ramp.grow(0.2, 1)


def test_slow_connections_under_a_binding_rate_limit_get_no_company() -> None:
    """They are slow because the limit holds them back: another connection would only hold more unread data."""
    ramp = RampUp(interval=0.1, fast=64 * MIB)
    ramp.start(0.0)
    ramp.received += MIB // 10  # 1 MiB/s: slow
    assert not ramp.grow(0.1, 1, rate_limited=True)
    ramp.received += MIB // 10
    assert ramp.grow(0.2, 1)  # the limit lifted: the same slowness is the server's

"""How long a failing download keeps trying before it fails, with the product's retry delays."""

from __future__ import annotations

import pytest

from vdp.contract import DownloadConfig
from vdp.runtime import retry
from vdp.runtime.retry import RetryPolicy

pytestmark = pytest.mark.production_retry_delays


def test_the_default_retries_outlast_a_network_that_drops_for_ten_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Wi-Fi that reconnects or a server that restarts: with the default retries, even the shortest jitter keeps
    the task trying for more than 10 s (it used to give up after some 3 s, and a whole course failed with it)."""
    policy = RetryPolicy(max_attempts=DownloadConfig().retry_attempts)
    monkeypatch.setattr(retry.random, "uniform", lambda low, high: low)  # the shortest wait the jitter allows
    waits = [policy.delay(n) for n in range(1, policy.max_attempts + 1)]
    assert sum(waits) > 10
    assert waits == sorted(waits), "each retry waits longer than the one before"


def test_a_servers_retry_after_is_honoured_up_to_five_minutes() -> None:
    policy = RetryPolicy()
    assert policy.delay(1, retry_after=42.0) == 42.0
    assert policy.delay(1, retry_after=86_400.0) == 300.0

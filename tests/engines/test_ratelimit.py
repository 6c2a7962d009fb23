"""Token buckets: how long a batch is held back, read from the sleeps they ask for (no real waiting)."""

from __future__ import annotations

import pytest

from vdp.engines import ratelimit
from vdp.engines.ratelimit import RateLimits, TokenBucket


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    asked: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(ratelimit.asyncio, "sleep", fake_sleep)
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: 0.0)  # time stands still: only the debt counts
    return asked


async def test_unlimited_never_waits(sleeps: list[float]) -> None:
    await TokenBucket(None).consume(10 << 20)
    assert sleeps == []


async def test_a_batch_waits_for_its_share_of_the_rate(sleeps: list[float]) -> None:
    bucket = TokenBucket(1_000_000)
    await bucket.consume(500_000)
    await bucket.consume(500_000)
    assert sleeps == [pytest.approx(0.5), pytest.approx(1.0)]


async def test_the_rate_changes_at_run_time_and_both_buckets_apply(sleeps: list[float]) -> None:
    limits = RateLimits(2_000_000)
    task_bucket = TokenBucket(1_000_000)
    await limits.consume(task_bucket, 1_000_000)
    assert sleeps == [pytest.approx(1.0), pytest.approx(0.5)]
    limits.global_bucket.set_rate(None)
    await limits.consume(None, 1_000_000)
    assert len(sleeps) == 2

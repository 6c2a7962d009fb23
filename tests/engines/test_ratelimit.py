"""Token buckets: credit, the line of waiters, and changes of rate that wake every waiter at once.

Nothing here measures time: a wait that would last an hour ending on a change is the proof (with a generous hang
guard), and credit is read with the bucket's clock held still."""

from __future__ import annotations

import asyncio

import pytest

from vdp.engines import ratelimit
from vdp.engines.ratelimit import BURST_SECONDS, RateLimits, TokenBucket, rate_limit_bytes

AN_HOUR_AT_64K = 65_536 * 3600
GUARD = 10.0  # seconds: a hang guard, not a measurement


async def _waiting(bucket: TokenBucket, count: int, nbytes: int) -> list[asyncio.Task[None]]:
    tasks = [asyncio.create_task(bucket.consume(nbytes)) for _ in range(count)]
    while bucket.waiting < count:  # each enters the line at its first step
        await asyncio.sleep(0)
    return tasks


def test_the_setting_counts_megabits_per_second_the_unit_the_contract_declares() -> None:
    """The UI reads the unit from the contract (frontend/src/features/settings/rateLimit.test.ts checks its label)."""
    from vdp.contract import AdvancedConfig

    assert AdvancedConfig.model_fields["rate_limit_mbps"].json_schema_extra == {"unit": "Mbit/s"}
    assert rate_limit_bytes(8) == 1_000_000
    assert rate_limit_bytes(2) == 250_000
    assert rate_limit_bytes(None) is None


async def test_unlimited_never_waits() -> None:
    bucket = TokenBucket(None)
    await bucket.consume(10 << 30)
    assert bucket.waiting == 0 and not bucket.holding(1.0)


async def test_idle_credit_is_at_most_a_tenth_of_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    bucket = TokenBucket(1_000_000)
    now[0] += 60  # a minute idle saves up no more than the burst
    await bucket.consume(int(1_000_000 * BURST_SECONDS))  # passes at once
    assert bucket.waiting == 0
    (late,) = await _waiting(bucket, 1, 1)  # the credit is spent: one byte more waits
    assert bucket.holding(0.0)
    bucket.set_rate(None)
    await asyncio.wait_for(late, GUARD)


async def test_lifting_the_limit_wakes_every_waiter_at_once() -> None:
    bucket = TokenBucket(65_536)
    waiters = await _waiting(bucket, 8, AN_HOUR_AT_64K)
    bucket.set_rate(None)
    await asyncio.wait_for(asyncio.gather(*waiters), GUARD)
    assert bucket.waiting == 0


async def test_a_higher_rate_applies_to_those_already_waiting() -> None:
    bucket = TokenBucket(1)  # a byte per second: the waits below would last for weeks
    waiters = await _waiting(bucket, 4, 1_000_000)
    bucket.set_rate(10 << 30)
    await asyncio.wait_for(asyncio.gather(*waiters), GUARD)


async def test_waiters_are_served_in_order_and_a_cancelled_one_leaves_the_line() -> None:
    bucket = TokenBucket(65_536)
    first, second, third = await _waiting(bucket, 3, AN_HOUR_AT_64K)
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    assert bucket.waiting == 2 and not second.done() and not third.done()
    bucket.set_rate(None)
    await asyncio.wait_for(asyncio.gather(second, third), GUARD)


async def test_no_debt_survives_a_change_of_rate() -> None:
    """A batch far larger than the old rate could pay never delays anyone once the rate allows it."""
    bucket = TokenBucket(65_536)
    (big,) = await _waiting(bucket, 1, AN_HOUR_AT_64K * 24)
    bucket.set_rate(None)
    await asyncio.wait_for(big, GUARD)
    bucket.set_rate(10 << 30)
    await asyncio.wait_for(bucket.consume(1 << 20), GUARD)  # 0.1 ms of the new rate, not a day of the old


async def test_a_task_limit_and_the_global_one_both_apply_and_each_lifts_alone() -> None:
    limits = RateLimits(None)
    assert not limits.limited
    limits.set_task_rate("t1", 65_536)
    assert limits.limited and limits.task_rate("t1") == 65_536
    held = asyncio.create_task(limits.consume("t1", AN_HOUR_AT_64K))
    free = asyncio.create_task(limits.consume("t2", AN_HOUR_AT_64K))  # another task has no limit
    await asyncio.wait_for(free, GUARD)
    await asyncio.sleep(0)
    assert not held.done() and limits.holding("t1", 1.0) and not limits.holding("t2", 1.0)
    limits.set_task_rate("t1", None)
    await asyncio.wait_for(held, GUARD)
    assert not limits.limited and limits.task_rate("t1") is None


async def test_a_task_option_seeds_its_limit_but_never_overrides_a_live_one() -> None:
    limits = RateLimits(None)
    limits.seed("a", "100000")
    limits.seed("b", "not a number")
    limits.set_task_rate("c", 200_000)
    limits.seed("c", "100000")
    assert (limits.task_rate("a"), limits.task_rate("b"), limits.task_rate("c")) == (100_000, None, 200_000)


async def test_a_task_limit_lifted_live_stays_lifted_when_its_transfer_starts_again() -> None:
    limits = RateLimits(None)
    limits.seed("a", "100000")  # the first attempt
    limits.set_task_rate("a", None)  # the user lifts it
    limits.seed("a", "100000")  # a retry or a resume after a pause
    assert limits.task_rate("a") is None and not limits.limited


async def test_pace_lets_a_read_pass_in_slices_and_reports_each_as_it_passes() -> None:
    limits = RateLimits(10 << 30)  # fast enough never to wait long: only the slicing is looked at
    limits.set_task_rate("t1", 65_536)  # the tightest limit sets the slice: 1/20 s of it, at least 4 KiB
    seen: list[int] = []
    await asyncio.wait_for(limits.pace("t1", 10_000, seen.append), GUARD)
    assert seen == [4096, 4096, 1808]
    unlimited: list[int] = []
    await RateLimits(None).pace("t1", 1 << 20, unlimited.append)
    assert unlimited == [1 << 20]

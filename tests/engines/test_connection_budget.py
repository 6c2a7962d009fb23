"""ConnectionBudget on its own: first connections are never refused, extras wait their turn in order."""

from __future__ import annotations

import asyncio

from vdp.engines.budget import ConnectionBudget


async def _settle() -> None:
    for _ in range(3):
        await asyncio.sleep(0)  # let woken waiters run; no time passes


async def test_first_connections_are_counted_but_never_refused() -> None:
    budget = ConnectionBudget(1)
    async with budget.first(), budget.first():
        assert budget.in_use == 2
        assert not budget.try_extra()
    assert budget.in_use == 0


async def test_extras_wait_in_arrival_order_and_get_the_released_leases() -> None:
    budget = ConnectionBudget(2)
    assert budget.try_extra() and budget.try_extra()
    granted: list[str] = []

    async def wait(name: str) -> None:
        await budget.extra()
        granted.append(name)

    waiters = [asyncio.create_task(wait(name)) for name in "abc"]
    await _settle()
    assert granted == [] and budget.contended
    assert not budget.try_extra()  # a newcomer does not overtake the queue
    budget.release()
    await _settle()
    assert granted == ["a"]
    budget.release()
    budget.release()
    await asyncio.gather(*waiters)
    assert granted == ["a", "b", "c"] and budget.in_use == 2 and not budget.contended


async def test_a_larger_limit_wakes_waiters_at_once() -> None:
    budget = ConnectionBudget(1)
    assert budget.try_extra()
    waiters = [asyncio.create_task(budget.extra()) for _ in range(3)]
    await _settle()
    budget.resize(3)
    await asyncio.wait_for(asyncio.gather(*waiters[:2]), 5)
    assert budget.in_use == 3 and not waiters[2].done()
    waiters[2].cancel()


async def test_a_cancelled_waiter_gives_back_nothing_it_did_not_get() -> None:
    budget = ConnectionBudget(1)
    assert budget.try_extra()
    waiter = asyncio.create_task(budget.extra())
    await _settle()
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    budget.release()
    assert budget.in_use == 0 and not budget.contended
    await budget.extra()
    assert budget.in_use == 1
    budget.release()
    assert budget.in_use == 0


async def test_a_lease_granted_as_its_waiter_is_cancelled_goes_back() -> None:
    budget = ConnectionBudget(1)
    assert budget.try_extra()
    waiter = asyncio.create_task(budget.extra())
    await _settle()
    budget.release()  # hands the lease to the waiter...
    waiter.cancel()  # ...which is cancelled before it could run
    await asyncio.gather(waiter, return_exceptions=True)
    assert waiter.cancelled() and budget.in_use == 0

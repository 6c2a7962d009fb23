"""The full-collection budget (runtime/gc_policy.py): survivors of a full collection over the budget are frozen, so
the next one does not walk them; what was garbage at that collection is still collected, not frozen."""

from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from typing import Iterator, Optional

import pytest

from vdp.runtime.gc_policy import SurvivorFreezer


class _Node:
    def __init__(self) -> None:
        self.other: Optional[_Node] = None


def _in_generation_2(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects(2))


@pytest.fixture
def quiet_heap() -> Iterator[None]:
    """The test process's own objects frozen first, so generation 2 holds only what a test makes."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _installed(budget: int) -> Iterator[SurvivorFreezer]:
    freezer = SurvivorFreezer(budget=budget)
    freezer.install()
    try:
        yield freezer
    finally:
        freezer.remove()


def test_survivors_over_the_budget_are_frozen_and_the_garbage_before_is_collected(quiet_heap: None) -> None:
    with _installed(budget=1_000) as freezer:
        kept = [_Node() for _ in range(2_000)]
        first, second = _Node(), _Node()
        first.other, second.other = second, first  # a cycle nothing refers to: garbage for the next collection
        freed: list[bool] = []
        weakref.finalize(first, freed.append, True)
        del first, second
        frozen_before = gc.get_freeze_count()

        gc.collect()

        assert freed == [True]  # collected, not frozen with the survivors
        assert freezer.freezes == 1
        assert not _in_generation_2(kept[0]) and gc.get_freeze_count() >= frozen_before + len(kept)


def test_survivors_within_the_budget_stay_in_generation_2(quiet_heap: None) -> None:
    with _installed(budget=10_000) as freezer:
        kept = [_Node() for _ in range(2_000)]

        gc.collect()

        assert freezer.freezes == 0 and _in_generation_2(kept[0])


def test_a_removed_freezer_freezes_nothing(quiet_heap: None) -> None:
    freezer = SurvivorFreezer(budget=1)
    freezer.install()
    freezer.remove()
    kept = [_Node() for _ in range(10)]

    gc.collect()

    assert freezer.freezes == 0 and _in_generation_2(kept[0]) and freezer._on_collection not in gc.callbacks

"""What the cyclic garbage collector walks and frees: a diagnostic for `bench.run load --gc-census`.

    with GcCensus() as census:   # around the load
        ...
        census.take(f"{elapsed:.0f} s")   # now and then: what generation 2 holds, by type
    print(census.report())

A full (generation-2) collection walks every tracked object that is not frozen, so its pause grows with what
generation 2 holds; objects freed by it (unreachable cycles) add their finalisers' time. The census counts both:
`take` counts `gc.get_objects(2)` by type (the frozen objects are not in it), and during every generation-2
collection `gc.DEBUG_SAVEALL` is on, so what it found unreachable lands in `gc.garbage` to be counted by type
(and is kept there until the census ends: a diagnostic run only, its memory figures are not the app's). At the
end, `count_frozen_garbage` counts the cycles that died while frozen: what the app's freezing leaks.
Taking a census holds the loop for as long as listing the objects takes: never combine it with timed figures.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator, Optional

TOP = 12


def _name(obj: object) -> str:
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__


class GcCensus:
    def __init__(self) -> None:
        self.censuses: list[tuple[str, int, int, Counter[str]]] = []  # (label, frozen, in gen 2, by type)
        self.collections: list[dict[str, Any]] = []  # per generation-2 collection: seconds, freed by type
        self._started = (0.0, 0.0)  # wall and thread CPU clocks at the start of a generation-2 collection
        self._debug = 0
        self._garbage_before = 0  # len(gc.garbage) when the running generation-2 collection began
        self.frozen_garbage: Counter[str] = Counter()  # see count_frozen_garbage

    def __enter__(self) -> "GcCensus":
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_gc)
        gc.set_debug(self._debug)
        gc.garbage.clear()

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._debug = gc.get_debug()
            gc.set_debug(self._debug | gc.DEBUG_SAVEALL)
            self._garbage_before = len(gc.garbage)
            self._started = (time.perf_counter(), time.thread_time())
            return
        seconds, cpu = time.perf_counter() - self._started[0], time.thread_time() - self._started[1]
        gc.set_debug(self._debug)
        freed = Counter(_name(obj) for obj in gc.garbage[self._garbage_before:])
        # The saved garbage sits in generation 2 too (and in gc.garbage until the census ends): not a survivor.
        self.collections.append({"seconds": seconds, "cpu": cpu, "collected": info["collected"], "freed": freed,
                                 "survivors": len(gc.get_objects(2)) - len(gc.garbage),
                                 "frozen": gc.get_freeze_count()})

    def count_frozen_garbage(self) -> None:
        """What freezing kept from the collector: cycles among frozen objects that have died since they were frozen
        (the leak `gc.freeze` can cause). Unfreezes the heap for one collection and freezes it again: a long pause."""
        gc.collect()  # the garbage that is not frozen goes first, as usual
        gc.unfreeze()
        gc.set_debug(self._debug | gc.DEBUG_SAVEALL)
        before = len(gc.garbage)
        try:
            gc.collect()
            self.frozen_garbage = Counter(_name(obj) for obj in gc.garbage[before:])
        finally:
            gc.set_debug(self._debug)
            del gc.garbage[before:]
            gc.freeze()

    def take(self, label: str) -> None:
        held = gc.get_objects(2)
        self.censuses.append((label, gc.get_freeze_count(), len(held), Counter(_name(obj) for obj in held)))
        del held

    def report(self) -> str:
        lines = ["generation-2 census (frozen objects are not walked by any collection):"]
        for label, frozen, size, by_type in self.censuses:
            lines.append(f"  at {label}: {frozen:,} frozen, {size:,} in generation 2; by type:")
            lines += [f"    {count:9,}  {name}" for name, count in by_type.most_common(TOP)]
        # The runtime's SurvivorFreezer (runtime/gc_policy.py) runs before this census: survivors it froze are not
        # counted, the frozen total says so.
        lines.append("generation-2 collections (survivors = objects left in generation 2 after it, not frozen):")
        for i, c in enumerate(self.collections, 1):
            lines.append(f"  #{i}: {1000 * c['seconds']:.0f} ms ({1000 * c['cpu']:.0f} ms on a CPU), "
                         f"{c['collected']:,} unreachable, {c['survivors']:,} survivors, {c['frozen']:,} frozen; "
                         "unreachable by type:")
            lines += [f"    {count:9,}  {name}" for name, count in c["freed"].most_common(TOP)]
        lines.append(f"cycles that died frozen (never collected while frozen): {sum(self.frozen_garbage.values()):,} "
                     "objects; by type:")
        lines += [f"    {count:9,}  {name}" for name, count in self.frozen_garbage.most_common(TOP)]
        return "\n".join(lines)


@contextmanager
def census_reported(enabled: bool) -> Iterator[Optional[GcCensus]]:
    """`--gc-census` of the load benchmark: a GcCensus around the block (None when not asked), its report printed
    to stderr at the end."""
    if not enabled:
        yield None
        return
    census = GcCensus()
    try:
        with census:
            yield census
        census.count_frozen_garbage()
    finally:
        print(census.report(), file=sys.stderr, flush=True)

"""How long a full garbage collection may hold the event loop: a budget on what generation 2 holds.

A full (generation-2) collection walks every tracked object that is not frozen, holding the interpreter lock, so
its pause grows with what the app keeps alive: about 1 µs per object here (docs/benchmarks.md, "Where the loop
waited"). The runtime freezes the task list after start-up and after big adds (`gc.freeze()`); what is created
later and lives on (the details journal of every task that ran, tasks added a few at a time) would make each full
collection a little longer for as long as the app runs. So while the runtime runs, `SurvivorFreezer` watches the
end of every full collection: when it leaves more than `budget` objects in generation 2, they are frozen too, and
later collections walk only what is newer.

What that costs: a frozen object that dies by reference counting is freed as usual, but a reference cycle among
frozen objects is never collected (until the runtime stops and unfreezes). Only cycles alive at the moment of a
freeze can leak that way: the app's own transfers leave none (tests/runtime/test_reference_cycles.py); libraries
keep a few per open connection (asyncio's socket transport and its read callback refer to each other, about
0.6 KB), so a freeze leaks at most those of the connections open then and closed later: with 64 downloads about
40 KB, against the `budget` objects (megabytes) of genuine growth that had to accumulate before it. The leak is
bounded by a few per cent of the growth it keeps out of the collector's walk.
"""

from __future__ import annotations

import gc

FULL_COLLECTION_BUDGET = 20_000  # objects in generation 2 after a full collection: ≈ 20 ms of walking here


class SurvivorFreezer:
    """While installed, the survivors of a full collection are frozen when there are more than `budget`."""

    def __init__(self, budget: int = FULL_COLLECTION_BUDGET) -> None:
        self.budget = budget
        self.freezes = 0  # how often it froze (for the details of a long run)

    def install(self) -> None:
        if self._on_collection not in gc.callbacks:
            gc.callbacks.append(self._on_collection)

    def remove(self) -> None:
        if self._on_collection in gc.callbacks:
            gc.callbacks.remove(self._on_collection)

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        # At the end of a full collection generation 2 holds only survivors: unreachable cycles were just freed.
        if phase == "stop" and info["generation"] == 2 and len(gc.get_objects(2)) > self.budget:
            gc.freeze()
            self.freezes += 1

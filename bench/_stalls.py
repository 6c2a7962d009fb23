"""Where the event loop blocks: a watchdog thread samples the loop thread's stack while the loop is late.

    with StallWatch(threshold=0.020) as watch:   # inside the running loop
        ...
    print(watch.report())

The loop beats every `period` seconds (a self-rearming `call_later`). A beat later than `threshold` is a stall;
meanwhile the watchdog thread (woken every `sample_every` s) records what the loop thread is executing. A stall
inside C code that holds the GIL (a big `model_dump_json`, a sqlite3 call on the loop's thread) cannot be sampled
while it runs: the first sample after it shows the Python line that called it, taken late, so such stalls show as
few samples spread over a long stall.

On Linux each stall also says how the loop thread spent it (/proc/thread-self/schedstat): on a CPU, waiting in the
run queue for one (a busy machine: nothing the app can fix), or neither (asleep: blocked in I/O, or waiting for the
GIL another thread holds).
"""

from __future__ import annotations

import asyncio
import faulthandler
import gc
import json
import re
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Optional

_OWN = ("/vdp/", "/bench/", "/tests/support/")


@dataclass
class Stall:
    started: float  # monotonic time of the last beat before it
    seconds: float
    on_cpu: float = 0.0  # of those seconds, the loop thread ran on a CPU...
    runnable: float = 0.0  # ...or waited in the run queue for one (the rest it slept: I/O, the GIL)
    stacks: list[tuple[str, ...]] = field(default_factory=list)


def _schedstat() -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for one) of the calling thread so far; zeros where not available."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            on_cpu, waiting, _ = f.read().split()
        return int(on_cpu) / 1e9, int(waiting) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


class StallWatch:
    def __init__(self, threshold: float = 0.020, period: float = 0.005, sample_every: float = 0.002) -> None:
        self.threshold = threshold
        self.period = period
        self.sample_every = sample_every
        self.stalls: list[Stall] = []
        self._samples: dict[float, list[tuple[str, ...]]] = defaultdict(list)
        self._beat = time.monotonic()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._timer: Optional[asyncio.TimerHandle] = None
        self._loop_thread = threading.get_ident()
        # (generation, seconds, of which on a CPU) of each garbage collection: on a shared machine the wall time of
        # a collection includes waits for a CPU, its CPU time is what the collector itself cost
        self.collections: list[tuple[int, float, float]] = []
        self._gc_started = (0.0, 0.0)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = (time.perf_counter(), time.thread_time())
        else:
            wall, cpu = self._gc_started
            self.collections.append((info["generation"], time.perf_counter() - wall, time.thread_time() - cpu))

    def __enter__(self) -> "StallWatch":
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._beat = time.monotonic()
        self._sched = _schedstat()
        self._timer = self._loop.call_later(self.period, self._on_beat)
        self._thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        self._thread.start()
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._on_gc)
        self._stop.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._thread is not None:
            self._thread.join()

    def _on_beat(self) -> None:
        now = time.monotonic()
        sched = _schedstat()
        late = now - self._beat - self.period
        if late > self.threshold:
            self.stalls.append(Stall(self._beat, late, sched[0] - self._sched[0], sched[1] - self._sched[1]))
        self._beat, self._sched = now, sched
        self._timer = self._loop.call_later(self.period, self._on_beat)

    def _watch(self) -> None:
        while not self._stop.wait(self.sample_every):
            beat = self._beat
            if time.monotonic() - beat - self.period > self.threshold:
                stack = _stack_of(self._loop_thread)
                if stack:
                    self._samples[beat].append(stack)

    def _join(self) -> None:
        for stall in self.stalls:
            stall.stacks = self._samples.get(stall.started, [])

    def dump(self, path: str) -> None:
        """Every stall with its samples, as JSON (for a closer look than `report`)."""
        self._join()
        with open(path, "w") as out:
            json.dump([{"seconds": s.seconds, "on_cpu": s.on_cpu, "runnable": s.runnable, "stacks": s.stacks}
                       for s in self.stalls], out)

    def report(self, top: int = 12) -> str:
        self._join()
        total = sum(s.seconds for s in self.stalls)
        on_cpu, runnable = sum(s.on_cpu for s in self.stalls), sum(s.runnable for s in self.stalls)
        lines = [f"{len(self.stalls)} stalls over {1000 * self.threshold:.0f} ms, {total:.2f} s in all: the loop "
                 f"thread ran {on_cpu:.2f} s, waited for a CPU {runnable:.2f} s, slept "
                 f"{max(0.0, total - on_cpu - runnable):.2f} s; the most it ran within one stall: "
                 f"{1000 * max((s.on_cpu for s in self.stalls), default=0):.0f} ms"]
        for generation in (0, 1, 2):
            pauses = [(seconds, cpu) for g, seconds, cpu in self.collections if g == generation]
            if pauses:
                longest = max(pauses)
                lines.append(f"garbage collections of generation {generation}: {len(pauses)}, "
                             f"{sum(p[0] for p in pauses):.2f} s in all ({sum(p[1] for p in pauses):.2f} s on a CPU), "
                             f"longest {1000 * longest[0]:.0f} ms ({1000 * longest[1]:.0f} ms on a CPU), "
                             f"most on a CPU {1000 * max(p[1] for p in pauses):.0f} ms")
        # Where stall time went: each stall's time is shared among its samples' innermost own frames.
        by_site: Counter[str] = Counter()
        for stall in self.stalls:
            for stack in stall.stacks:
                by_site[_site(stack)] += stall.seconds / len(stall.stacks)
            if not stall.stacks:
                by_site["(no sample: C code held the GIL throughout)"] += stall.seconds
        lines.append("stall time by innermost app frame:")
        lines += [f"  {1000 * seconds:8.0f} ms  {site}" for site, seconds in by_site.most_common(top)]
        lines.append(f"longest {top} stalls:")
        for stall in sorted(self.stalls, key=lambda s: -s.seconds)[:top]:
            lines.append(f"  {1000 * stall.seconds:.0f} ms (ran {1000 * stall.on_cpu:.0f}, waited for a CPU "
                         f"{1000 * stall.runnable:.0f}), {len(stall.stacks)} samples")
            for stack, count in Counter(stall.stacks).most_common(2):
                lines.append(f"    x{count}")
                lines += [f"      {frame}" for frame in stack[-14:]]
        return "\n".join(lines)


_THREAD = re.compile(rb"^(?:Current thread|Thread) 0x([0-9a-f]+) \(most recent call first\):$")
_FRAME = re.compile(rb'^  File "(.*)", line (\d+) in (.*)$')


def _stack_of(thread_id: int) -> tuple[str, ...]:
    """The thread's stack, outermost first, as faulthandler writes it: from C, holding the interpreter lock
    throughout, without creating a frame object. A frame object taken from Python (`sys._current_frames`) could be
    held at the moment its function returns, and then it keeps that function's locals alive: a memoryview over a
    buffer the loop then resizes raises BufferError in the app (seen as "engine crashed" under `--stalls`).
    faulthandler writes at most 100 threads, newest first: with more, the loop's thread (the oldest) is left out and
    its stall shows without samples."""
    with tempfile.TemporaryFile() as dump:
        faulthandler.dump_traceback(dump, all_threads=True)
        dump.seek(0)
        lines = dump.read().splitlines()
    found: list[str] = []
    inside = False
    for line in lines:
        thread = _THREAD.match(line)
        if thread:
            inside = int(thread.group(1), 16) == thread_id
        elif inside and (frame := _FRAME.match(line)):
            name = frame.group(1).decode(errors="replace")
            found.append(f"{name.split('/backend/')[-1].split('site-packages/')[-1]}:{int(frame.group(2))} "
                         f"{frame.group(3).decode(errors='replace')}")
    return tuple(reversed(found))


def _site(stack: tuple[str, ...]) -> str:
    own = [i for i, frame in enumerate(stack) if any(part in "/" + frame for part in _OWN) or frame.startswith("vdp/")]
    if not own:
        return stack[-1] if stack else "?"
    i = own[-1]
    tail = stack[i + 1:i + 2]
    return stack[i] + (f" -> {tail[0]}" if tail else "")


@contextmanager
def stalls_reported(enabled: bool) -> Iterator[None]:
    """`--stalls` of the benchmarks: a StallWatch around the block, its report printed to stderr at the end."""
    if not enabled:
        yield
        return
    with StallWatch() as watch:
        try:
            yield
        finally:
            print(watch.report(), file=sys.stderr, flush=True)

"""Rate limits: how closely a global or per-task limit holds over every 5 s window, and how fast a change applies.

    python -m bench.run ratelimit [--limit BYTES_PER_SECOND] [--seconds S]

The real app downloads from the fault server on 127.0.0.1 (unthrottled, range-capable) under a limit. Two
figures per run: the bytes the limit let through (the token bucket's output, timestamped as each batch passes),
and the progress the UI shows (sampled every 0.1 s). Each is read over every 5 s window (sliding by 0.1 s) after
a 2 s warm-up, against the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from tests.support.appkit import AppKit, running_app
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.engines.ratelimit import TokenBucket

from ._report import machine
from ._stats import table

WARM_UP = 2.0
WINDOW = 5.0
STEP = 0.1
MIB = 1 << 20


class MeteredBucket(TokenBucket):
    """A real bucket that records when each batch passed it, and how large it was."""

    def __init__(self, rate: Optional[float] = None) -> None:
        super().__init__(rate)
        self.passed: list[tuple[float, int]] = []

    async def consume(self, nbytes: int) -> None:
        await super().consume(nbytes)
        self.passed.append((time.monotonic(), nbytes))


@dataclass
class Scenario:
    name: str
    downloads: int
    connections: int
    per_task: bool = False
    hls: bool = False


@dataclass
class Result:
    scenario: Scenario
    passed: list[float] = field(default_factory=list)  # 5 s window rates, bytes/s
    shown: list[float] = field(default_factory=list)  # the same from the progress the UI shows
    change_ratio: Optional[float] = None  # rate in the 0.5 s after doubling the limit, over the new limit


def _windows(samples: list[tuple[float, int]], start: float, end: float) -> list[float]:
    """Rates over every WINDOW-long span within [start, end], from cumulative (time, total) samples in time order:
    the total at a moment is that of the last sample at or before it."""
    moments = [moment for moment, _ in samples]

    def total_at(moment: float) -> int:
        index = bisect.bisect_right(moments, moment)
        return samples[index - 1][1] if index else 0

    rates = []
    t = start
    while t + WINDOW <= end:
        rates.append((total_at(t + WINDOW) - total_at(t)) / WINDOW)
        t += STEP
    return rates


def _cumulative(passed: list[tuple[float, int]]) -> list[tuple[float, int]]:
    total, out = 0, []
    for moment, nbytes in passed:
        total += nbytes
        out.append((moment, total))
    return out


async def _add_all(kit: AppKit, server: FaultServer, scenario: Scenario, payload: Path) -> list[str]:
    if scenario.hls:
        segments = 60
        playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n" + "".join(
            f"#EXTINF:4,\ns{i}.ts\n" for i in range(segments)) + "#EXT-X-ENDLIST\n"
        server.add_file("/hls/index.m3u8", playlist.encode(), content_type="application/vnd.apple.mpegurl")
        for i in range(segments):
            server.add_file(f"/hls/s{i}.ts", make_payload(MIB, seed=i), content_type="video/mp2t")
        return [await kit.add(server.url("/hls/index.m3u8"))]
    ids = []
    for n in range(scenario.downloads):
        server.add_file(f"/f{n}.bin", payload)
        ids.append(await kit.add(server.url(f"/f{n}.bin")))
    return ids


async def _run(scenario: Scenario, limit: int, seconds: float, payload: Path) -> Result:
    result = Result(scenario)
    with tempfile.TemporaryDirectory(prefix="vdp-ratelimit-") as tmp:
        async with FaultServer() as server, running_app(Path(tmp) / "data") as kit:
            await kit.configure(concurrent_downloads=scenario.downloads,
                                max_connections_per_download=scenario.connections,
                                hls_segment_concurrency=scenario.connections, max_total_connections=256)
            limits = kit.app.services.limits
            ids = await _add_all(kit, server, scenario, payload)
            bucket = MeteredBucket(limit)
            if scenario.per_task:
                limits._tasks[ids[0]] = bucket  # the per-task limit, metered
            else:
                limits.global_bucket = bucket
            shown: list[tuple[float, int]] = []
            hub = kit.app.runtime.hub
            for task_id in ids:
                await kit.call("start_download", taskId=task_id)
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                cells = [cell for cell in hub.cells() if cell.task_id in ids[:1] or not scenario.per_task]
                shown.append((time.monotonic(), sum(cell.downloaded for cell in cells)))
                await asyncio.sleep(STEP)
            end = time.monotonic()
            result.passed = _windows(_cumulative(bucket.passed), started + WARM_UP, end)
            result.shown = _windows(shown, started + WARM_UP, end)
            changed_at = time.monotonic()
            bucket.set_rate(2 * limit)
            await asyncio.sleep(0.5)
            after = sum(n for moment, n in bucket.passed if moment > changed_at)
            result.change_ratio = after / 0.5 / (2 * limit)
            for task_id in ids:
                await kit.call("cancel_download", taskId=task_id)
    return result


def _spread(rates: list[float], limit: int) -> str:
    if not rates:
        return "n/a"
    return f"{(min(rates) / limit - 1) * 100:+.1f} % … {(max(rates) / limit - 1) * 100:+.1f} %"


def main(argv: Sequence[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run ratelimit")
    parser.add_argument("--limit", type=int, default=4 * MIB, help="bytes per second (default 4 MiB/s)")
    parser.add_argument("--seconds", type=float, default=12.0, help="time under the limit per run")
    args = parser.parse_args(argv)
    scenarios = [Scenario("global, 1 download × 1 connection", 1, 1),
                 Scenario("global, 3 downloads × 4 connections", 3, 4),
                 Scenario("global, 8 downloads × 8 connections", 8, 8),
                 Scenario("per task, 1 download × 4 connections", 1, 4, per_task=True),
                 Scenario("global, HLS, 4 segments at a time", 1, 4, hls=True)]
    results = []
    with tempfile.TemporaryDirectory(prefix="vdp-ratelimit-src-") as src:
        payload = Path(src) / "payload.bin"
        payload.write_bytes(make_payload(64 * MIB, seed=7))
        for scenario in scenarios:
            results.append(asyncio.run(_run(scenario, args.limit, args.seconds, payload)))
    rows = [(r.scenario.name, _spread(r.passed, args.limit), _spread(r.shown, args.limit),
             f"{r.change_ratio:.2f}" if r.change_ratio is not None else "n/a") for r in results]
    return f"""```
python -m bench.run ratelimit --limit {args.limit} --seconds {args.seconds:g}
```

Run: {machine()}. The real app, the fault server on 127.0.0.1 (unthrottled, ranges), a limit of
{args.limit / MIB:g} MiB/s for {args.seconds:g} s per run. "Passed": what the token bucket let through; "shown": the
progress the UI shows (sampled every 0.1 s). Each is the lowest and highest rate over every
5 s window (sliding by 0.1 s, after a {WARM_UP:g} s warm-up), against the limit; the target is ±5 %.
"After doubling": the rate in the 0.5 s after the limit was doubled, over the new limit (1.00 = in force at once).

{table(("run", "passed, 5 s windows", "shown, 5 s windows", "after doubling"), rows)}
"""

"""Long load (issue 10): 10,000 tasks queued, 64 running against a throttled server, for minutes.

    python -m bench.run load [--duration 180] [--tasks 10000] [--concurrency 64] [--size-mib 2] [--rate-kib 256]
                             [--stalls] [--gc-census]

Checks that memory stays flat, that no status change is lost between the database and subscribers, and that the
event loop stays responsive. Two subscribers listen: one on the bus directly and one through the UI bridge's
coalescing pump (the path the window and the WebSocket use). After the run (the app's stop pauses what still
runs, and those transitions count too), every task's sequence of status events received is compared with the
`events` table of the database.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

from tests.support.appkit import running_app
from vdp.bridge.coalescer import pump

from ._fileserver import file_server
from ._gc_census import census_reported
from ._probes import LoopLag, Resources, RoundTrips, running
from ._report import machine
from ._stalls import stalls_reported
from ._stats import ms, percentile, table
from ._tasks import hard_linked_files, task_rows

Sequences = dict[str, list[tuple[str, str]]]
WINDOW = 30.0


async def _measure(base: str, names: list[str], work: Path, args: argparse.Namespace) -> dict[str, Any]:
    bus_seen: Sequences = defaultdict(list)
    bridge_seen: Sequences = defaultdict(list)
    lag, resources = LoopLag(), Resources(period=5.0)
    windows: list[dict[str, Any]] = []
    async with running_app(work / "data", concurrent_downloads=args.concurrency,
                           max_connections_per_download=1) as kit:
        trips = RoundTrips(lambda: kit.call("get_download_stats"), period=0.25)
        bridge_sub = kit.app.bus.subscribe("bench-bridge")

        def on_batch(batch: list[dict[str, Any]]) -> None:
            for item in batch:
                if item["event"] == "task_status_changed":
                    p = item["payload"]
                    bridge_seen[p["task_id"]].append((p["from"], p["to"]))

        async def bus_subscriber() -> None:
            while True:
                event = await kit.events.next()
                if event.name == "task_status_changed":
                    p = event.payload
                    bus_seen[p.task_id].append((p.from_.value if p.from_ else None, p.to.value))

        started = time.perf_counter()
        # Only the count is kept: 10,000 answer dicts held by the benchmark would be walked by the app's collector.
        added = len(await kit.call("add_download_tasks", tasks=task_rows(base, names, work / "out")))
        add_seconds = time.perf_counter() - started
        with running(bus_subscriber(), pump(bridge_sub, on_batch), lag.run(), resources.run(), trips.run()), \
                stalls_reported(args.stalls), census_reported(args.gc_census) as census:
            await kit.call("start_all_pending_downloads")
            t0 = time.monotonic()
            while (elapsed := time.monotonic() - t0) < args.duration:
                await asyncio.sleep(min(WINDOW, args.duration - elapsed))
                counts = kit.app.runtime.metrics()
                windows.append({"t": time.monotonic() - t0, "rss": resources.process.memory_info().rss / 2**20,
                                "lag": list(lag.samples), "completed": counts.completed, "active": counts.active,
                                "pending": counts.pending})
                lag.samples.clear()
                if census:
                    census.take(f"{windows[-1]['t']:.0f} s")
            cpu, elapsed = resources.cpu_seconds, resources.elapsed
        database = kit.app.paths.database
        bus_lagged, bridge_lagged = kit.events.lagged_count, bridge_sub.lagged_count
        await kit.app.stop()  # pauses the running tasks; their transitions are published before the loop ends
        await asyncio.sleep(0.2)
        for event in kit.events.drain():
            if event.name == "task_status_changed":
                p = event.payload
                bus_seen[p.task_id].append((p.from_.value if p.from_ else None, p.to.value))
        on_batch([e.wire() for e in bridge_sub.drain()])
    return {"windows": windows, "bus": bus_seen, "bridge": bridge_seen, "db": _db_sequences(database),
            "add_seconds": add_seconds, "added": added, "cpu": cpu, "elapsed": elapsed,
            "trips": trips.samples, "bus_lagged": bus_lagged, "bridge_lagged": bridge_lagged,
            "rss": resources.rss}


def _db_sequences(database: Path) -> Sequences:
    db = sqlite3.connect(database)
    try:
        found: Sequences = defaultdict(list)
        for task_id, before, after in db.execute(
                "SELECT task_id, from_status, to_status FROM events WHERE kind = 'status' ORDER BY id"):
            found[task_id].append((before, after))
        return found
    finally:
        db.close()


def _compare(db: Sequences, seen: Sequences) -> tuple[int, int, int]:
    """(transitions in the database, received, tasks whose received sequence differs)."""
    differing = sum(1 for task_id in set(db) | set(seen) if db.get(task_id, []) != seen.get(task_id, []))
    return sum(map(len, db.values())), sum(map(len, seen.values())), differing


def main(argv: Sequence[str] = ()) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run load")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load after the start")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--size-mib", type=int, default=2)
    parser.add_argument("--rate-kib", type=int, default=256, help="server rate per connection")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vdp-bench")
    parser.add_argument("--stalls", action="store_true", help="print where the event loop blocked (to stderr)")
    parser.add_argument("--gc-census", action="store_true",
                        help="diagnostic: print what the garbage collector walks and frees (to stderr; skews timings)")
    args = parser.parse_args(argv)
    served = args.workdir / f"throttled-{args.size_mib}m"
    names = hard_linked_files(served, args.tasks, args.size_mib << 20)
    work = Path(tempfile.mkdtemp(dir=args.workdir))
    try:
        with file_server(served, rate=args.rate_kib * 1024) as base:
            result = asyncio.run(_measure(base, names, work, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [[f"{w['t']:.0f} s", f"{w['rss']:.0f} MiB", ms(percentile(w["lag"], .5)), ms(percentile(w["lag"], .99)),
             ms(max(w["lag"], default=0)), w["active"], w["completed"], w["pending"]] for w in result["windows"]]
    db_total, bus_total, bus_diff = _compare(result["db"], result["bus"])
    _, bridge_total, bridge_diff = _compare(result["db"], result["bridge"])
    rss = [m for _, m in result["rss"]]
    settled = [m for t, m in result["rss"] if t >= min(60.0, args.duration / 3)]
    all_lag = [s for w in result["windows"] for s in w["lag"]]
    command = "python -m bench.run load" + ("" if not argv else " " + " ".join(argv))
    return "\n".join([
        f"```\n{command}\n```", "",
        f"Run: {machine()}. {result['added']:,} tasks of {args.size_mib} MiB added in one `add_download_tasks` "
        f"({result['add_seconds']:.2f} s), then `start_all_pending_downloads` with {args.concurrency} running, one "
        f"connection each, server throttled to {args.rate_kib} KiB/s per connection, for {args.duration:.0f} s. "
        "The app (v2 runtime) runs in the benchmark process; the server in its own.", "",
        table(["at", "RSS", "loop lag p50", "lag p99", "lag max", "active", "completed", "pending"], rows), "",
        f"- Memory: RSS {min(rss):.0f} → {max(rss):.0f} MiB over the run; after the first minute "
        f"{min(settled, default=0):.0f}–{max(settled, default=0):.0f} MiB "
        f"({'flat' if settled and max(settled) - min(settled) < 0.1 * min(settled) else 'GROWING'}).",
        f"- Status changes: {db_total:,} transitions in the database's `events` table; the bus subscriber received "
        f"{bus_total:,} ({bus_diff} tasks differ), the bridge pump delivered {bridge_total:,} ({bridge_diff} tasks "
        f"differ); lagged warnings: bus {result['bus_lagged']}, bridge {result['bridge_lagged']}.",
        f"- Loop lag over the whole run: p50 {ms(percentile(all_lag, .5))}, p99 {ms(percentile(all_lag, .99))}, "
        f"max {ms(max(all_lag, default=0))}. `get_download_stats` round trip p99 "
        f"{ms(percentile(result['trips'], .99))} (max {ms(max(result['trips'], default=0))}).",
        f"- CPU: {result['cpu']:.0f} s user+sys in {result['elapsed']:.0f} s "
        f"({100 * result['cpu'] / result['elapsed']:.0f}% of one core).",
    ])

"""Import: preview and import of a 10,000-row sheet (CSV and XLSX) through the app's commands.

    python -m bench.import_bench [--rows 10000] [--repeat 3]     # writes the "Import" section of docs/benchmarks.md
    python -m bench.import_bench --large [--rows 200000]         # writes "Import: 200,000 rows" (memory, loop stall)

Each run is a fresh process on a fresh data dir (so peak RSS is that run's own): the real app starts, a bus
subscriber is opened, then `preview_import_data` is timed, then `import_tasks_and_enqueue` is timed until the
subscriber has received every `task_added` event (the moment the UI has all the tasks), then the same file is
imported again (the reconciliation against 10,000 known tasks, zero new). Workbooks are parsed in a child
process, so peak RSS is given for the app process and for that child.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from ._report import machine, write_section
from ._stats import median, ms, table

TITLE = "Import"
LARGE_TITLE = "Import: 200,000 rows"
LARGE_TARGETS = {"rss_mib": 500, "stall_ms": 100}
LARGE_ANALYSIS = (
    "What was done (found with tracemalloc and RSS at each step, a watchdog that sampled every thread during "
    "loop stalls, and the loop thread's CPU time per callback, at 50,000 and 100,000 rows). Off the loop: "
    "reading, parsing, planning and the counts run on the import pool; the tasks are added 250 per `AddTasks` "
    "command; the cyclic collector is paused while an import builds its objects, which are frozen afterwards. "
    "**Memory.** A task was 2.1 KB of pydantic objects and its `video_info` 1.1 KB, half of it two private sets "
    "of field names (728 bytes each) and a dict of its own keys (832 bytes). Tasks in the task list and the "
    "sheet's rows are now *lean* (`vdp/lean_models.py`): one shared field-name set per class, and a dict that "
    "shares its keys with the other instances (288 bytes): the same objects, the same JSON, ≈ 1 KB less per "
    "task. Long answers are converted into key-sharing dicts too (680 bytes a task instead of 1,320), a column's "
    "id and name are one string per column rather than per row, and the planner keeps one string per folder. The "
    "benchmark frees its copy of the answer (the client's) before the re-import instead of holding it. At 50,000 "
    "rows the benchmark's peak went from 419 to 214-222 MiB (at 200,000: 1,518 to 606). "
    "**Re-import.** The peak was then the re-import of the same file: it parsed all the rows again and indexed the "
    "task list by (URL, folder) and (column id, URL) tuples and by casefolded titles before it could tell that "
    "every row was known (tracemalloc at the end of that plan, 50,000 rows: 47 MiB over the task list at rest, "
    "23 MiB of it the rows' cell strings, the rest their records, `ImportTask`s, the tuples and the titles). Now "
    "the file is planned while it is read (`importers/reconcile.SheetPlanner`): a row that names a known task is "
    "counted and let go at once; the task list is indexed by the URL strings its tasks already hold (a dict entry "
    "per task); titles are gathered only for folders that get new tasks; the course layout counts every row, known "
    "or new, so a new lesson gets its place in the sheet as before. The re-import now adds 6 MiB (traced) at "
    "50,000 rows and is no longer the peak (its RSS high-water mark: 195 → 152 MiB). **First import.** Its peak "
    "is at its end: the task list plus the answer's wire dicts. Each task in the answer had two ISO time strings "
    "of its own (`format_utc` is now cached: an import's tasks share their times), each task its own routing "
    "reason (now one per extension), and the new rows' `ImportTask`s outlived their tasks (now let go one by "
    "one as the tasks are made): 50,000 rows, traced 105 → 95 MiB, RSS 186 → 175 MiB. At 200,000 rows the "
    "benchmark's peak went from 606 to 479-480 MiB (two runs). What remains: ≈ 1.9 KB a "
    "task at rest (the task and its `video_info` with their strings, the runtime's queue and indexes) and ≈ 0.5 KB "
    "a task for the answer's wire dicts while they are held. Not bounded yet either: "
    "`get_download_tasks` of 200,000 tasks still builds every wire dict (now 680 bytes each) and then the whole "
    "JSON text before answering (bridge/server.py). **Loop stalls.** The loop thread mostly *slept* through a "
    "stall, waiting for the interpreter lock, not working (its own longest step during the import: 12 ms of CPU "
    "at 50,000 rows). `uuid4()` per task called `os.urandom`, which lets go of the lock and takes it back at "
    "once; 200,000 such hand-overs on the import thread kept the loop thread from it for 100-400 ms (at 50,000 "
    "rows, 9-16 stalls over 50 ms, the longest 150-460 ms; 1 after). Task ids now take their random bytes 256 at "
    "a time; the import pool lowers the switch interval to 1 ms while it works; the database adds a batch in one "
    "statement per table (`executemany` let go of the lock once per row); and the rows, the plan's keys and the "
    "answer are freed a slice at a time (freeing 200,000 rows is one call that holds the lock throughout). What "
    "is left of the stalls is the import thread's own Python work competing for the lock and, on this shared "
    "machine, for a CPU (longest stall at 50,000 rows now 54-68 ms, at 200,000 rows 37 ms, against 722 ms "
    "before). Then, in four runs at 200,000 rows on a quiet machine, the longest stall was 27, 145, 275 and 338 ms, "
    "every stall over 40 ms in the *preview*, which reads all the rows on the import thread to count them (phase "
    "times of each command against a sampler thread that woke every millisecond). The preview is Python bytecode "
    "throughout (cProfile: no single C call of note), and the starvation showed without the app: the preview of "
    "this file on one thread kept a second thread that sleeps 5 ms at a time from the interpreter lock for 100-570 "
    "ms, with the switch interval at 1 ms and the collector off: CPython 3.11 kept handing the lock back to the busy "
    "thread. Now a read on the import pool steps aside for the loop (`import_pool.hand_over`, a 0.2 ms sleep at most "
    "every 10 ms, between reads and while tasks are made): the same preview then held that thread 6-16 ms at most, "
    "and three runs of this benchmark gave 37, 27 and 29 ms (peak RSS 481, 479, 478 MiB). The benchmark starts "
    "after the app's start-up backup. **Database.** Task ids are now UUIDv7 (`task_` + 32 hex "
    "digits as before; the creation time "
    "first), so a batch lands at the end of the id indexes: 250 tasks take 7-9 ms from the first batch to the "
    "400th, where random ids went from 10 to 25 ms (before: 40 → 250 ms per 500 rows by 50,000 tasks)."
)
HEADER = ["专栏ID", "专栏名称", "课程ID", "课程名称", "视频链接"]
FORMATS = ("csv", "xlsx")


def _rows(count: int) -> list[list[str]]:
    return [[str(n // 50), f"专栏 {n // 50}", str(n), f"第 {n} 课 视频", f"https://cdn.example.com/c{n // 50}/v{n}.mp4"]
            for n in range(count)]


def write_sheet(folder: Path, kind: str, count: int) -> Path:
    path = folder / f"sheet-{count}.{kind}"
    if kind == "csv":
        path.write_text("\n".join(",".join(row) for row in [HEADER, *_rows(count)]) + "\n", encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("课程")
        for row in [HEADER, *_rows(count)]:
            sheet.append(row)
        book.save(path)
    return path


async def _one_run(sheet: Path, data: Path, expected: int) -> dict[str, Any]:
    from vdp.app import Application
    from vdp.bridge.invoke import invoke
    from vdp.paths import AppPaths
    from vdp.slices import release_in_slices

    # A CSV is read in the app's own process: no child to sample, and the sampler's walk over /proc every 5 ms would
    # compete with the event loop for the interpreter lock (it showed as loop stalls).
    sampler = _ChildRss() if sheet.suffix != ".csv" else None
    app = Application(AppPaths.resolve(str(data)))
    await app.start()
    # Measured from a settled app: its start-up backup (a thread of its own) is done before the preview begins.
    if app.backups is not None:
        await app.backups.started.wait()
    lag = _LoopStall()
    try:
        subscriber = app.bus.subscribe("bench", capacity=4 * expected)
        started = time.perf_counter()
        preview = await invoke(app, "preview_import_data", {"filePath": str(sheet), "maxRows": 10})
        preview_s = time.perf_counter() - started
        assert preview["total_rows"] == expected, preview["total_rows"]

        seen = 0

        async def until_all_added() -> float:
            nonlocal seen
            while seen < expected:
                await subscriber.wait()
                seen += sum(1 for event in subscriber.drain() if event.name == "task_added")
            return time.perf_counter()

        watcher = asyncio.ensure_future(until_all_added())
        started = time.perf_counter()
        tasks = await invoke(app, "import_tasks_and_enqueue", {"filePath": str(sheet), "outputDir": str(data / "out")})
        answered_s = time.perf_counter() - started
        visible_s = await asyncio.wait_for(watcher, 600) - started
        assert len(tasks) == expected == seen, (len(tasks), seen)
        # The answer is the client's copy once delivered: a real client keeps and frees it in its own process, not on
        # the app's loop and not over the re-import. Freed a slice at a time (at once, 200,000 dicts held the loop).
        await release_in_slices(tasks, 2000)

        started = time.perf_counter()
        again = await invoke(app, "import_and_reconcile", {"filePath": str(sheet), "outputDir": str(data / "out")})
        reimport_s = time.perf_counter() - started
        assert again["reconciliation"]["new"] == 0 and again["reconciliation"]["already_known"] == expected
    finally:
        lag.stop()
        await app.stop()
        if sampler is not None:
            sampler.stop()
    return {
        "preview": preview_s, "answered": answered_s, "visible": visible_s, "reimport": reimport_s,
        "stall_ms": lag.longest * 1000,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "child_rss_mib": sampler.peak / 2**20 if sampler is not None else 0.0,
    }


class _LoopStall:
    """The longest time the event loop could not run a 5 ms ticker (what a download's progress or a UI request
    would have waited) from preview to the end of the re-import."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task = asyncio.ensure_future(self._tick())

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    def stop(self) -> None:
        self._task.cancel()


class _ChildRss:
    """Peak RSS of the workbook reader: it is a child of multiprocessing's fork server, so rusage never sees it;
    sampled every 5 ms instead."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._done.wait(0.005):
            total = 0
            for child in self._me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _run_in_fresh_process(sheet: Path, data: Path, expected: int, timeout: float = 300) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.import_bench", "--one", str(sheet), str(data), str(expected)],
                          capture_output=True, text=True, check=False, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"import run failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def large(rows: int) -> str:
    """One CSV import of `rows` rows: peak RSS and the longest event-loop stall against their targets."""
    with tempfile.TemporaryDirectory(prefix="vdp-import-bench-") as tmp:
        sheet = write_sheet(Path(tmp), "csv", rows)
        run = _run_in_fresh_process(sheet, Path(tmp) / "data", rows, timeout=1800)
        size = sheet.stat().st_size / 2**20
    verdict = {key: "MET" if run[key] <= limit else "MISSED" for key, limit in LARGE_TARGETS.items()}
    return "\n".join([
        "```", f"python -m bench.import_bench --large --rows {rows}", "```", "",
        f"Run: {machine()}; load average {os.getloadavg()[0]:.1f} at the end. One fresh process and data dir, the "
        f"same steps as above with a {rows:,}-row UTF-8 CSV ({size:.1f} MiB). The loop stall is the longest time a "
        "5 ms ticker on the app's event loop waited beyond its period, from the preview to the end of the re-import "
        "(what a download's progress or a UI request would have waited).", "",
        table(["sheet", "preview", "import: answered", "import: all task_added delivered", "re-import (0 new)",
               "peak RSS (app)", "longest loop stall"],
              [[f"CSV {rows:,} rows", ms(run["preview"]), ms(run["answered"]), ms(run["visible"]), ms(run["reimport"]),
                f"{run['rss_mib']:.0f} MiB", ms(run["stall_ms"] / 1000)]]),
        "", f"Targets: peak RSS within {LARGE_TARGETS['rss_mib']} MiB: {verdict['rss_mib']}; "
            f"no loop stall over {LARGE_TARGETS['stall_ms']} ms: {verdict['stall_ms']}.", "",
        LARGE_ANALYSIS,
    ]) + "\n"


def main(argv: Sequence[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="one 200,000-row CSV: memory and loop stall")
    args = parser.parse_args(argv)
    if args.large:
        return large(args.rows or 200_000)
    args.rows = args.rows or 10_000
    rows_out = []
    with tempfile.TemporaryDirectory(prefix="vdp-import-bench-") as tmp:
        work = Path(tmp)
        for kind in FORMATS:
            sheet = write_sheet(work, kind, args.rows)
            runs = [_run_in_fresh_process(sheet, work / f"data-{kind}-{n}", args.rows) for n in range(args.repeat)]
            pick = {key: median([run[key] for run in runs]) for key in runs[0]}
            rows_out.append([
                f"{kind.upper()} ({sheet.stat().st_size / 2**20:.1f} MiB)", ms(pick["preview"]),
                ms(pick["answered"]), ms(pick["visible"]), ms(pick["reimport"]),
                f"{pick['rss_mib']:.0f} MiB", f"{pick['child_rss_mib']:.0f} MiB",
                ", ".join(f"{run['visible']:.2f}" for run in runs),
            ])
    load = os.getloadavg()[0]
    worst = max(float(row[3].split()[0]) for row in rows_out) / 1000
    return "\n".join([
        "```", f"python -m bench.import_bench --rows {args.rows} --repeat {args.repeat}", "```", "",
        f"Run: {machine()}; load average {load:.1f} at the end (other work on the machine inflates the times). "
        f"Median of {args.repeat} runs, each a fresh process and data dir. "
        f"A {args.rows:,}-row sheet with Chinese headers (UTF-8 CSV; XLSX one sheet): preview (10 rows shown, all "
        "counted), then `import_tasks_and_enqueue` until a bus subscriber has received every `task_added` event "
        "(a transaction per 250 tasks), then the same file again through `import_and_reconcile` "
        "(0 new, all already known). "
        "Peak RSS is the app process's high-water mark over the whole run (app start included); the children column "
        "is the sampled peak of the app's child processes (calamine reads a workbook in one; the fork server).", "",
        table(["sheet", "preview", "import: command answered", "import: all task_added delivered", "re-import (0 new)",
               "peak RSS (app)", "peak RSS (children)", "all runs, delivered (s)"], rows_out),
        "", f"Target: every task visible well under 2 s: {'MET' if worst < 2 else 'MISSED'} "
            f"(slowest median {worst:.2f} s).",
    ]) + "\n"


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        result = asyncio.run(_one_run(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])))
        print(json.dumps(result))
    else:
        section = main(sys.argv[1:])
        write_section(LARGE_TITLE if "--large" in sys.argv else TITLE, section)
        print(section)

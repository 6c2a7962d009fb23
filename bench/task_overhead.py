"""Per-task overhead: what the v2 runtime costs per file over the bare HTTP client, in one process.

    python -m bench.run overhead [--files 500] [--size-kib 256] [--jobs 8] [--repeat 3] [--instructions]

Both sides fetch the same files from the same loopback server (its own process) through the same client (the
`httpx.AsyncClient` that `TransferServices` builds for the engines), `jobs` at a time, and fsync each file:
- bare: stream the body, `pwrite` it, fsync on a thread; nothing else;
- runtime: `AddTasks` that starts them (as `vdp get` does) on a started `Application`, until every task's
  Completed event reached a bus subscriber (the task row, status changes, events, checkpoints, naming, the final
  rename and folder fsync). App start and stop are outside the window, so are imports.

Overhead per task = (runtime − bare) / files, as wall time, CPU time of the loop thread (`time.thread_time` in the
thread that runs the event loop) and CPU time of the process (SQLite, fsync and file threads included). Runs
alternate bare and runtime; best and median of `repeat`. On a shared machine CPU time is inflated too (less than
wall time); `--instructions` adds what does not move with the load: instructions per file under
`valgrind --tool=callgrind`, each side run once with 20 and once with 100 files, per file = the difference / 80.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Awaitable, Callable, Coroutine, Sequence

import aiosqlite

from vdp.app import Application
from vdp.contract import AppConfig, DownloaderType, TaskStatus
from vdp.engines.durability import fsync_folder
from vdp.engines.http.engine import SMALL_FILE, HeldFile
from vdp.engines.naming import open_unique
from vdp.engines.routing import RouteDecision
from vdp.engines.services import TransferServices
from vdp.intake import task_for_link
from vdp.paths import AppPaths
from vdp.runtime import commands

from ._fileserver import file_server
from ._report import machine
from ._stats import median, table
from ._tasks import hard_linked_files


@dataclass(frozen=True)
class Sample:
    wall: float
    loop_cpu: float  # CPU seconds of the event loop's thread
    process_cpu: float  # user + sys of the whole process (SQLite, fsync and file threads included)


class _Clock:
    """Wall, loop-thread CPU and process CPU between `start()` and `stop()`; call both on the loop's thread."""

    def start(self) -> None:
        self._wall, self._thread, self._process = time.perf_counter(), time.thread_time(), _process_cpu()

    def stop(self) -> Sample:
        return Sample(time.perf_counter() - self._wall, time.thread_time() - self._thread,
                      _process_cpu() - self._process)


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _bare(urls: list[str], out: Path, jobs: int) -> Sample:
    services = TransferServices(AppConfig())
    client = services.http_client

    async def fetch(url: str, slot: asyncio.Semaphore) -> None:
        async with slot:
            fd = os.open(out / url.rsplit("/", 1)[-1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                async with client.stream("GET", url) as response:
                    response.raise_for_status()
                    offset = 0
                    async for data in response.aiter_raw():
                        offset += os.pwrite(fd, data, offset)
                await asyncio.to_thread(os.fsync, fd)
            finally:
                os.close(fd)

    try:
        return await _timed(fetch, urls, jobs)
    finally:
        await services.aclose()


async def _timed(fetch: Callable[[str, asyncio.Semaphore], Awaitable[None]], urls: list[str], jobs: int) -> Sample:
    """`fetch` of every URL, each holding one of `jobs` slots while it downloads (the side says for how long); the
    first is not timed (it opens the connection and starts the thread pool, as the runtime's app start has them)."""
    await fetch(urls[0], asyncio.Semaphore(1))
    slots = asyncio.Semaphore(jobs)
    clock = _Clock()
    clock.start()
    await asyncio.gather(*(fetch(url, slots) for url in urls[1:]))
    return clock.stop()


async def _durable(urls: list[str], out: Path, data: Path, jobs: int) -> Sample:
    """The bare client plus the file and database work a durable download needs, done as the runtime does it but
    with nothing else. A file larger than SMALL_FILE: the partial file claimed on a thread (free-space check,
    exclusive create, preallocation); the body streamed and written; on a thread fsync, rename and folder fsync (the
    download's slot already given to the next one, as the runtime does). A smaller one, as the runtime holds it: the
    body read into memory, then on a thread the claim, the write, fsync, rename and folder fsync. Then one statement
    through the same aiosqlite connection thread per file (the runtime's Completed row; group commit shares
    statements between files)."""
    services = TransferServices(AppConfig())
    client = services.http_client
    db = await aiosqlite.connect(data / "floor.sqlite", isolation_level=None)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA synchronous=NORMAL")
    await db.execute("CREATE TABLE files (url TEXT PRIMARY KEY, path TEXT)")

    def claim(name: str, size: int) -> tuple[Path, Path, int]:
        if shutil.disk_usage(out).free < size:
            raise OSError("disk full")
        final, part, fd = open_unique(out, name)
        if size:
            os.posix_fallocate(fd, 0, size)
        return final, part, fd

    def finish(fd: int, part: Path, final: Path) -> Path:
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, final)
        fsync_folder(out)
        return final

    def store(held: HeldFile) -> Path:
        final, part, fd = claim(held.name, 0)
        held.write_to(fd)
        return finish(fd, part, final)

    async def fetch(url: str, slot: asyncio.Semaphore) -> None:
        name = url.rsplit("/", 1)[-1]
        job: Callable[[], Path]
        async with slot, client.stream("GET", url) as response:
            response.raise_for_status()
            size = int(response.headers["content-length"])
            if size <= SMALL_FILE:  # held as the runtime holds it (the engine's own `HeldFile`)
                held = HeldFile(name)
                async for data in response.aiter_raw():
                    held.keep(data, len(data))
                job = partial(store, held)
            else:
                final, part, fd = await asyncio.to_thread(claim, name, size)
                offset = 0
                async for data in response.aiter_raw():
                    offset += os.pwrite(fd, data, offset)
                job = partial(finish, fd, part, final)
        # Past the last byte the slot goes to the next download, as the runtime's does (`Scheduler.finish`).
        final = await asyncio.to_thread(job)
        await db.execute("INSERT INTO files (url, path) VALUES (?, ?)", (url, str(final)))

    try:
        return await _timed(fetch, urls, jobs)
    finally:
        await db.close()
        await services.aclose()


async def _runtime(urls: list[str], out: Path, data: Path, jobs: int) -> Sample:
    app = Application(AppPaths.resolve(str(data)), runtime="v2")
    await app.start()
    try:
        download = app.config.download.model_copy(update={"concurrent_downloads": jobs})
        await app.runtime.submit(commands.ApplyConfig(download, auto_start=False))
        decision = RouteDecision(DownloaderType.HTTP, "benchmark")
        subscription = app.bus.subscribe("overhead")

        async def run(batch: list[str]) -> None:
            tasks = [task_for_link(url, str(out), decision) for url in batch]
            added = await app.runtime.submit(commands.AddTasks(tasks, cause="bench", skip_duplicate_urls=False,
                                                               start=True))
            pending = {t.id for t in added}
            while pending:
                await subscription.wait()
                for event in subscription.drain():
                    if event.name == "task_status_changed" and event.payload.to in (TaskStatus.COMPLETED,
                                                                                     TaskStatus.FAILED):
                        if event.payload.to is TaskStatus.FAILED:
                            raise RuntimeError(f"{event.payload.task_id} failed: {event.payload.error}")
                        pending.discard(event.payload.task_id)

        await run(urls[:1])  # the first connection, as for the bare client
        clock = _Clock()
        clock.start()
        await run(urls[1:])
        return clock.stop()
    finally:
        await app.stop()


SIDES = ("bare", "durable", "runtime")


def _side(side: str, urls: list[str], out: Path, data: Path, jobs: int) -> Coroutine[Any, Any, Sample]:
    if side == "bare":
        return _bare(urls, out, jobs)
    data.mkdir(parents=True, exist_ok=True)
    return _durable(urls, out, data, jobs) if side == "durable" else _runtime(urls, out, data, jobs)


def _verify(out: Path, names: list[str], size: int) -> None:
    found = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    wrong = [n for n in names if found.get(n) != size]
    if wrong or len(found) != len(names):
        raise RuntimeError(f"{out}: {len(found)} files, {len(wrong)} missing or of the wrong size ({wrong[:3]})")


def _measure(base: str, names: list[str], work: Path, size: int, jobs: int, repeat: int) -> dict[str, list[Sample]]:
    urls = [base + name for name in names]
    samples: dict[str, list[Sample]] = {side: [] for side in SIDES}
    for _ in range(repeat):
        for side in SIDES:
            run_dir = Path(tempfile.mkdtemp(dir=work))
            out = run_dir / "out"
            out.mkdir()
            os.sync()  # no dirty pages of the run before
            sample = asyncio.run(_side(side, urls, out, run_dir / "data", jobs))
            _verify(out, names, size)
            shutil.rmtree(run_dir)
            samples[side].append(sample)
    return samples


def _over(side: list[float], base: list[float], count: int) -> str:
    """Per task, best / median: what `side` costs over `base`."""
    return f"{_per_task(min(side), min(base), count)} / {_per_task(median(side), median(base), count)}"


def _per_task(runtime: float, bare: float, count: int) -> str:
    return f"{(runtime - bare) / count * 1000:.2f} ms"


# -- instruction counts ------------------------------------------------------------------------------------------

INSTRUCTION_SIZES = (20, 100)  # files per run; per file = the difference between the two runs / 80


def _run_once(side: str, files: int, size: int, jobs: int) -> None:
    """One run of one side on its own server, for valgrind. The progress hub's timers are stretched out of reach:
    under valgrind a run lasts 50× longer, and work paced by the clock (15 progress events a second, the heartbeat)
    would be counted as if each file caused it. A transfer's own first and last progress events remain."""
    from vdp.runtime import progress

    progress.PROGRESS_INTERVAL = progress.HEARTBEAT_INTERVAL = progress.METRICS_DEBOUNCE = 3600.0
    with tempfile.TemporaryDirectory(prefix="vdp-overhead-") as tmp:
        work = Path(tmp)
        names = hard_linked_files(work / "served", files, size)
        out = work / "out"
        out.mkdir()
        with file_server(work / "served") as base:
            urls = [base + name for name in names]
            asyncio.run(_side(side, urls, out, work / "data", jobs))
        _verify(out, names, size)


def _instructions(size_kib: int, jobs: int) -> dict[str, tuple[float, float]]:
    """side: (instructions per file on the loop thread, in the whole process)."""
    counts: dict[tuple[str, int], tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="vdp-callgrind-") as tmp:
        for side in SIDES:
            for files in INSTRUCTION_SIZES:
                prefix = Path(tmp) / f"{side}-{files}"
                subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes",
                                f"--callgrind-out-file={prefix}.%p", sys.executable, "-m", "bench.task_overhead",
                                "--one", side, "--files", str(files), "--size-kib", str(size_kib), "--jobs", str(jobs)],
                               check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
                threads = {path.name.rsplit("-", 1)[1]: _summary(path) for path in Path(tmp).glob(f"{prefix.name}.*-*")}
                counts[side, files] = (threads["01"], sum(threads.values()))  # thread 01: the main (loop) thread
    small, large = INSTRUCTION_SIZES

    def per_file(side: str, which: int) -> float:
        return (counts[side, large][which] - counts[side, small][which]) / (large - small)

    return {side: (per_file(side, 0), per_file(side, 1)) for side in SIDES}


def _summary(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise RuntimeError(f"{path}: no summary line")


def main(argv: Sequence[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run overhead")
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--size-kib", type=int, default=256)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind, ≈ 5 min)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # as `vdp get`: warnings and errors only
    size = args.size_kib << 10
    with tempfile.TemporaryDirectory(prefix="vdp-overhead-") as tmp:
        work = Path(tmp)
        names = hard_linked_files(work / "served", args.files, size)
        with file_server(work / "served") as base:
            samples = _measure(base, names, work, size, args.jobs, args.repeat)
    measured = args.files - 1  # the first file of each run warms the connection and is not counted
    rows = []
    for label, pick in (("wall", lambda s: s.wall), ("loop-thread CPU", lambda s: s.loop_cpu),
                        ("process CPU", lambda s: s.process_cpu)):
        bare, durable, runtime = ([pick(s) for s in samples[side]] for side in SIDES)
        rows.append((label, f"{min(bare):.3f} s", f"{min(durable):.3f} s", f"{min(runtime):.3f} s",
                     _over(runtime, bare, measured), _over(durable, bare, measured), _over(runtime, durable, measured),
                     " ".join(f"{b:.2f}/{d:.2f}/{r:.2f}" for b, d, r in zip(bare, durable, runtime))))
    header = ("measure", "bare (best)", "durable floor (best)", "runtime (best)",
              "per task over bare (best / median)", "floor over bare", "runtime over the floor",
              "all runs bare/floor/runtime (s)")
    instructions = ""
    if args.instructions:
        per_file = _instructions(args.size_kib, args.jobs)
        instructions = "\n\nInstructions per file (callgrind, see bench/task_overhead.py):\n\n" + table(
            ("thread", *SIDES, "runtime over bare", "runtime over the floor"),
            [(thread, *(f"{per_file[side][which] / 1e6:.2f} M" for side in SIDES),
              f"{(per_file['runtime'][which] - per_file['bare'][which]) / 1e6:.2f} M",
              f"{(per_file['runtime'][which] - per_file['durable'][which]) / 1e6:.2f} M")
             for thread, which in (("loop thread", 0), ("whole process", 1))])
    command = (f"python -m bench.run overhead --files {args.files} --size-kib {args.size_kib} --jobs {args.jobs}"
               f" --repeat {args.repeat}{' --instructions' if args.instructions else ''}")
    return f"""```
{command}
```

Run: {machine()}. {measured} files of {args.size_kib} KiB (after one that opens the connection), {args.jobs} at a
time, through the same client in the same process, three ways: bare (stream, `pwrite`, fsync); the durable floor
(the bare client plus the file and database work a durable download needs: a file this small read into memory,
then claimed, written, fsynced, renamed and its folder fsynced on a thread, as the runtime does, then one SQLite
statement per file through aiosqlite's thread); and the v2
runtime (add, start, transfer, checkpoints, completion, events, SQLite; app start and imports not counted). Per
task = the difference / files; best of each side, and median. Target ≤ 0.5 ms per task. A busy machine inflates
CPU time as well as wall time (less so); instruction counts do not move with the load.

{table(header, rows)}{instructions}
"""


if __name__ == "__main__":  # one side, once: what `--instructions` runs under valgrind
    one = argparse.ArgumentParser(prog="python -m bench.task_overhead")
    one.add_argument("--one", choices=SIDES, required=True)
    one.add_argument("--files", type=int, required=True)
    one.add_argument("--size-kib", type=int, required=True)
    one.add_argument("--jobs", type=int, required=True)
    given = one.parse_args()
    logging.basicConfig(level=logging.WARNING)
    _run_once(given.one, given.files, given.size_kib << 10, given.jobs)

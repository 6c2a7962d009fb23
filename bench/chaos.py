"""The chaos run: a 200-file batch from a local fault server through every way the task list can be hurt, then
the proof that nothing was.

    python -m bench.chaos                      # 200 files, seed 1, about three minutes
    python -m bench.chaos --files 50 --seed 7  # smaller, another order of events

One data dir and one download folder, both on a small tmpfs (root only: without it the full-disk step is left out
and says so). In a seeded order: `vdp serve` SIGKILLed at random moments; `vdp get` on a share of the same links,
SIGKILLed too; another process holding the database's write lock while the app runs (longer than the app's 5 s
lock wait) and while it starts (the start must be refused, the file untouched); the disk filled up under running
downloads, then freed; the HTTP proxy every download goes through (a real `pproxy` child process) killed under
running downloads, then brought back. After every step: `PRAGMA integrity_check` is ok and no task is missing. At the
end a clean run finishes the batch, and every file must be byte-identical to its source (sha256), every task present
exactly once and Completed, no `tasks.sqlite.corrupt-*` made. Exits 1 and prints each problem otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from tests.e2e.served_app import ServedApp
from tests.support.database import open_database
from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

KIB, MIB = 1 << 10, 1 << 20
RATE = 256 * KIB  # per connection: slow enough that kills and faults land mid-batch
LOCK_HELD = 7.0  # seconds another process holds the write lock: beyond the app's 5 s wait
_POLL = 0.2  # the app is another process: it is polled over HTTP


@dataclass
class ChaosReport:
    files: int
    steps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def step(self, text: str) -> None:
        self.steps.append(text)
        print(f"  {text}", flush=True)


class Proxy:
    """A real HTTP proxy (`pproxy`, PyPI) in a child process on a fixed 127.0.0.1 port, so it can die and return."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._process: Optional[subprocess.Popen[bytes]] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._process = subprocess.Popen([sys.executable, "-m", "pproxy", "-l", self.url],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the proxy did not listen on {self.url}")

    def kill(self) -> None:
        if self._process is not None:
            Chaos.kill(self._process)
            self._process = None


class Chaos:
    def __init__(self, root: Path, files: int, seed: int, disk: Optional[Path]) -> None:
        self.rng = random.Random(seed)
        self.data = root / "data"
        self.out = root / "out"
        self.disk = disk
        self.report = ChaosReport(files)
        self.sources: dict[str, bytes] = {}
        self.server = FaultServerThread()
        self.proxy = Proxy()
        self._files = files

    # -- the batch --------------------------------------------------------------------------------------------

    def serve_sources(self) -> None:
        for i in range(self._files):
            body = make_payload(self.rng.randint(32 * KIB, 1024 * KIB), seed=1000 + i)
            path = f"/lecture-{i:03d}.bin"
            options: dict[str, object] = {"rate": RATE}
            if i % 10 == 3:
                options["fail_statuses"] = (503,)  # a transient server error first: retried
            self.server.add_file(path, body, **options)
            self.sources[self.server.url(path)] = body

    @property
    def database(self) -> Path:
        return self.data / "tasks.sqlite"

    def urls(self) -> list[str]:
        return list(self.sources)

    # -- steps ------------------------------------------------------------------------------------------------

    def start_serve(self) -> ServedApp:
        app = ServedApp.start(self.data)
        if not app.invoke("get_download_tasks"):
            app.configure(download={"output_directory": str(self.out), "concurrent_downloads": 6,
                                    "proxy": self.proxy.url})
            for at in range(0, len(self.sources), 50):
                app.invoke("add_urls", urls=self.urls()[at:at + 50], outputPath=str(self.out))
        self._go_on(app)
        return app

    def _go_on(self, app: ServedApp) -> None:
        app.invoke("resume_all_downloads")  # restart recovery leaves interrupted work Paused
        app.invoke("start_all_pending_downloads")
        app.invoke("retry_failed_tasks")

    def serve_killed(self) -> None:
        app = self.start_serve()
        wait = self.rng.uniform(1.0, 4.0)
        time.sleep(wait)  # the random moment is the point
        self.kill(app.process)
        self.report.step(f"vdp serve SIGKILLed after {wait:.1f} s ({self._completed()} completed)")

    def get_killed(self) -> None:
        share = self.rng.sample(self.urls(), k=max(1, len(self.sources) // 5))
        command = [sys.executable, "-m", "vdp", "--data-dir", str(self.data), "get", *share, "-o", str(self.out),
                   "--json", "-j", "6"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait = self.rng.uniform(1.5, 4.0)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.kill(process)
        self.report.step(f"vdp get of {len(share)} links SIGKILLed after {wait:.1f} s ({self._completed()} completed)")

    def locked_while_running(self) -> None:
        app = self.start_serve()
        time.sleep(self.rng.uniform(0.5, 2.0))
        with closing(sqlite3.connect(self.database, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            red = self._wait_for(lambda: not self._health(app)["storage"]["ok"], LOCK_HELD)
            other.execute("ROLLBACK")
        green = self._wait_for(lambda: self._health(app)["storage"]["ok"], 30)
        if not green:
            self.report.problems.append("the app did not report its task list writable again after the lock")
        self.kill(app.process)
        seen = "went red, then green" if red and green else "stayed green (no write in the window)" if green \
            else "stayed red"
        self.report.step(f"write lock held by another process while running: health {seen}")

    def locked_at_start(self) -> None:
        before = _fingerprint(self.database)
        with closing(sqlite3.connect(self.database, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            try:
                app = ServedApp.start(self.data)
            except RuntimeError as refused:
                if "locked by another process" not in str(refused):
                    self.report.problems.append(f"a locked start failed without naming the lock: {refused}")
            else:
                self.kill(app.process)
                self.report.problems.append("vdp serve started on a database another process had locked")
            if _fingerprint(self.database) != before:
                self.report.problems.append("a refused start changed the task list")
            other.execute("ROLLBACK")
        self.report.step("start with the database locked by another process: refused, file unchanged")

    def disk_full(self) -> None:
        if self.disk is None:
            self.report.step("full disk: SKIPPED (mounting a tmpfs needs root)")
            return
        app = self.start_serve()
        time.sleep(self.rng.uniform(0.5, 1.5))
        filler = _fill(self.disk)
        # Files with a known length were preallocated and go on; the task list's WAL must grow and cannot.
        self._wait_for(lambda: not self._health(app)["storage"]["ok"], 15)
        failed = sum(t["status"] == "Failed" for t in app.invoke("get_download_tasks"))
        state = self._health(app)["storage"]["state"]
        filler.unlink()
        self.report.step(f"disk filled under running downloads: {failed} download(s) failed, task list {state}; "
                         f"space freed")
        self._go_on(app)
        time.sleep(self.rng.uniform(0.5, 2.0))
        self.kill(app.process)

    def proxy_down(self) -> None:
        app = self.start_serve()
        time.sleep(self.rng.uniform(0.5, 1.5))
        self.proxy.kill()
        down = self.rng.uniform(2.0, 4.0)
        time.sleep(down)  # downloads fail over to retries (network: "Proxy problem")
        tasks = app.invoke("get_download_tasks")
        hurt = sum("Proxy problem" in (t.get("error_message") or "") for t in tasks)
        self.proxy.start()
        self._go_on(app)
        time.sleep(self.rng.uniform(1.0, 2.0))
        self.kill(app.process)
        self.report.step(f"proxy killed for {down:.1f} s under running downloads ({hurt} told 'Proxy problem'), "
                         f"then back ({self._completed()} completed)")

    def finish(self, budget: float) -> None:
        app = self.start_serve()
        deadline = time.monotonic() + budget
        try:
            while time.monotonic() < deadline:
                tasks = app.invoke("get_download_tasks")
                if all(t["status"] == "Completed" for t in tasks):
                    break
                if any(t["status"] == "Failed" for t in tasks):
                    app.invoke("retry_failed_tasks")
                time.sleep(_POLL)
            else:
                self.report.problems.append(f"the batch did not finish within {budget:.0f} s")
        finally:
            app.stop()  # SIGTERM: a clean stop
        self.report.step(f"clean run: {self._completed()} of {len(self.sources)} completed")

    # -- checks -----------------------------------------------------------------------------------------------

    def check_after_step(self, name: str) -> None:
        if not self.database.exists():
            return
        with open_database(self.database) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            urls = [row[0] for row in db.execute("SELECT url FROM tasks")]
        if verdict != "ok":
            self.report.problems.append(f"after {name}: integrity_check says {verdict}")
        if urls and set(self.sources) - set(urls):
            self.report.problems.append(f"after {name}: {len(set(self.sources) - set(urls))} task(s) lost")

    def check_end(self) -> None:
        with open_database(self.database) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            tasks = [json.loads(row[0]) for row in db.execute("SELECT data FROM tasks")]
        if verdict != "ok":
            self.report.problems.append(f"integrity_check says {verdict}")
        by_url: dict[str, list[dict[str, object]]] = {}
        for task in tasks:
            by_url.setdefault(str(task["url"]), []).append(task)
        for url, body in self.sources.items():
            found = by_url.get(url, [])
            if len(found) != 1:
                self.report.problems.append(f"{url}: {len(found)} tasks")
                continue
            task = found[0]
            path = Path(str(task.get("file_path") or ""))
            if task["status"] != "Completed":
                self.report.problems.append(f"{url}: {task['status']} ({task.get('error_message')})")
            elif not path.is_file() or sha256_of(path) != hashlib.sha256(body).hexdigest():
                self.report.problems.append(f"{url}: the file {path} is not byte-identical to the source")
        if list(self.data.glob("tasks.sqlite.corrupt-*")):
            self.report.problems.append("a task list was moved aside as corrupt")

    # -- helpers ----------------------------------------------------------------------------------------------

    def _completed(self) -> int:
        if not self.database.exists():
            return 0
        with open_database(self.database) as db:
            return db.execute("SELECT COUNT(*) FROM tasks WHERE status = 'Completed'").fetchone()[0]

    @staticmethod
    def _health(app: ServedApp) -> dict[str, dict[str, object]]:
        return app.invoke("health")

    @staticmethod
    def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(_POLL)
        return False

    @staticmethod
    def kill(process: subprocess.Popen[Any]) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)  # no shutdown code runs
        process.wait()


def _fingerprint(database: Path) -> dict[str, str]:
    found = {}
    for suffix in ("", "-wal"):
        part = Path(f"{database}{suffix}")
        if part.exists() and part.stat().st_size:
            found[part.name] = sha256_of(part)
    return found


def _fill(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(bytes(MIB))
        except OSError:
            pass
    return filler


def _mount_tmpfs(where: Path, size_mib: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def run_chaos(workdir: Path, *, files: int, seed: int, budget: float) -> ChaosReport:
    began = time.monotonic()
    disk: Optional[Path] = workdir / "disk"
    # Room for the batch (about 0.5 MiB a file), the task list and its backups, and little else.
    if disk is None or not _mount_tmpfs(disk, 48 + files * 3 // 4):
        disk = None
    chaos = Chaos(disk or workdir, files, seed, disk)
    try:
        with chaos.server:
            chaos.serve_sources()
            chaos.proxy.start()
            steps: list[tuple[str, Callable[[], None]]] = [
                ("serve kill", chaos.serve_killed), ("get kill", chaos.get_killed),
                ("lock while running", chaos.locked_while_running), ("serve kill", chaos.serve_killed),
                ("full disk", chaos.disk_full), ("get kill", chaos.get_killed),
                ("lock at start", chaos.locked_at_start), ("serve kill", chaos.serve_killed),
                ("get kill", chaos.get_killed), ("serve kill", chaos.serve_killed), ("proxy down", chaos.proxy_down),
            ]
            first, rest = steps[0], steps[1:]
            chaos.rng.shuffle(rest)  # the seed decides the order (the batch is added by the first step)
            for name, step in [first, *rest]:
                step()
                chaos.check_after_step(name)
            chaos.finish(max(30.0, budget - (time.monotonic() - began)))
            chaos.check_end()
    finally:
        chaos.proxy.kill()
        if disk is not None:
            subprocess.run(["umount", "-l", str(disk)], check=False)
    chaos.report.seconds = time.monotonic() - began
    return chaos.report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="files in the batch (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sizes, the order and the kill moments")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds for the whole run (the end gets the rest)")
    args = parser.parse_args(argv)
    print(f"chaos: {args.files} files, seed {args.seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="vdp-chaos-") as workdir:
        report = run_chaos(Path(workdir), files=args.files, seed=args.seed, budget=args.budget)
    verdict = "ok" if not report.problems else f"{len(report.problems)} problem(s)"
    print(f"chaos: {report.files} files, {len(report.steps)} steps, {report.seconds:.0f} s, {verdict}", flush=True)
    for problem in report.problems[:50]:
        print(f"  PROBLEM {problem}", flush=True)
    return 0 if not report.problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The crash loop: SIGKILL a real `vdp serve` at random moments while it downloads, restart it on the same data
dir, resume, and check at the end that nothing was lost or corrupted.

    report = run_crash_loop(HttpScenario(connections=8), workdir, kills=3, seed=1)
    assert report.ok, report.problems

Each scenario serves its sources from a `FaultServerThread` and knows their SHA-256. After every kill the
database must pass `PRAGMA integrity_check` and claim no byte that the files on disk do not hold (the HTTP
scenarios compare every claimed range with the source). At the end every task must be present exactly once and
`Completed` with the right bytes. `re_downloaded` is what the server sent beyond one clean pass.

Used by tests/reliability/test_crash_loop.py (a few kills) and `python -m bench.soak` (many).
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from tests.e2e.served_app import CommandError, ServedApp
from tests.engines.hls.hls_fixtures import encrypt
from tests.importers.importer_samples import CHINESE_HEADER
from tests.support.database import claimed_bytes, open_database
from tests.support.fault_server import FaultServerThread
from tests.support.payload import make_payload, sha256_of

MIB = 1 << 20
_POLL = 0.1  # the app is another process: its task list is read over HTTP at this interval


class Scenario(Protocol):
    name: str
    kill_window: tuple[float, float]  # seconds after a (re)start within which the kill lands
    waste_per_kill: int  # at most this many bytes are fetched again per kill (what was in flight, not yet durable)

    def serve(self, server: FaultServerThread) -> None: ...

    def enqueue(self, app: ServedApp, server: FaultServerThread, out: Path, work: Path) -> None:
        """Create the tasks (first run only) and start them."""

    def media_paths(self) -> list[str]: ...

    def expected(self) -> dict[str, str]:
        """Source path on the server → SHA-256 of the file the task must produce."""

    def durable_served(self, db: sqlite3.Connection) -> int:
        """Served bytes that the database claims are durable (what a resume does not fetch again)."""

    def check_durable(self, db: sqlite3.Connection, out: Path) -> list[str]:
        """Problems where the database claims bytes the files on disk do not hold."""


@dataclass
class CrashReport:
    scenario: str
    kills: int = 0
    total_bytes: int = 0
    re_downloaded: int = 0
    waste_per_cycle: list[int] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        verdict = "ok" if self.ok else f"{len(self.problems)} problem(s)"
        return (f"{self.scenario}: {self.kills} kills, {self.total_bytes} bytes, re-downloaded {self.re_downloaded} "
                f"({100 * self.re_downloaded / max(1, self.total_bytes):.1f}%), {self.seconds:.1f} s, {verdict}")


def run_crash_loop(scenario: Scenario, workdir: Path, *, kills: int, seed: int, timeout: float = 120.0) -> CrashReport:
    rng = random.Random(seed)
    data, out, work = workdir / "data", workdir / "out", workdir / "work"
    for folder in (out, work):
        folder.mkdir(parents=True, exist_ok=True)
    report = CrashReport(scenario.name)
    began = time.monotonic()
    with FaultServerThread() as server:
        scenario.serve(server)
        report.total_bytes = sum(len(server.body(p)) for p in scenario.media_paths())
        durable_before = 0
        stored: set[str] = set()  # the URLs the database held after the last kill: none may be missing after a start
        for cycle in range(kills + 1):
            server.reset_stats()
            app = ServedApp.start(data)
            try:
                if cycle == 0:
                    app.configure(download={"output_directory": str(out)})
                else:
                    report.problems += _missing_tasks(app, stored)
                scenario.enqueue(app, server, out, work)
                app.invoke("start_all_pending_downloads")
                app.invoke("resume_all_downloads")  # restart recovery leaves interrupted work Paused
                if cycle == kills:
                    report.problems += _wait_all_completed(app, len(scenario.expected()), timeout)
                else:
                    time.sleep(rng.uniform(*scenario.kill_window))  # the random moment is the point
            finally:
                app.process.kill()  # SIGKILL: no shutdown code runs
                app.process.wait()
            fetched = sum(server.stats(p).bytes_sent for p in scenario.media_paths())
            with open_database(data / "tasks.sqlite") as db:
                verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
                if verdict != "ok":
                    report.problems.append(f"cycle {cycle}: integrity_check says {verdict}")
                report.problems += [f"cycle {cycle}: {p}" for p in scenario.check_durable(db, out)]
                durable_after = scenario.durable_served(db) if cycle < kills else report.total_bytes
                stored = {row[0] for row in db.execute("SELECT json_extract(data, '$.url') FROM tasks")}
            report.waste_per_cycle.append(fetched - max(0, durable_after - durable_before))
            report.re_downloaded += fetched
            durable_before = durable_after
            report.kills = cycle
        report.re_downloaded -= report.total_bytes
        if report.re_downloaded > kills * scenario.waste_per_kill:
            report.problems.append(
                f"re-downloaded {report.re_downloaded} bytes, more than {scenario.waste_per_kill} per kill")
        report.problems += _wrong_files(scenario, data, out)
    report.seconds = time.monotonic() - began
    return report


def _tasks(db_path: Path) -> list[dict[str, Any]]:
    with open_database(db_path) as db:
        return [json.loads(row[0]) for row in db.execute("SELECT data FROM tasks ORDER BY seq")]


def _missing_tasks(app: ServedApp, stored: set[str]) -> list[str]:
    """A task is lost when the database held it at the kill and the restarted app does not list it. (An import may
    have been killed between two of its batches: the rows it had not added yet are not lost, the next import adds
    them, and the end of the run checks that every source is one task.)"""
    urls = [t["url"] for t in app.invoke("get_download_tasks")]
    problems = [f"{len(urls) - len(set(urls))} duplicate task(s)"] if len(urls) != len(set(urls)) else []
    lost = sorted(stored - set(urls))
    return problems + ([f"{len(lost)} task(s) lost, e.g. {lost[:3]}"] if lost else [])


def _wait_all_completed(app: ServedApp, sources: int, timeout: float) -> list[str]:
    """Until every source has its task (an import may still be adding rows) and every task has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = app.invoke("get_download_tasks")
        if len(tasks) >= sources and all(t["status"] in ("Completed", "Failed", "Cancelled") for t in tasks):
            bad = [f"{t['url']}: {t['status']} {t.get('error_message')}" for t in tasks if t["status"] != "Completed"]
            return [f"not completed: {bad[:3]} ({len(bad)} in all)"] if bad else []
        time.sleep(_POLL)
    return [f"tasks not finished within {timeout:.0f} s"]


def _wrong_files(scenario: Scenario, data: Path, out: Path) -> list[str]:
    """Every source is one Completed task whose file has the source's SHA-256."""
    tasks = _tasks(data / "tasks.sqlite")
    by_path = {t["url"].split("//", 1)[1].split("/", 1)[1]: t for t in tasks}
    problems = []
    if len(tasks) != len(scenario.expected()):
        problems.append(f"{len(tasks)} tasks for {len(scenario.expected())} sources")
    for path, digest in scenario.expected().items():
        task = by_path.get(path.lstrip("/"))
        if task is None:
            problems.append(f"{path}: no task")
        elif task["status"] == "Completed" and (not task.get("file_path") or not Path(task["file_path"]).is_file()):
            problems.append(f"{path}: Completed without its file")
        elif task["status"] == "Completed" and sha256_of(Path(task["file_path"])) != digest:
            problems.append(f"{path}: Completed with a WRONG file {task['file_path']}")
    return problems


# -- what the database claims -----------------------------------------------------------------------------


def check_http_ranges(db: sqlite3.Connection, out: Path, source_of: dict[str, bytes]) -> list[str]:
    """Each chunk's durable bytes [start, start + done) in the task's `.part` file equal the source's."""
    problems = []
    for url, meta_text in db.execute("SELECT url, resume_meta FROM tasks WHERE resume_meta IS NOT NULL"):
        meta = json.loads(meta_text)
        part = out / meta.get("part_name", "")
        source = source_of[url.split("//", 1)[1].split("/", 1)[1]]
        chunks = db.execute("SELECT start, done FROM task_chunks t JOIN tasks ON tasks.id = t.task_id "
                            "WHERE tasks.url = ? AND done > 0", (url,)).fetchall()
        if chunks and not part.is_file():
            problems.append(f"{url}: {len(chunks)} durable chunk(s) but no {part.name}")
            continue
        with open(part, "rb") if chunks else open("/dev/null", "rb") as handle:
            for start, done in chunks:
                handle.seek(start)
                if handle.read(done) != source[start : start + done]:
                    problems.append(f"{url}: the database claims bytes {start}+{done} the file does not hold")
    return problems


# -- scenarios --------------------------------------------------------------------------------------------


@dataclass
class HttpScenario:
    """One large file over 1 or several connections."""

    connections: int = 8
    size: int = 24 * MIB
    rate: int = 1 * MIB  # per connection: the download lasts a few seconds, so kills land mid-transfer
    kill_window: tuple[float, float] = (0.3, 1.5)

    @property
    def waste_per_kill(self) -> int:
        return self.connections * self.rate  # about a second of data: checkpoints come twice a second

    @property
    def name(self) -> str:
        return f"http-{self.connections}"

    def serve(self, server: FaultServerThread) -> None:
        self._data = make_payload(self.size, seed=self.connections)
        server.add_file("/big/course.mp4", self._data, rate=self.rate)

    def enqueue(self, app: ServedApp, server: FaultServerThread, out: Path, work: Path) -> None:
        app.configure(download={"max_connections_per_download": self.connections})
        if not app.invoke("get_download_tasks"):
            app.invoke("add_urls", urls=[server.url("/big/course.mp4")], outputPath=str(out))

    def media_paths(self) -> list[str]:
        return ["/big/course.mp4"]

    def expected(self) -> dict[str, str]:
        return {"/big/course.mp4": sha256_of(self._data)}

    def durable_served(self, db: sqlite3.Connection) -> int:
        return claimed_bytes(db)

    def check_durable(self, db: sqlite3.Connection, out: Path) -> list[str]:
        return check_http_ranges(db, out, {"big/course.mp4": self._data})


@dataclass
class HlsScenario:
    """An AES-128 VOD playlist (IV from the media sequence), segments paced so that kills land mid-stream."""

    segments: int = 24
    segment_size: int = 200_000
    rate: int = 400_000
    name: str = "hls-aes128"
    kill_window: tuple[float, float] = (0.3, 1.5)
    concurrency: int = 4

    @property
    def waste_per_kill(self) -> int:
        # The segments in flight, and those finished since the last checkpoint (the engine saves once a second).
        return self.concurrency * (self.segment_size + self.segments + self.rate)

    def serve(self, server: FaultServerThread) -> None:
        key = bytes(range(16))
        self._plain = [make_payload(self.segment_size + i, seed=100 + i) for i in range(self.segments)]
        lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key.bin"']
        for i, body in enumerate(self._plain):
            server.add_file(f"/hls/s{i}.ts", encrypt(body, key, i.to_bytes(16, "big")), rate=self.rate,
                            content_type="video/mp2t")
            lines += ["#EXTINF:4.0,", f"s{i}.ts"]
        playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n"
        playlist += "\n".join(lines) + "\n#EXT-X-ENDLIST\n"
        server.add_file("/hls/index.m3u8", playlist.encode(), content_type="application/vnd.apple.mpegurl")
        server.add_file("/hls/key.bin", key)

    def enqueue(self, app: ServedApp, server: FaultServerThread, out: Path, work: Path) -> None:
        app.configure(download={"hls_segment_concurrency": self.concurrency})
        if not app.invoke("get_download_tasks"):
            task = {"id": "hls-crash", "url": server.url("/hls/index.m3u8"), "title": "Lecture",
                    "output_path": str(out),
                    "engine_options": {"remux": "off"}}  # the stream exactly as received, so it hashes like the source
            assert app.invoke("add_download_tasks", tasks=[task])

    def media_paths(self) -> list[str]:
        return [f"/hls/s{i}.ts" for i in range(self.segments)]

    def expected(self) -> dict[str, str]:
        return {"/hls/index.m3u8": sha256_of(b"".join(self._plain))}

    def durable_served(self, db: sqlite3.Connection) -> int:
        done = [row[0] for row in db.execute("SELECT idx FROM task_chunks WHERE done > 0 AND done = end_ - start + 1")]
        return sum(16 * ((self.segment_size + i) // 16 + 1) for i in done)  # the encrypted (padded) sizes

    def check_durable(self, db: sqlite3.Connection, out: Path) -> list[str]:
        """Each claimed segment is in the track file's recorded prefix (segments 0..n-1 in order) or whole in its
        part file."""
        problems = []
        for (meta_text,) in db.execute("SELECT resume_meta FROM tasks WHERE resume_meta IS NOT NULL"):
            meta = json.loads(meta_text)
            work = out / meta.get("work_dir", "")
            appended, length = meta.get("assembled", {}).get("video", [0, 0])
            track = work / "video.ts"
            prefix = b"".join(self._plain[:appended])
            if length != len(prefix) or (appended and (not track.is_file() or track.read_bytes()[:length] != prefix)):
                problems.append(f"track file: claims {appended} segments ({length} bytes) it does not hold")
            for index, done in db.execute("SELECT idx, done FROM task_chunks WHERE done > 0"):
                if index < appended:
                    continue
                part = work / f"{index:06d}.seg"
                plain = self._plain[index]
                if not part.is_file() or part.read_bytes() != plain[:done] or done != len(plain):
                    problems.append(f"segment {index}: claimed durable but {part.name} does not hold it")
        return problems


@dataclass
class YtDlpScenario:
    """A web page with a `<video src>`: yt-dlp extracts it and resumes its own `.part` file."""

    size: int = 12 * MIB
    rate: int = 4 * MIB
    name: str = "ytdlp"
    kill_window: tuple[float, float] = (0.8, 2.5)  # yt-dlp's extraction takes a moment before the first byte

    @property
    def waste_per_kill(self) -> int:
        # What was in flight: yt-dlp reads about a second of data per call (up to 4 MiB) before it writes any of it,
        # plus socket buffers. The bytes its `.part` file held are not fetched again (`check_durable` checks the
        # resumed request asks for what follows them).
        return self.rate + MIB

    def serve(self, server: FaultServerThread) -> None:
        self._server = server
        self._data = make_payload(self.size, seed=7)
        page = ('<!doctype html><html><head><title>Crash Clip</title></head>'
                '<body><video src="clip.mp4"></video></body></html>')
        server.add_file("/site/watch.html", page.encode(), content_type="text/html; charset=utf-8")
        server.add_file("/site/clip.mp4", self._data, rate=self.rate, content_type="video/mp4")

    def enqueue(self, app: ServedApp, server: FaultServerThread, out: Path, work: Path) -> None:
        self._out = out
        self._kept_at_start = self._kept()
        if not app.invoke("get_download_tasks"):
            app.invoke("add_urls", urls=[server.url("/site/watch.html")], outputPath=str(out), downloaderType="Youtube")

    def media_paths(self) -> list[str]:
        return ["/site/clip.mp4"]

    def expected(self) -> dict[str, str]:
        return {"/site/watch.html": sha256_of(self._data)}

    def _kept(self) -> int:
        """The bytes in yt-dlp's `.part` file (a SIGKILL keeps what was written: the kernel holds it)."""
        return sum(p.stat().st_size for p in self._out.glob("*.part"))

    def durable_served(self, db: sqlite3.Connection) -> int:
        return self._kept()  # yt-dlp resumes from its `.part` file, which the database does not describe byte by byte

    def check_durable(self, db: sqlite3.Connection, out: Path) -> list[str]:
        """The run's first request for the clip went on from the bytes the `.part` file held when it started."""
        asked = self._server.stats("/site/clip.mp4").ranges
        if not self._kept_at_start or not asked:
            return []
        wanted = f"bytes={self._kept_at_start}-"
        return [] if asked[0] == wanted else [f"resumed with {asked[0]!r}, not {wanted!r}"]


@dataclass
class ImportScenario:
    """A 1,000-row CSV imported with `import_tasks_and_enqueue` (start) and re-imported after every restart:
    each row must end as exactly one Completed task."""

    rows: int = 1000
    file_size: int = 4096
    name: str = "import-1000"
    kill_window: tuple[float, float] = (0.0, 0.6)  # the import itself takes ~0.1-0.2 s after the request
    import_seconds: list[float] = field(default_factory=list)  # how long the imports that finished took
    concurrency: int = 8

    @property
    def waste_per_kill(self) -> int:
        return 2 * self.concurrency * self.file_size

    def serve(self, server: FaultServerThread) -> None:
        self._files = {f"/rows/{i:04d}.mp4": make_payload(self.file_size, seed=10_000 + i) for i in range(self.rows)}
        for path, body in self._files.items():
            server.add_file(path, body, content_type="video/mp4")

    def enqueue(self, app: ServedApp, server: FaultServerThread, out: Path, work: Path) -> None:
        sheet = work / "lessons.csv"
        if not sheet.exists():
            with open(sheet, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(CHINESE_HEADER)
                for i, path in enumerate(self._files):
                    writer.writerow([f"z{i // 100}", f"专栏{i // 100}", f"k{i}", f"第{i}课", server.url(path)])
        app.configure(download={"concurrent_downloads": self.concurrency})
        # In the background, so that the kill may land in the middle of the import itself.
        threading.Thread(target=self._import, args=(app, sheet, out), name="import", daemon=True).start()

    def _import(self, app: ServedApp, sheet: Path, out: Path) -> None:
        began = time.monotonic()
        try:
            app.invoke("import_tasks_and_enqueue", filePath=str(sheet), outputDir=str(out), start=True)
        except (OSError, CommandError):
            return  # killed mid-import: the next cycle imports the sheet again
        self.import_seconds.append(time.monotonic() - began)

    def media_paths(self) -> list[str]:
        return list(self._files)

    def expected(self) -> dict[str, str]:
        return {path: sha256_of(body) for path, body in self._files.items()}

    def durable_served(self, db: sqlite3.Connection) -> int:
        return claimed_bytes(db) + sum(
            row[0]
            for row in db.execute("SELECT json_extract(data, '$.file_size') FROM tasks WHERE status = 'Completed'"))

    def check_durable(self, db: sqlite3.Connection, out: Path) -> list[str]:
        # An import adds its rows in batches, each committed whole, in sheet order (so a 200,000-row sheet never holds
        # the command loop); a kill between two batches leaves the first rows, and importing the sheet again adds the
        # rest. What must never be: a row twice, a row missing before one that is there, rows out of sheet order.
        urls = [row[0] for row in db.execute("SELECT json_extract(data, '$.url') FROM tasks ORDER BY seq")]
        paths = [urlsplit(url).path for url in urls]
        not_a_prefix = ([f"{len(paths)} tasks are not the sheet's first {len(paths)} rows in order"]
                        if paths != list(self._files)[:len(paths)] else [])
        return not_a_prefix + check_http_ranges(db, out, {p.lstrip("/"): b for p, b in self._files.items()})


SCENARIOS = {
    "http-1": lambda: HttpScenario(connections=1, rate=6 * MIB),
    "http-8": lambda: HttpScenario(connections=8),
    "hls": HlsScenario,
    "ytdlp": YtDlpScenario,
    "import": ImportScenario,
}

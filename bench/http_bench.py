"""HTTP: `vdp get` against curl and aria2c on loopback, one 512 MiB file and 500 × 256 KiB files.

    python -m bench.run http [--repeat 3]

CPU per byte is each client's CPU for the large file less its CPU for one small file (start-up, connection and
exit), over the bytes between them: a client's fixed cost at start is not a cost per byte, and for vdp it is
some 0.3 CPU-s of imports that would weigh the same on a 50 GiB file.

The file server runs in its own process (sendfile, > 1 GB/s), so the client is what is measured. Every vdp run
gets a fresh data dir and output folder; every output is checked by SHA-256 against its source.
"""

from __future__ import annotations

import argparse
import compileall
import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from tests.support.payload import write_payload

from . import _clients as clients
from ._fileserver import file_server
from ._process import Measurement, measure
from ._report import machine
from ._runs import ArgvFor, expect_files, verified_runs
from ._stats import median, table

LARGE = 512 << 20
SMALL = 256 << 10
SMALL_COUNT = 500
PARALLEL = 8
BOUND_LIBRARIES = ["pydantic", "httpx", "aiosqlite"]  # the design card's; aiohttp is the transport chosen for speed
# The floor again, deeper into the same stack (docs/benchmarks.md "HTTP profile"): what a request costs below
# httpx's client, and through vdp's own request path.
LOWER_LAYERS = [("httpx's transport without the client", "transport"), ("aiohttp alone", "aiohttp"),
                ("vdp's request path", "vdp")]


@dataclass
class Row:
    name: str
    runs: list[Measurement]
    size: int

    def cells(self) -> list[str]:
        best = min(r.wall for r in self.runs)
        return [self.name, f"{best:.2f} s", f"{median([r.wall for r in self.runs]):.2f} s",
                f"{self.size / best / 1e6:.0f} MB/s",
                f"{median([r.cpu for r in self.runs]):.2f} s", f"{max(r.peak_rss_mib for r in self.runs):.0f} MiB",
                " ".join(f"{r.wall:.2f}" for r in self.runs)]


def prepare(root: Path) -> dict[str, str]:
    """The served files and their digests (cached between runs)."""
    root.mkdir(parents=True, exist_ok=True)
    digests_file = root / "digests.txt"
    if digests_file.exists():
        return dict(line.split() for line in digests_file.read_text().splitlines())
    digests = {"large.bin": write_payload(root / "large.bin", LARGE, seed=1)}
    (root / "small").mkdir(exist_ok=True)
    for index in range(SMALL_COUNT):
        name = f"small/f{index:03d}.bin"
        digests[name] = write_payload(root / name, SMALL, seed=1000 + index)
    digests_file.write_text("".join(f"{k} {v}\n" for k, v in digests.items()))
    return digests


def compile_backend() -> None:
    """vdp's bytecode, as an installed copy has it (pip compiles a wheel's modules on install). In a working tree
    under PYTHONDONTWRITEBYTECODE, every module changed since it was last compiled is compiled again by every
    `vdp get` run: tens of milliseconds of CPU that no user pays."""
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "backend" / "vdp", quiet=1)


def _run(argv_for: ArgvFor, expected: dict[Path, str], work: Path, repeat: int) -> list[Measurement]:
    return verified_runs(argv_for, expect_files(expected), work, repeat)


def main(argv: Sequence[str] = ()) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run http")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vdp-bench")
    args = parser.parse_args(argv)
    served = args.workdir / "http-files"
    digests = prepare(served)
    work = args.workdir / "http-runs"
    work.mkdir(parents=True, exist_ok=True)
    compile_backend()
    with file_server(served) as base:
        large_url = base + "large.bin"
        large = {Path("large.bin"): digests["large.bin"]}
        large_rows = [
            Row("curl", _run(lambda o, d: clients.curl_one(large_url, o / "large.bin"), large, work, args.repeat),
                LARGE),
            Row("aria2c -x1", _run(lambda o, d: clients.aria2c_one(large_url, o / "large.bin", connections=1),
                                   large, work, args.repeat), LARGE),
            Row("aria2c -x8 -s8 -k1M", _run(lambda o, d: clients.aria2c_one(large_url, o / "large.bin", connections=8),
                                            large, work, args.repeat), LARGE),
            Row("curl, then sync of the file", _run(
                lambda o, d: clients.then_sync(clients.curl_one(large_url, o / "large.bin"), _quoted(o / "large.bin")),
                large, work, args.repeat), LARGE),
            Row("aria2c -x8 -s8 -k1M, then sync of the file", _run(
                lambda o, d: clients.then_sync(clients.aria2c_one(large_url, o / "large.bin", connections=8),
                                               _quoted(o / "large.bin")),
                large, work, args.repeat), LARGE),
            Row("floor: httpx streaming to disk, then fsync", _run(
                lambda o, d: clients.httpx_floor([large_url], o, 1), large, work, args.repeat), LARGE),
            Row("vdp get --connections 1", _run(lambda o, d: clients.vdp_get(d, o, [large_url], connections=1),
                                                large, work, args.repeat), LARGE),
            Row("vdp get (default: 8 connections)", _run(lambda o, d: clients.vdp_get(d, o, [large_url]),
                                                         large, work, args.repeat), LARGE),
        ]
        names = [f"f{i:03d}.bin" for i in range(SMALL_COUNT)]
        urls = [f"{base}small/{n}" for n in names]
        small = {Path(n): digests[f"small/{n}"] for n in names}
        one = {Path(names[0]): digests[f"small/{names[0]}"]}
        one_file_rows = [
            Row("curl", _run(lambda o, d: clients.curl_one(urls[0], o / names[0]), one, work, args.repeat), SMALL),
            Row("aria2c -x8 -s8 -k1M", _run(lambda o, d: clients.aria2c_one(urls[0], o / names[0], connections=8),
                                            one, work, args.repeat), SMALL),
            Row("vdp get --connections 1", _run(lambda o, d: clients.vdp_get(d, o, urls[:1], connections=1),
                                                one, work, args.repeat), SMALL),
            Row("vdp get (default: 8 connections)", _run(lambda o, d: clients.vdp_get(d, o, urls[:1]),
                                                         one, work, args.repeat), SMALL),
        ]
        url_list = work / "urls.txt"
        url_list.write_text("\n".join(urls) + "\n")
        total = SMALL * SMALL_COUNT
        small_rows = [
            Row(f"curl --parallel --parallel-max {PARALLEL}",
                _run(lambda o, d: clients.curl_many(urls, o, PARALLEL), small, work, args.repeat), total),
            Row(f"aria2c -i list -j{PARALLEL}",
                _run(lambda o, d: clients.aria2c_many(url_list, o, PARALLEL), small, work, args.repeat), total),
            Row(f"aria2c -i list -j{PARALLEL}, then sync of the files",
                _run(lambda o, d: clients.then_sync(clients.aria2c_many(url_list, o, PARALLEL), _quoted(o) + "/*"),
                     small, work, args.repeat), total),
            Row(f"floor: httpx streaming to disk, then fsync, {PARALLEL} at a time", _run(
                lambda o, d: clients.httpx_floor(urls, o, PARALLEL), small, work, args.repeat), total),
            *(Row(f"lower layer: {what}, same work", _run(_floor_at(layer, urls), small, work, args.repeat), total)
              for what, layer in LOWER_LAYERS),
            Row(f"vdp get -j{PARALLEL} (500 URLs)",
                _run(lambda o, d: clients.vdp_get(d, o, urls, jobs=PARALLEL), small, work, args.repeat), total),
        ]
    floors = [(modules, min(measure(clients.import_only(modules)).wall for _ in range(args.repeat)))
              for modules in (BOUND_LIBRARIES, [*BOUND_LIBRARIES, "aiohttp"])]
    header = ["client", "wall (best)", "wall (median)", "throughput (best)", "CPU user+sys", "peak RSS", "all runs (s)"]
    verdict = _verdict(large_rows, small_rows, floors)
    return "\n".join([
        "```\npython -m bench.run http" + (f" --repeat {args.repeat}" if args.repeat != 3 else "") + "\n```",
        "",
        f"Run: {machine()}. Best and median of {args.repeat} runs each (the machine is shared: the best run is the "
        "least disturbed one; the targets compare best runs); every output verified by SHA-256; each `vdp get` "
        "run with a fresh data dir. CPU and RSS are the client's whole process tree (`wait4` rusage). The server is "
        "`tests.support.fault_server` in its own process; `sync` before each run, so no run pays for the dirty pages "
        "of the one before. Every wall time includes the client's start-up (for `vdp get`: imports, database, "
        "runtime, ≈ 0.4 s).",
        "",
        f"### One {LARGE >> 20} MiB file", "", table(header, [r.cells() for r in large_rows]), "",
        "### CPU per byte", "", _cpu_per_byte(large_rows, one_file_rows), "",
        f"### {SMALL_COUNT} × {SMALL >> 10} KiB files, {PARALLEL} at a time", "",
        table(header, [r.cells() for r in small_rows]), "",
        "### Targets", "", verdict,
    ])


def _cpu_per_byte(large: list[Row], one_file: list[Row]) -> str:
    """Least CPU of the large file less the least CPU of one small file, per byte between them; against curl's. The
    least, as for wall times: on a shared machine every disturbance adds CPU time (curl's own runs of the large file
    spread over 0.48–0.95 CPU-s here), none takes any away."""
    by_name = {row.name: row for row in large}

    def cpu(row: Row) -> float:
        return min(r.cpu for r in row.runs)

    per_mib = {row.name: (cpu(by_name[row.name]) - cpu(row)) / ((LARGE - SMALL) / (1 << 20)) for row in one_file}
    whole = {row.name: cpu(by_name[row.name]) / cpu(by_name["curl"]) for row in one_file}
    rows = [[row.name, f"{cpu(by_name[row.name]):.2f} s", f"{cpu(row):.2f} s", f"{per_mib[row.name] * 1e3:.2f} ms",
             f"{whole[row.name]:.2f}×", f"{per_mib[row.name] / per_mib['curl']:.2f}×",
             " ".join(f"{r.cpu:.2f}" for r in by_name[row.name].runs)] for row in one_file]
    worst = max(per_mib[name] / per_mib["curl"] for name in per_mib if name.startswith("vdp"))
    header = ["client", f"CPU, {LARGE >> 20} MiB (least)", f"CPU, one {SMALL >> 10} KiB file (least)",
              "CPU per MiB, net", "whole run against curl", "per byte against curl",
              f"CPU, {LARGE >> 20} MiB, all runs"]
    return "\n".join([
        table(header, rows), "",
        f"- CPU per byte within 1.5× of curl's: {'met' if worst <= 1.5 else 'MISSED'} (vdp at most {worst:.2f}×).",
    ])


def _floor_at(layer: str, urls: list[str]) -> ArgvFor:
    return lambda o, d: clients.httpx_floor(urls, o, PARALLEL, layer=layer)


def _quoted(path: Path) -> str:
    return shlex.quote(str(path))


def _verdict(large: list[Row], small: list[Row], floors: list[tuple[list[str], float]]) -> str:
    def best(rows: list[Row], client: str, *, synced: bool = False) -> float:
        return min(min(r.wall for r in row.runs) for row in rows
                   if row.name.startswith(client) and (", then sync" in row.name) == synced)

    vdp_large, aria_large, curl_large = best(large, "vdp"), best(large, "aria2c"), best(large, "curl")
    vdp_small, aria_small = best(small, "vdp"), best(small, "aria2c")
    lines = [
        f"- Faster than aria2c on the large file: {'met' if vdp_large < aria_large else 'MISSED'} "
        f"(vdp best {vdp_large:.2f} s vs aria2c best {aria_large:.2f} s).",
        f"- Within 10% of curl on the large file: {'met' if vdp_large <= curl_large * 1.10 else 'MISSED'} "
        f"(vdp {vdp_large:.2f} s vs curl {curl_large:.2f} s, {100 * (vdp_large / curl_large - 1):+.0f}%).",
        f"- Faster than aria2c on the small files: {'met' if vdp_small < aria_small else 'MISSED'} "
        f"(vdp {vdp_small:.2f} s vs aria2c {aria_small:.2f} s).",
        "",
        "With the same promise as vdp (the files are on disk when the client says done: the client, then `sync` of "
        f"its files): large file curl {best(large, 'curl', synced=True):.2f} s, aria2c -x8 "
        f"{best(large, 'aria2c', synced=True):.2f} s, vdp {vdp_large:.2f} s; small files aria2c "
        f"{best(small, 'aria2c', synced=True):.2f} s, vdp {vdp_small:.2f} s.",
        "",
        f"Floors: `python -m bench.httpx_floor` (httpx with the aiohttp transport, no database, events, resume or "
        f"naming; an fsync per file) takes {best(large, 'floor'):.2f} s for the large file and "
        f"{best(small, 'floor'):.2f} s for the small ones; a Python process that only imports "
        + "; ".join(f"{', '.join(modules)} takes {wall:.2f} s" for modules, wall in floors)
        + " (best of as many runs).",
    ]
    return "\n".join(lines)

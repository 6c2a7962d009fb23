"""HTTP: `vdp get` against curl and aria2c on loopback, one 512 MiB file and 500 × 256 KiB files.

    python -m bench.run http [--repeat 3]

The file server runs in its own process (sendfile, > 1 GB/s), so the client is what is measured. Every vdp run
gets a fresh data dir and output folder; every output is checked by SHA-256 against its source.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from tests.support.payload import write_payload

from . import _clients as clients
from ._fileserver import file_server
from ._process import Measurement
from ._runs import ArgvFor, expect_files, verified_runs
from ._report import machine
from ._stats import median, table

LARGE = 512 << 20
SMALL = 256 << 10
SMALL_COUNT = 500
PARALLEL = 8


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
    with file_server(served) as base:
        large_url = base + "large.bin"
        large = {Path("large.bin"): digests["large.bin"]}
        large_rows = [
            Row("curl", _run(lambda o, d: clients.curl_one(large_url, o / "large.bin"), large, work, args.repeat), LARGE),
            Row("aria2c -x1", _run(lambda o, d: clients.aria2c_one(large_url, o / "large.bin", connections=1),
                                   large, work, args.repeat), LARGE),
            Row("aria2c -x8 -s8 -k1M", _run(lambda o, d: clients.aria2c_one(large_url, o / "large.bin", connections=8),
                                            large, work, args.repeat), LARGE),
            Row("vdp get --connections 1", _run(lambda o, d: clients.vdp_get(d, o, [large_url], connections=1),
                                                large, work, args.repeat), LARGE),
            Row("vdp get (default: 8 connections)", _run(lambda o, d: clients.vdp_get(d, o, [large_url]),
                                                         large, work, args.repeat), LARGE),
        ]
        names = [f"f{i:03d}.bin" for i in range(SMALL_COUNT)]
        urls = [f"{base}small/{n}" for n in names]
        small = {Path(n): digests[f"small/{n}"] for n in names}
        url_list = work / "urls.txt"
        url_list.write_text("\n".join(urls) + "\n")
        total = SMALL * SMALL_COUNT
        small_rows = [
            Row(f"curl --parallel --parallel-max {PARALLEL}",
                _run(lambda o, d: clients.curl_many(urls, o, PARALLEL), small, work, args.repeat), total),
            Row(f"aria2c -i list -j{PARALLEL}",
                _run(lambda o, d: clients.aria2c_many(url_list, o, PARALLEL), small, work, args.repeat), total),
            Row(f"vdp get -j{PARALLEL} (500 URLs)",
                _run(lambda o, d: clients.vdp_get(d, o, urls, jobs=PARALLEL), small, work, args.repeat), total),
        ]
    header = ["client", "wall (best)", "wall (median)", "throughput (best)", "CPU user+sys", "peak RSS", f"all runs (s)"]
    verdict = _verdict(large_rows, small_rows)
    return "\n".join([
        "```\npython -m bench.run http" + (f" --repeat {args.repeat}" if args.repeat != 3 else "") + "\n```",
        "",
        f"Run: {machine()}. Best and median of {args.repeat} runs each (the machine is shared: the best run is the least disturbed one; the targets compare best runs); every output verified by SHA-256; each `vdp get` "
        "run with a fresh data dir. CPU and RSS are the client's whole process tree (`wait4` rusage). The server is "
        "`tests.support.fault_server` in its own process; `sync` before each run, so no run pays for the dirty pages "
        "of the one before. `vdp get` wall time includes its start-up (imports, database, runtime: ≈0.7 s).",
        "",
        f"### One {LARGE >> 20} MiB file", "", table(header, [r.cells() for r in large_rows]), "",
        f"### {SMALL_COUNT} × {SMALL >> 10} KiB files, {PARALLEL} at a time", "",
        table(header, [r.cells() for r in small_rows]), "",
        "### Targets", "", verdict,
    ])


def _verdict(large: list[Row], small: list[Row]) -> str:
    def wall(row: Row) -> float:
        return min(r.wall for r in row.runs)

    vdp_large = min(wall(r) for r in large if r.name.startswith("vdp"))
    aria_large = min(wall(r) for r in large if r.name.startswith("aria2c"))
    curl_large = wall(large[0])
    vdp_small = wall(small[2])
    aria_small = wall(small[1])
    lines = [
        f"- Faster than aria2c on the large file: {'met' if vdp_large < aria_large else 'MISSED'} "
        f"(vdp best {vdp_large:.2f} s vs aria2c best {aria_large:.2f} s).",
        f"- Within 10% of curl on the large file: {'met' if vdp_large <= curl_large * 1.10 else 'MISSED'} "
        f"(vdp {vdp_large:.2f} s vs curl {curl_large:.2f} s, {100 * (vdp_large / curl_large - 1):+.0f}%).",
        f"- Faster than aria2c on the small files: {'met' if vdp_small < aria_small else 'MISSED'} "
        f"(vdp {vdp_small:.2f} s vs aria2c {aria_small:.2f} s).",
    ]
    return "\n".join(lines)

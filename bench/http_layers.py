"""What a request costs at each layer of the HTTP stack: 500 × 256 KiB, 8 at a time, through `bench.httpx_floor`.

    python -m bench.http_layers [--repeat 3] [--layers client,transport,...]

Each run is its own process against the loopback file server of `bench.run http` (same files, in its own
process). The figure that counts is the CPU per request of the fetching alone (user+sys of every thread, imports
excluded), first with the bodies dropped (the HTTP stack alone), then written and fsynced: on a shared machine,
wall time measures the neighbours too. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from ._fileserver import file_server
from ._stats import median, table
from .http_bench import PARALLEL, SMALL, SMALL_COUNT, prepare
from .httpx_floor import LAYERS

DESCRIPTIONS = {
    "client": "httpx.AsyncClient + httpx-aiohttp transport (the floor row)",
    "transport": "httpx-aiohttp transport's handle_async_request, no client",
    "httpcore": "httpcore.AsyncConnectionPool (httpx's own transport layer)",
    "aiohttp": "aiohttp.ClientSession, no cookie jar",
    "vdp": "vdp's request path (engines/request_path.py over engines/transport.py)",
}


def _one(layer: str, out: Path, urls: list[str], *, discard: bool) -> dict[str, float]:
    for old in out.glob("*"):
        old.unlink()
    argv = [sys.executable, "-m", "bench.httpx_floor", "--layer", layer, "--report", *(["--discard"] * discard),
            str(out), str(PARALLEL), *urls]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if not discard and len(list(out.glob("*.bin"))) != len(urls):
        raise RuntimeError(f"{layer}: {len(list(out.glob('*.bin')))} files of {len(urls)}")
    return result


def main(argv: Sequence[str] = ()) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.http_layers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layers", default=",".join(LAYERS))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vdp-bench")
    args = parser.parse_args(argv)
    served = args.workdir / "http-files"
    prepare(served)
    out = args.workdir / "layer-runs"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with file_server(served) as base:
        urls = [f"{base}small/f{i:03d}.bin" for i in range(SMALL_COUNT)]
        for layer in args.layers.split(","):
            http = [_one(layer, out, urls, discard=True)["cpu"] / len(urls) * 1e3 for _ in range(args.repeat)]
            disk = [_one(layer, out, urls, discard=False) for _ in range(args.repeat)]
            rows.append([f"`{layer}`: {DESCRIPTIONS[layer]}", f"{median(http):.2f} ms", f"{min(http):.2f} ms",
                         f"{median([r['cpu'] / len(urls) * 1e3 for r in disk]):.2f} ms",
                         f"{min(r['wall'] for r in disk):.2f} s"])
    header = ["layer", "HTTP CPU per request (median)", "(best)", "with write + fsync (median)", "wall (best)"]
    return (f"`python -m bench.http_layers --repeat {args.repeat}`: {SMALL_COUNT} × {SMALL >> 10} KiB, {PARALLEL} at "
            "a time, fetching only (start-up excluded). HTTP CPU: bodies read and dropped; then the same with each "
            "body written and fsynced, as the floor row does.\n\n" + table(header, rows))


if __name__ == "__main__":
    print(main(sys.argv[1:]))

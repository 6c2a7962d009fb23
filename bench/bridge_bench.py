"""Event bridge (issue 7): server mode with 200 and 1,000 running tasks, v2 and v1 runtimes.

    python -m bench.run bridge [--counts 200 1000] [--runtimes v2 v1] [--window 15]

The app runs as a server process (`bench._bridge_server`: the real server mode with the concurrency limit
lifted above the UI's 64); the throttled file server in another. A WebSocket client counts the events and batches
it receives, and a real Chromium page (the built UI, Debian's chromium, headless) records the gap between
animation frames while the batches arrive. Measured over `--window` seconds once every task is running.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import aiohttp

from ._fileserver import REPO, file_server
from ._report import machine
from ._stats import ms, percentile, table
from ._tasks import hard_linked_files, task_rows

_FRAME_PROBE = """
window.__frameGaps = [];
window.__longTasks = [];
(() => {
  let last = performance.now();
  const frame = (t) => { window.__frameGaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ entryTypes: ["longtask"] });
  } catch (e) {}
})();
"""


async def _scenario(base: str, names: list[str], work: Path, runtime: str, window: float) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    token = secrets.token_urlsafe(16)
    server_log = open(work / "server.log", "wb")  # noqa: SIM115 (the server writes to it for as long as it runs)
    server = subprocess.Popen([sys.executable, "-m", "bench._bridge_server", "--data-dir", str(work / "data"),
                               "--runtime", runtime, "--concurrency", str(len(names)), "--token", token],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=server_log, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        if not first.startswith("port "):
            raise RuntimeError(f"server did not start: {(work / 'server.log').read_text()[-1500:]}")
        port = int(first.split()[1])
        api = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession(headers=headers) as http, async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium",
                                               args=["--headless=new", "--no-sandbox", "--disable-gpu"])
            page = await browser.new_page(viewport={"width": 1200, "height": 800})
            await page.add_init_script(_FRAME_PROBE)
            await page.goto(f"{api}/#token={token}")
            await page.wait_for_load_state("networkidle")

            async def invoke(command: str, **args: Any) -> Any:
                async with http.post(f"{api}/api/invoke/{command}", json=args) as response:
                    body = await response.json()
                    if response.status != 200:
                        raise RuntimeError(f"{command}: {body}")
                    return body

            batches: list[tuple[float, int, int]] = []  # (arrival, events, status events)
            socket = await http.ws_connect(f"{api.replace('http', 'ws')}/api/events?token={token}")

            async def receive() -> None:
                async for message in socket:
                    batch = json.loads(message.data)
                    batches.append((time.monotonic(), len(batch),
                                    sum(1 for e in batch if e["event"] == "task_status_changed")))

            receiver = asyncio.ensure_future(receive())
            await invoke("add_download_tasks", tasks=task_rows(base, names, work / "out"))
            await invoke("start_all_pending_downloads")
            ramp_started = time.monotonic()
            while (await invoke("get_download_stats"))["active_downloads"] < len(names):
                if time.monotonic() - ramp_started > 60:
                    break
                await asyncio.sleep(0.25)
            ramp = time.monotonic() - ramp_started
            active = (await invoke("get_download_stats"))["active_downloads"]
            await page.evaluate("window.__frameGaps = []; window.__longTasks = []")
            start = time.monotonic()
            await asyncio.sleep(window)
            end = time.monotonic()
            gaps = [g / 1000 for g in await page.evaluate("window.__frameGaps")]  # ms in the page, s here
            long_tasks = [d / 1000 for d in await page.evaluate("window.__longTasks")]
            rows_shown = await page.evaluate("document.querySelectorAll('[data-testid=task-row]').length")
            receiver.cancel()
            await socket.close()
            await browser.close()
    finally:
        server.terminate()
        server.wait(30)
    inside = [b for b in batches if start <= b[0] <= end]
    intervals = [b[0] - a[0] for a, b in zip(inside, inside[1:])]
    return {"ramp": ramp, "active": active, "events_per_s": sum(b[1] for b in inside) / (end - start),
            "batches_per_s": len(inside) / (end - start), "interval": intervals, "gaps": gaps,
            "long_tasks": long_tasks, "rows": rows_shown,
            "batch_size": (sum(b[1] for b in inside) / len(inside)) if inside else 0.0}


def main(argv: Sequence[str] = ()) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run bridge")
    parser.add_argument("--counts", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--runtimes", nargs="+", default=["v2", "v1"], choices=("v1", "v2"))
    parser.add_argument("--window", type=float, default=15.0)
    parser.add_argument("--size-mib", type=int, default=8)
    parser.add_argument("--rate-kib", type=int, default=64, help="server rate per connection")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vdp-bench")
    args = parser.parse_args(argv)
    served = args.workdir / f"throttled-{args.size_mib}m"
    all_names = hard_linked_files(served, max(args.counts), args.size_mib << 20)
    rows = []
    with file_server(served, rate=args.rate_kib * 1024) as base:
        for runtime in args.runtimes:
            for count in args.counts:
                work = Path(tempfile.mkdtemp(dir=args.workdir))
                try:
                    r = asyncio.run(_scenario(base, all_names[:count], work, runtime, args.window))
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                rows.append([runtime, f"{r['active']}/{count}", f"{r['ramp']:.1f} s", f"{r['events_per_s']:,.0f}",
                             f"{r['batches_per_s']:.1f}", f"{r['batch_size']:.0f}",
                             f"{ms(percentile(r['interval'], .5))} / {ms(percentile(r['interval'], .99))} / "
                             f"{ms(max(r['interval'], default=float('nan')))}",
                             f"{ms(percentile(r['gaps'], .5))} / {ms(percentile(r['gaps'], .99))} / "
                             f"{ms(max(r['gaps'], default=float('nan')))}",
                             f"{len(r['long_tasks'])} ({ms(sum(r['long_tasks']))})", r["rows"]])
                print(rows[-1], file=sys.stderr, flush=True)
    command = "python -m bench.run bridge" + ("" if not argv else " " + " ".join(argv))
    return "\n".join([
        f"```\n{command}\n```", "",
        f"Run: {machine()}. Files of {args.size_mib} MiB throttled to {args.rate_kib} KiB/s per connection so every "
        f"task keeps running through the {args.window:.0f} s window; one connection per task. Server, file server, "
        "Chromium and the WebSocket client share the 2 cores.", "",
        table(["runtime", "running", "ramp-up", "events/s (WebSocket)", "batches/s", "events/batch",
               "batch interval p50 / p99 / max", "page frame gap p50 / p99 / max", "long tasks (total)",
               "rows in the DOM"], rows),
        "",
        "Frame gaps come from `requestAnimationFrame` in the served UI page (Chromium `--headless=new`); a gap of "
        "16.7 ms is a smooth 60 Hz frame. Long tasks are the page's PerformanceObserver `longtask` entries (> 50 ms).",
    ])

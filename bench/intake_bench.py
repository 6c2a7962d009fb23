"""Task intake: 10,000 tasks through `invoke` on a fresh data dir, as the UI or an import hands them over.

    python -m bench.run intake [--tasks N]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Sequence

from tests.support.appkit import running_app

from ._report import machine


async def _measure(tasks: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vdp-intake-") as tmp:
        async with running_app(Path(tmp) / "data") as kit:
            batch = [{"id": f"t{n}", "url": f"http://127.0.0.1:9/{n}.mp4", "title": f"video {n}",
                      "output_path": str(kit.out)} for n in range(tasks)]
            figures = {}
            for label, command, args in (("add_download_tasks", "add_download_tasks", {"tasks": batch}),
                                         ("get_download_tasks", "get_download_tasks", {}),
                                         ("start_all_downloads", "start_all_downloads", {}),
                                         ("pause_all_downloads", "pause_all_downloads", {})):
                started = time.perf_counter()
                await kit.call(command, **args)
                figures[label] = time.perf_counter() - started
            return figures


def main(argv: Sequence[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run intake")
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args(argv)
    figures = asyncio.run(_measure(args.tasks))
    rows = "\n".join(f"| `{name}` | {seconds:.3f} s |" for name, seconds in figures.items())
    return f"""```
python -m bench.run intake --tasks {args.tasks}
```

Run: {machine()}. {args.tasks:,} tasks handed over in one `add_download_tasks` (argument validation, routing, one
repository transaction, one `task_added` event each), then the other commands over the same list
(the URLs point at a closed port: the started tasks fail or wait for a retry, no bytes move).

| command | time |
|---|---|
{rows}
"""

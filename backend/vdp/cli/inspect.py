"""`vdp list` and `vdp health`: read-only looks at a data dir."""

from __future__ import annotations

import argparse
import asyncio
import json

from ..app import Application
from ..bridge.invoke import invoke
from ..paths import AppPaths


def run_inspect(args: argparse.Namespace, what: str) -> int:
    return asyncio.run(_inspect(args, what))


async def _inspect(args: argparse.Namespace, what: str) -> int:
    app = Application(AppPaths.resolve(args.data_dir), runtime=args.runtime)
    await app.start()
    try:
        if what == "health":
            print(json.dumps(await invoke(app, "health", {}), indent=2))
        else:
            for task in app.runtime.tasks():
                size = f"{task.downloaded_size}/{task.file_size if task.file_size is not None else '?'}"
                print(f"{task.id}\t{task.status.value}\t{size}\t{task.url}\t{task.file_path or task.output_path}")
    finally:
        await app.stop()
    return 0

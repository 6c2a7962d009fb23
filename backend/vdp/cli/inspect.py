"""`vdp list` and `vdp health`: read-only looks at a data dir."""

from __future__ import annotations

import argparse
import json

from ..app import Application
from ..bridge.invoke import invoke
from .session import run_with_app


def run_inspect(args: argparse.Namespace, what: str) -> int:
    return run_with_app(args, lambda app: _inspect(app, what))


async def _inspect(app: Application, what: str) -> int:
    if what == "health":
        print(json.dumps(await invoke(app, "health", {}), indent=2))
        return 0
    for task in app.runtime.tasks():
        size = f"{task.downloaded_size}/{task.file_size if task.file_size is not None else '?'}"
        print(f"{task.id}\t{task.status.value}\t{size}\t{task.url}\t{task.file_path or task.output_path}")
    return 0

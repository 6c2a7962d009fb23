"""`vdp migrate [PATH]`: take over the original app's settings and task list (once; a second run adds nothing).
PATH is its storage folder, or its config.json / download_state.json; left out, the original's usual place."""

from __future__ import annotations

import argparse
import sys

from ..app import Application
from ..bridge.invoke import invoke
from ..errors import VdpError
from .session import run_with_app


def run_migrate(args: argparse.Namespace) -> int:
    return run_with_app(args, lambda app: _migrate(app, args))


async def _migrate(app: Application, args: argparse.Namespace) -> int:
    try:
        report = await invoke(app, "run_migration", {"path": args.path})
    except VdpError as exc:
        print(f"vdp migrate: {exc}", file=sys.stderr)
        return 2
    print(f"migrated from {report['path']}")
    print(f"settings: {'taken over' if report['config_migrated'] else 'none found'}")
    print(f"tasks: {report['tasks_found']} found, {report['tasks_added']} added, "
          f"{report['tasks_already_known']} already known, {report['tasks_finished']} finished in the original "
          f"(not downloaded again), {report['tasks_unreadable']} unreadable")
    for note in report["notes"]:
        print(f"  note: {note}")
    return 0

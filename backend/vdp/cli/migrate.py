"""`vdp migrate [PATH]`: take over the original app's settings and task list (once; a second run adds nothing).
PATH is its storage folder, or its config.json / download_state.json; left out, the original's usual place."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..app import Application
from ..bridge.invoke import InvokeError, invoke
from ..paths import AppPaths


def run_migrate(args: argparse.Namespace) -> int:
    return asyncio.run(_migrate(args))


async def _migrate(args: argparse.Namespace) -> int:
    app = Application(AppPaths.resolve(args.data_dir), runtime=args.runtime)
    await app.start()
    try:
        report = await invoke(app, "run_migration", {"path": args.path})
    except InvokeError as exc:
        print(f"vdp migrate: {exc.message}", file=sys.stderr)
        return 2
    finally:
        await app.stop()
    print(f"migrated from {report['path']}")
    print(f"settings: {'taken over' if report['config_migrated'] else 'none found'}")
    print(f"tasks: {report['tasks_found']} found, {report['tasks_added']} added, "
          f"{report['tasks_already_known']} already known, {report['tasks_finished']} finished in the original "
          f"(not downloaded again), {report['tasks_unreadable']} unreadable")
    for note in report["notes"]:
        print(f"  note: {note}")
    return 0

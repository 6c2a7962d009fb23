"""`vdp import FILE [-o DIR] [--layout …] [--start]`: a CSV/Excel sheet into the task list of the data dir,
through the same runtime and reconciliation as the app. Importing the same file again creates nothing new.

Prints what the file held (new, already known and where those stand, skipped rows). With `--start` it starts
the file's unfinished tasks and follows them like `vdp get` (Ctrl-C pauses; exit 0 only if all completed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..app import Application
from ..bridge.handlers.imports import import_sheet
from ..contract import TaskStatus
from ..contract.imports import ReconciledImport
from ..errors import VdpError
from ..runtime import commands
from .get import follow
from .session import run_with_app


def run_import(args: argparse.Namespace) -> int:
    try:
        return run_with_app(args, lambda app: _import(app, args))
    except KeyboardInterrupt:  # Ctrl-C: the reading stopped (import_pool) and nothing was added
        print("vdp import: interrupted; nothing was added", file=sys.stderr)
        return 130


async def _import(app: Application, args: argparse.Namespace) -> int:
    output = str(Path(args.output).expanduser().resolve()) if args.output else None
    subscription = app.bus.subscribe("vdp-import")  # before anything starts, so no event is missed
    try:
        done = await import_sheet(app, args.file, output_dir=output, layout=args.layout)
    except VdpError as exc:
        print(f"vdp import: {exc}", file=sys.stderr)
        return 2
    print(describe(done.result))
    if not args.start:
        return 0
    unfinished = [t for t in (*done.added, *done.known) if t.status != TaskStatus.COMPLETED]
    for task in unfinished:
        await app.runtime.submit(commands.Start(task.id, restart=True))  # a failed one is tried again
    return await follow(app, {t.id for t in unfinished}, subscription, as_json=args.json)


def describe(result: ReconciledImport) -> str:
    r, stats = result.reconciliation, result.statistics
    lines = [
        f"{stats.parsed_rows} rows with a link, {r.skipped} skipped, {r.duplicate_rows} repeated in the file",
        f"new tasks: {r.new}",
        f"already known: {r.already_known} (completed {r.completed}, resumable {r.resumable}, failed {r.failed}, "
        f"waiting {r.waiting}, active {r.active}, cancelled {r.cancelled})",
    ]
    lines += [f"skipped ({reason}): {count}" for reason, count in sorted(stats.skip_reasons.items())]
    return "\n".join(lines)

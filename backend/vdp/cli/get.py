"""`vdp get URL... [-o DIR]`: headless downloads through the same runtime and data dir as the app.

Running the same command again continues the same tasks (matched by URL and folder), never duplicates them.
Ctrl-C pauses cleanly. The exit code is 0 only when every file completed.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
from pathlib import Path
from typing import Any

from .. import intake
from ..app import Application
from ..contract import ErrorCode, TaskStatus, VideoTask, utc_now
from ..engines.base import CancelToken, TransferInterrupted
from ..engines.scope import until_cancelled
from ..errors import VdpError
from ..redact import redact
from ..runtime import commands
from ..runtime.bus import Subscription
from .session import run_with_app
from .signals import on_interrupt

DONE = {TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED}


def run_get(args: argparse.Namespace) -> int:
    return run_with_app(args, lambda app: _download(app, args))


async def _download(app: Application, args: argparse.Namespace) -> int:
    output = str(Path(args.output).expanduser().resolve())
    download = app.config.download.model_copy(update={"concurrent_downloads": max(1, args.jobs)})
    if args.connections:
        download.max_connections_per_download = max(1, args.connections)
    await app.runtime.submit(commands.ApplyConfig(download, auto_start=False))  # this run only; not saved

    subscription = app.bus.subscribe("vdp-get")
    try:
        known, fresh = await _tasks_for(app, args.urls, output)
        # In the order given: the tasks the data dir already has, then the new ones, added and started in one
        # command. Queued together, the starts are one batch of the command loop with one commit.
        await asyncio.gather(*(app.runtime.submit(commands.Start(t.id, restart=True)) for t in known
                               if t.status != TaskStatus.COMPLETED))
        # The same URL may already be known for another folder: `vdp get` wants it here, so no URL dedup.
        added = await app.runtime.submit(commands.AddTasks(fresh, cause="vdp get", skip_duplicate_urls=False,
                                                           start=True))
    except VdpError as exc:
        print(f"vdp get: {exc}", file=sys.stderr)
        return 2
    ids = {t.id for t in known + added}

    return await follow(app, ids, subscription, as_json=args.json)


async def follow(app: Application, ids: set[str], subscription: Subscription, *, as_json: bool) -> int:
    """Show the tasks `ids` until each is done (Ctrl-C pauses them); the exit code of the run.
    `subscription` was opened before the tasks started, so no event is missed."""
    interrupted = CancelToken()  # Ctrl-C stops following, and the tasks are paused
    stop_watching = on_interrupt(asyncio.get_running_loop(), lambda: interrupted.cancel("pause"))
    try:
        return await _follow(app, ids, subscription, interrupted, as_json=as_json)
    finally:
        stop_watching()


async def _follow(app: Application, ids: set[str], subscription: Subscription, interrupted: CancelToken, *,
                  as_json: bool) -> int:
    view = None
    if as_json:
        if isinstance(sys.stdout, io.TextIOWrapper):
            # JSON lines are UTF-8 wherever they go. Redirected, Windows' stdout would use the ANSI code page and
            # fail on the first title outside it.
            sys.stdout.reconfigure(encoding="utf-8")
    else:
        from .progress_view import ProgressView  # rich is slow to import and --json never draws

        view = ProgressView([_task(app, i) for i in ids])
    # Follow the event stream, not the task objects: a status is set before its event is published, and the
    # last event must still be shown.
    pending = {i for i in ids if _task(app, i).status not in DONE}
    try:
        while pending:
            try:
                await until_cancelled(interrupted, subscription.wait())
            except TransferInterrupted:
                break
            lines: list[str] = []
            for event in subscription.drain():
                if _ours(event, ids):
                    if view is not None:
                        view.update(event)
                    else:
                        lines.append(event.wire_json())
                if event.name == "task_status_changed" and event.payload.to in DONE:
                    pending.discard(event.payload.task_id)
                elif event.name == "runtime_warning" and event.payload.code == ErrorCode.LAGGED:
                    pending = {i for i in pending if _task(app, i).status not in DONE}  # events were lost
            if lines:
                # A batch of events in one write (a line each): a print per event cost a write call per 8 KiB and
                # two calls per line, each a chance for another thread to take the interpreter lock.
                lines.append("")
                try:
                    sys.stdout.write("\n".join(lines))
                    sys.stdout.flush()
                except BrokenPipeError:  # the reader went away (`vdp get ... --json | head`): as Ctrl-C, pause
                    interrupted.cancel("pause")
                    break
    finally:
        if view:
            view.close()
    if interrupted.cancelled:
        for task_id in ids:
            if _task(app, task_id).status not in DONE:
                await app.runtime.submit(commands.Pause(task_id))
        print("Paused; run the same command again to continue.", file=sys.stderr)
        return 130
    failed = [_task(app, i) for i in ids if _task(app, i).status != TaskStatus.COMPLETED]
    for task in failed:
        print(redact(f"FAILED {task.url}: {task.error_message or task.status.value}"), file=sys.stderr)
    return 0 if not failed else 1


def _task(app: Application, task_id: str) -> VideoTask:
    """A task `vdp get` added or found; the runtime keeps it until a remove, which `vdp get` never sends."""
    task = app.runtime.task(task_id)
    if task is None:
        raise LookupError(f"task {task_id} vanished from the runtime")
    return task


async def _tasks_for(app: Application, urls: list[str], output: str) -> tuple[list[VideoTask], list[VideoTask]]:
    """The tasks for these URLs in this folder: the ones the data dir already has, and new ones (not added yet), each
    routed (a web page goes to yt-dlp, a playlist to HLS; a few probes at a time)."""
    known = {(t.url, t.output_path): t for t in app.runtime.tasks()}
    wanted = list(dict.fromkeys(urls))
    fresh = [url for url in wanted if (url, output) not in known]
    new: list[VideoTask] = []
    now = utc_now()
    for url, decision in zip(fresh, await app.probes.route_many(fresh)):
        if isinstance(decision, VdpError):
            raise VdpError(decision.code, f"{url}: {decision.message}")
        new.append(intake.task_for_link(url, output, decision, at=now))
    return [known[(url, output)] for url in wanted if (url, output) in known], new


def _ours(event: Any, ids: set[str]) -> bool:
    """Whether `vdp get` shows the event: one about one of its tasks, or about none in particular."""
    payload = event.payload
    task_id = payload.get("task_id") if isinstance(payload, dict) else getattr(payload, "task_id", None)
    return task_id is None or task_id in ids

"""Download commands (docs/contract.md, "Download commands" and "Our commands"), answered by the runtime."""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from ... import intake
from ...contract import (
    AddTasksArgs,
    AddUrlsArgs,
    CancelArgs,
    DebugTestEvent,
    DownloaderType,
    DownloadStats,
    NoArgs,
    RateLimitArgs,
    RemoveTaskArgs,
    RemoveTasksArgs,
    StartAllArgs,
    StartArgs,
    TaskIdArgs,
    TaskPriorityArgs,
    TaskRateLimitArgs,
    UpdateOutputPathsArgs,
    VideoTask,
    utc_now,
)
from ...errors import ErrorCode, VdpError, task_not_found
from ...runtime import commands
from ...slices import loop_slices
from ..context import AppContext
from ..registry import command

log = logging.getLogger(__name__)

RATE_LIMIT_MIN, RATE_LIMIT_MAX = 65_536, 10_737_418_240
PREPARE_SLICE = 200  # tasks of `add_download_tasks` checked and routed between two turns of the event loop


@command("add_download_tasks", AddTasksArgs)
async def add_download_tasks(app: AppContext, args: AddTasksArgs) -> list[VideoTask]:
    tasks = []
    async for part in loop_slices(args.tasks, PREPARE_SLICE):  # 10,000 checked in one go held the loop 50-70 ms
        for task in part:
            try:
                tasks.append(intake.prepared(task))
            except VdpError:
                continue  # the original skips tasks it cannot store; the answer lists only the stored ones
    return await app.runtime.submit(commands.AddTasks(tasks))


@command("add_urls", AddUrlsArgs)
async def add_urls(app: AppContext, args: AddUrlsArgs) -> list[VideoTask]:
    """The paste box: every link probed (bounded) to choose its engine, then added in one transaction."""
    output = args.output_path or app.config.download.output_directory
    urls = [intake.checked_url(line) for line in args.urls if line.strip()]
    decisions = await asyncio.gather(*(app.probes.route(url, forced=args.downloader_type) for url in urls))
    options = {"format": args.format} if args.format else {}
    now = utc_now()
    tasks = [intake.task_for_link(url, output, decision, options=options, at=now)
             for url, decision in zip(urls, decisions)]
    added = await app.runtime.submit(commands.AddTasks(tasks))
    pages = [task for task in added if task.downloader_type == DownloaderType.YOUTUBE]
    if pages:
        app.spawn(_find_titles(app, [(t.id, t.url) for t in pages]), name="title-probe")
    return added


async def _find_titles(app: AppContext, pages: list[tuple[str, str]]) -> None:
    """A page's real title (what yt-dlp extracts) replaces the URL shown as its title; a few pages at a time."""
    from ...engines.ytdlp import get_video_info

    slots = asyncio.Semaphore(2)

    async def one(task_id: str, url: str) -> None:
        async with slots:
            try:
                title = (await get_video_info(url, app.config.download)).get("title")
            except VdpError as exc:
                log.info("no title for %s: %s", url, exc.message)  # the download itself will report the problem
                return
        if isinstance(title, str) and title.strip():
            await app.runtime.submit(commands.Retitle(task_id, title.strip()[:300]))

    await asyncio.gather(*(one(task_id, url) for task_id, url in pages))


@command("start_download", StartArgs, prefix="Failed to start download")
async def start_download(app: AppContext, args: StartArgs) -> None:
    await app.runtime.submit(commands.Start(args.task_id, restart=args.restart))


@command("resume_download", TaskIdArgs, prefix="Failed to resume download")
async def resume_download(app: AppContext, args: TaskIdArgs) -> None:
    await app.runtime.submit(commands.Resume(args.task_id))


@command("pause_download", TaskIdArgs, prefix="Failed to pause download")
async def pause_download(app: AppContext, args: TaskIdArgs) -> None:
    await app.runtime.submit(commands.Pause(args.task_id))


@command("cancel_download", CancelArgs, prefix="Failed to cancel download")
async def cancel_download(app: AppContext, args: CancelArgs) -> None:
    await app.runtime.submit(commands.Cancel(args.task_id, keep_file=args.keep_file))


@command("pause_all_downloads")
async def pause_all_downloads(app: AppContext, _: NoArgs) -> int:
    return await app.runtime.submit(commands.PauseAll())


@command("resume_all_downloads")
async def resume_all_downloads(app: AppContext, _: NoArgs) -> int:
    return await app.runtime.submit(commands.ResumeAll())


@command("start_all_pending_downloads")
async def start_all_pending_downloads(app: AppContext, _: NoArgs) -> int:
    return await app.runtime.submit(commands.StartAll())


@command("start_all_downloads", StartAllArgs)
async def start_all_downloads(app: AppContext, args: StartAllArgs) -> int:
    return await app.runtime.submit(commands.StartAll(output_path=args.output_path))


@command("cancel_all_downloads")
async def cancel_all_downloads(app: AppContext, _: NoArgs) -> int:
    return await app.runtime.submit(commands.CancelAll())


def _require_task(app: AppContext, task_id: str) -> None:
    """The runtime's own refusal (`Download error: Task not found: <id>`) for a command it would not refuse itself."""
    if app.runtime.task(task_id) is None:
        raise task_not_found(task_id)


@command("remove_download", RemoveTaskArgs, prefix="Failed to remove task")
async def remove_download(app: AppContext, args: RemoveTaskArgs) -> None:
    _require_task(app, args.task_id)
    await app.runtime.submit(commands.Remove([args.task_id], delete_file=args.delete_file, single=True))


@command("remove_download_tasks", RemoveTasksArgs)
async def remove_download_tasks(app: AppContext, args: RemoveTasksArgs) -> None:
    await app.runtime.submit(commands.Remove(args.task_ids, delete_file=args.delete_file))


@command("get_download_tasks")
async def get_download_tasks(app: AppContext, _: NoArgs) -> list[VideoTask]:
    return app.runtime.tasks()


@command("get_download_stats")
async def get_download_stats(app: AppContext, _: NoArgs) -> DownloadStats:
    return app.runtime.stats()


@command("clear_completed_tasks")
async def clear_completed_tasks(app: AppContext, _: NoArgs) -> None:
    await app.runtime.submit(commands.ClearCompleted())


@command("retry_failed_tasks")
async def retry_failed_tasks(app: AppContext, _: NoArgs) -> None:
    await app.runtime.submit(commands.RetryFailed())


def _checked_rate(value: Optional[int]) -> Optional[int]:
    """The original's bounds: null lifts the limit; any number, 0 included, must lie within them."""
    if value is not None and not RATE_LIMIT_MIN <= value <= RATE_LIMIT_MAX:
        raise VdpError(ErrorCode.INVALID_ARGUMENT,
                       f"Rate limit must be between {RATE_LIMIT_MIN} and {RATE_LIMIT_MAX} bytes/sec")
    return value


@command("set_rate_limit", RateLimitArgs)
async def set_rate_limit(app: AppContext, args: RateLimitArgs) -> Optional[int]:
    value = _checked_rate(args.bytes_per_second)
    app.services.limits.global_bucket.set_rate(value)
    return value


@command("get_rate_limit")
async def get_rate_limit(app: AppContext, _: NoArgs) -> Optional[int]:
    rate = app.services.limits.global_bucket.rate
    return int(rate) if rate else None


@command("set_task_rate_limit", TaskRateLimitArgs, prefix="Failed to set the task's rate limit")
async def set_task_rate_limit(app: AppContext, args: TaskRateLimitArgs) -> Optional[int]:
    """A task's own limit, in force at once for its running transfer (kept in memory, as the global one is)."""
    _require_task(app, args.task_id)
    value = _checked_rate(args.bytes_per_second)
    app.services.limits.set_task_rate(args.task_id, value)
    return value


@command("get_task_rate_limit", TaskIdArgs)
async def get_task_rate_limit(app: AppContext, args: TaskIdArgs) -> Optional[int]:
    rate = app.services.limits.task_rate(args.task_id)
    return int(rate) if rate else None


@command("set_task_priority", TaskPriorityArgs, prefix="Failed to set priority")
async def set_task_priority(app: AppContext, args: TaskPriorityArgs) -> None:
    await app.runtime.submit(commands.SetPriority(args.task_id, args.priority))


@command("update_task_output_paths", UpdateOutputPathsArgs)
async def update_task_output_paths(app: AppContext, args: UpdateOutputPathsArgs) -> list[VideoTask]:
    return await app.runtime.submit(commands.UpdateOutputPaths(args.task_ids, args.output_path))


@command("debug_download_test", TaskIdArgs)
async def debug_download_test(app: AppContext, args: TaskIdArgs) -> str:
    """The original's four checks, word for word (docs/contract.md, debug_download_test); the event is sent whether or
    not the task exists, as there."""
    task = app.runtime.task(args.task_id)
    if task is None:
        found = f"Task NOT FOUND ❌ (total tasks: {len(app.runtime.tasks())})"
    else:
        found = f"Task found: status={task.status.value}, url={task.url}"
    app.bus.publish("debug_test_event", DebugTestEvent(message="Debug test from backend", task_id=args.task_id))
    return ("Debug Results:\nManager is_running: true\nevent_sender: SET ✅\n"
            f"{found}\nEmit test: SUCCESS ✅")

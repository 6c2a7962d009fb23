"""Download commands (original-contract.md §2.1 and the v2 additions), answered by the runtime."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any, Optional

from ...contract import (
    AddTasksArgs,
    AddUrlsArgs,
    CancelArgs,
    DownloaderType,
    NoArgs,
    RateLimitArgs,
    RemoveTaskArgs,
    RemoveTasksArgs,
    StartAllArgs,
    TaskIdArgs,
    TaskPriorityArgs,
    UpdateOutputPathsArgs,
    VideoInfo,
    VideoTask,
)
from ...engines.naming import filename_from_url
from ...engines.routing import require_http_url, route_by_url
from ...errors import CommandError, VdpError
from ...runtime import commands as C
from ..registry import command

log = logging.getLogger(__name__)

RATE_LIMIT_MIN, RATE_LIMIT_MAX = 65_536, 10_737_418_240


def _http_url(url: str) -> str:
    try:
        require_http_url(url.strip())
    except VdpError as exc:
        raise CommandError(exc.message) from None
    return url.strip()


def new_task(url: str, output: str, *, title: str, kind: DownloaderType, reason: str,
             video_info: Optional[VideoInfo] = None, options: Optional[dict[str, str]] = None) -> VideoTask:
    return VideoTask(id=f"task_{uuid.uuid4().hex}", url=url, title=title, output_path=output, downloader_type=kind,
                     routing_reason=reason, video_info=video_info, engine_options=options or {})


def prepare_task(task: VideoTask) -> VideoTask:
    """A task from the UI or a sheet: only http(s) links; the engine decided here, once, with its reason.
    No network here (thousands of rows arrive at once); links no rule decides go to the HTTP engine, which
    recognises a web page and says so."""
    _http_url(task.url)
    if task.downloader_type is not None:
        task.routing_reason = task.routing_reason or "chosen by the user"
    else:
        decision = route_by_url(task.url)
        task.downloader_type = decision.downloader_type if decision else DownloaderType.HTTP
        task.routing_reason = decision.reason if decision else "no rule matched: direct download"
    return task


@command("add_download_tasks", AddTasksArgs)
async def add_download_tasks(app: Any, args: AddTasksArgs) -> list[VideoTask]:
    tasks = []
    for task in args.tasks:
        try:
            tasks.append(prepare_task(task))
        except CommandError:
            continue  # the original skips tasks it cannot store; the answer lists only the stored ones
    return await app.runtime.submit(C.AddTasks(tasks))


@command("add_urls", AddUrlsArgs)
async def add_urls(app: Any, args: AddUrlsArgs) -> list[VideoTask]:
    """The paste box: every link probed (bounded) to choose its engine, then added in one transaction."""
    output = args.output_path or app.config.download.output_directory
    urls = [_http_url(line) for line in args.urls if line.strip()]
    decisions = await asyncio.gather(*(app.probes.route(url, forced=args.downloader_type) for url in urls))
    options = {"format": args.format} if args.format else {}
    tasks = [new_task(url, output, title=filename_from_url(url) or url, kind=d.downloader_type, reason=d.reason,
                      options=options) for url, d in zip(urls, decisions)]
    added = await app.runtime.submit(C.AddTasks(tasks))
    pages = [task for task in added if task.downloader_type == DownloaderType.YOUTUBE]
    if pages:
        app.spawn(_find_titles(app, [(t.id, t.url) for t in pages]), name="title-probe")
    return added


async def _find_titles(app: Any, pages: list[tuple[str, str]]) -> None:
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
            await app.runtime.submit(C.Retitle(task_id, title.strip()[:300]))

    await asyncio.gather(*(one(task_id, url) for task_id, url in pages))


@command("start_download", TaskIdArgs)
async def start_download(app: Any, args: TaskIdArgs) -> None:
    await app.runtime.submit(C.Start(args.task_id))


@command("resume_download", TaskIdArgs)
async def resume_download(app: Any, args: TaskIdArgs) -> None:
    await app.runtime.submit(C.Resume(args.task_id))


@command("pause_download", TaskIdArgs)
async def pause_download(app: Any, args: TaskIdArgs) -> None:
    await app.runtime.submit(C.Pause(args.task_id))


@command("cancel_download", CancelArgs)
async def cancel_download(app: Any, args: CancelArgs) -> None:
    await app.runtime.submit(C.Cancel(args.task_id, keep_file=args.keep_file))


@command("pause_all_downloads")
async def pause_all_downloads(app: Any, _: NoArgs) -> int:
    return await app.runtime.submit(C.PauseAll())


@command("resume_all_downloads")
async def resume_all_downloads(app: Any, _: NoArgs) -> int:
    return await app.runtime.submit(C.ResumeAll())


@command("start_all_pending_downloads")
async def start_all_pending_downloads(app: Any, _: NoArgs) -> int:
    return await app.runtime.submit(C.StartAll())


@command("start_all_downloads", StartAllArgs)
async def start_all_downloads(app: Any, args: StartAllArgs) -> int:
    return await app.runtime.submit(C.StartAll(output_path=args.output_path))


@command("cancel_all_downloads")
async def cancel_all_downloads(app: Any, _: NoArgs) -> int:
    return await app.runtime.submit(C.CancelAll())


@command("remove_download", RemoveTaskArgs)
async def remove_download(app: Any, args: RemoveTaskArgs) -> None:
    if app.runtime.task(args.task_id) is None:
        raise CommandError(f"Failed to remove task: Download error: Task not found: {args.task_id}")
    await app.runtime.submit(C.Remove([args.task_id], delete_file=args.delete_file, single=True))


@command("remove_download_tasks", RemoveTasksArgs)
async def remove_download_tasks(app: Any, args: RemoveTasksArgs) -> None:
    await app.runtime.submit(C.Remove(args.task_ids, delete_file=args.delete_file))


@command("get_download_tasks")
async def get_download_tasks(app: Any, _: NoArgs) -> list[VideoTask]:
    return app.runtime.tasks()


@command("get_download_stats")
async def get_download_stats(app: Any, _: NoArgs) -> Any:
    return app.runtime.stats()


@command("clear_completed_tasks")
async def clear_completed_tasks(app: Any, _: NoArgs) -> None:
    await app.runtime.submit(C.ClearCompleted())


@command("retry_failed_tasks")
async def retry_failed_tasks(app: Any, _: NoArgs) -> None:
    await app.runtime.submit(C.RetryFailed())


@command("set_rate_limit", RateLimitArgs)
async def set_rate_limit(app: Any, args: RateLimitArgs) -> Optional[int]:
    value = args.bytes_per_second
    if value is not None and value != 0 and not RATE_LIMIT_MIN <= value <= RATE_LIMIT_MAX:
        raise CommandError(f"Rate limit must be between {RATE_LIMIT_MIN} and {RATE_LIMIT_MAX} bytes/sec")
    app.services.limits.global_bucket.set_rate(value or None)
    return value or None


@command("get_rate_limit")
async def get_rate_limit(app: Any, _: NoArgs) -> Optional[int]:
    rate = app.services.limits.global_bucket.rate
    return int(rate) if rate else None


@command("set_task_priority", TaskPriorityArgs)
async def set_task_priority(app: Any, args: TaskPriorityArgs) -> None:
    await app.runtime.submit(C.SetPriority(args.task_id, args.priority))


@command("update_task_output_paths", UpdateOutputPathsArgs)
async def update_task_output_paths(app: Any, args: UpdateOutputPathsArgs) -> list[VideoTask]:
    return await app.runtime.submit(C.UpdateOutputPaths(args.task_ids, args.output_path))


@command("debug_download_test", TaskIdArgs)
async def debug_download_test(app: Any, args: TaskIdArgs) -> str:
    task = app.runtime.task(args.task_id)
    if task is None:
        raise CommandError(f"Download error: Task not found: {args.task_id}")
    app.bus.publish("debug_test_event", {"message": "Debug test from backend", "task_id": task.id})
    return (f"Debug Results:\nTask: {task.id} ({task.status.value})\nURL: {task.url}\n"
            f"Engine: {(task.downloader_type.value if task.downloader_type else 'Http')} ({task.routing_reason or 'default'})")

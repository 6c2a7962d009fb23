"""The legacy (v1) runtime: the original orchestration over the v2 engines, storage and models.

What differs from v2 is only orchestration (docs/contract.md, "Commands"): one spawned job per started task, a
non-blocking slot check that refuses with "Maximum concurrent downloads reached", the original six statuses,
and the original events (`download_progress`, `task_status_changed` with `task_id/status/error_message`,
`download_stats`). Commands run one at a time under a lock, as the original manager's did under its RwLock.
A pause or cancel signals the job's cancel token (the engine saves its durable checkpoint and ends) and cancels
a job that ignores it past v2's deadline; the task goes straight to Paused, with no Pausing in between.
Status changes are still committed to the repository before they are published.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from typing import Any, Awaitable, Callable, Iterable, Optional

from ..contract import (
    AppConfig,
    DownloadMetricsEvent,
    DownloadProgressEvent,
    DownloadStats,
    RuntimeState,
    SessionSummary,
    TaskStatus,
    TaskStatusChangedEvent,
    VideoTask,
    utc_now,
)
from ..engines.base import EngineLookup, TransferResult
from ..engines.services import TransferServices
from ..errors import ErrorCode, ErrorKind, VdpError, task_not_found
from ..runtime import commands
from ..runtime.bus import EventBus
from ..runtime.files import delete_final_file, discard_partial, make_folders_absolute
from ..runtime.lifecycle import ACTIVE  # the statuses a run leaves behind when it ends mid-transfer
from ..runtime.runtime import STOP_ACK_DEADLINE
from ..storage.repository import TaskRepository, Transition
from ._figures import download_metrics, download_stats, runtime_state
from ._job import Job

log = logging.getLogger("vdp.legacy")

STATS_INTERVAL = 0.25  # download_stats is coalesced: one event for a burst of status changes


def _slots_full() -> VdpError:
    """The original's refusal at the concurrency limit; its UI queues the start when it sees this code."""
    return VdpError(ErrorCode.CONCURRENCY_LIMIT, "Maximum concurrent downloads reached", kind=ErrorKind.DOWNLOAD)


class LegacyRuntime:
    name = "v1"

    def __init__(self, repository: TaskRepository, config: AppConfig, engines: EngineLookup, services: TransferServices,
                 *, bus: Optional[EventBus] = None) -> None:
        self.repo = repository
        self.config = config
        self.engines = engines
        self.services = services
        self.bus = bus or EventBus()
        self.session = SessionSummary()
        self._tasks: dict[str, VideoTask] = {}
        self._by_url: dict[str, str] = {}
        self._jobs: dict[str, Job] = {}
        self._runners: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()
        self._waiting = 0
        self._stats_timer: Optional[asyncio.TimerHandle] = None
        self._last_stats: Optional[DownloadStats] = None
        self._started_at = time.monotonic()
        self._handlers: dict[type, Callable[[Any], Awaitable[Any]]] = {
            kind: getattr(self, commands.handler_name(kind)) for kind in commands.BOTH_RUNTIMES}

    # == lifecycle =================================================================================

    async def start(self) -> None:
        """Restart recovery: nothing starts; work a previous run left running (in any runtime) becomes Paused."""
        interrupted: list[Transition] = []
        loaded = await self.repo.load_tasks()
        relocated = make_folders_absolute(loaded)
        for task in loaded:
            self._remember(task)
            task.speed, task.eta, task.queued = 0.0, None, False
            if task.status in ACTIVE:
                interrupted.append(self._apply(task, TaskStatus.PAUSED, "recovered after restart"))
        if interrupted:
            await self.repo.record_transitions(interrupted)
        if relocated:
            await self.repo.save_tasks(relocated)
        counts = Counter(t.status for t in self._tasks.values())
        self.session = SessionSummary(
            continuable=counts[TaskStatus.PAUSED], waiting=counts[TaskStatus.PENDING], failed=counts[TaskStatus.FAILED],
            completed=counts[TaskStatus.COMPLETED], total=len(self._tasks), recovered_at=utc_now(),
        )

    async def stop(self) -> None:
        """Pause what runs, so the next start (either runtime) continues it."""
        async with self._lock:
            await self._pause_jobs(list(self._jobs.values()))
        await asyncio.gather(*self._runners, return_exceptions=True)  # jobs that just ended still commit
        if self._stats_timer is not None:
            self._stats_timer.cancel()
            self._stats_timer = None

    # == commands ==================================================================================

    async def submit(self, command: commands.Command) -> Any:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise VdpError(ErrorCode.NOT_IMPLEMENTED, f"the v1 runtime has no {type(command).__name__} command",
                           kind=ErrorKind.SYSTEM)
        self._waiting += 1
        try:
            await self._lock.acquire()
        finally:
            self._waiting -= 1
        try:
            return await handler(command)
        finally:
            self._lock.release()

    async def _add_tasks(self, cmd: commands.AddTasks) -> list[VideoTask]:
        added: list[VideoTask] = []
        urls: set[str] = set()
        ids: set[str] = set()
        for incoming in cmd.tasks:
            if cmd.skip_duplicate_urls and (incoming.url in self._by_url or incoming.url in urls):
                continue
            if incoming.id in self._tasks or incoming.id in ids:
                continue
            urls.add(incoming.url)
            ids.add(incoming.id)
            task = incoming.model_copy(deep=True)
            task.status, task.speed, task.eta, task.queued = TaskStatus.PENDING, 0.0, None, False
            task.file_path = None  # only the engine's result names a task's file (runtime/files.py)
            task.max_retries = self.config.download.retry_attempts
            added.append(task)
        if added:
            await self.repo.insert_tasks([(self.repo.next_seq(), t) for t in added], cmd.cause)
            for task in added:
                self._remember(task)
            self._stats_changed()
        return added  # no task_added: the original announced neither creation nor removal

    async def _start(self, cmd: commands.Start) -> None:
        task = self._get(cmd.task_id)
        if cmd.restart and task.status in (TaskStatus.FAILED, TaskStatus.CANCELLED) and task.id not in self._jobs:
            await self._commit([self._apply(task, TaskStatus.PENDING, "restarted by user")])
        await self._start_task(task)

    async def _resume(self, cmd: commands.Resume) -> None:
        task = self._get(cmd.task_id)
        if task.status != TaskStatus.PAUSED:
            raise VdpError(ErrorCode.INVALID_STATUS,
                           f"Task {task.id} cannot be resumed from status: {task.status.value}",
                           kind=ErrorKind.DOWNLOAD)
        await self._start_task(task)

    async def _pause(self, cmd: commands.Pause) -> None:
        job = self._jobs.get(cmd.task_id)
        if job is None:  # the original looks for an active download only: an unknown id is "not active" too
            raise VdpError(ErrorCode.NOT_ACTIVE, f"Active download not found: {cmd.task_id}", kind=ErrorKind.DOWNLOAD)
        await self._pause_jobs([job])

    async def _cancel(self, cmd: commands.Cancel) -> None:
        task = self._tasks.get(cmd.task_id)
        if task is None:
            return None  # the original answers null for an unknown id (docs/contract.md, cancel_download)
        await self._cancel_tasks([task], keep_file=cmd.keep_file)

    async def _remove(self, cmd: commands.Remove) -> None:
        ids = [i for i in dict.fromkeys(cmd.task_ids) if i in self._tasks]
        # As the original: an active download is cancelled first (task_status_changed Cancelled), then removed.
        active = [self._tasks[i] for i in ids if i in self._jobs]
        if active:
            await self._cancel_tasks(active, keep_file=True)
        await self._forget(ids, delete_file=cmd.delete_file)

    async def _start_all(self, cmd: commands.StartAll) -> int:
        """Start the waiting tasks oldest first, until the first refusal for lack of a slot.

        The original also lists Failed tasks as candidates, but they can never start, so they are left out."""
        waiting = [t for t in self._tasks.values() if t.status in (TaskStatus.PENDING,
                TaskStatus.PAUSED) and t.id not in self._jobs]
        if cmd.output_path:
            for task in waiting:
                task.output_path = cmd.output_path
            await self.repo.save_tasks(waiting)
        started = 0
        for task in sorted(waiting, key=lambda t: t.created_at):
            try:
                await self._start_task(task)
            except VdpError as exc:
                if exc.code == ErrorCode.CONCURRENCY_LIMIT:
                    break
                raise
            started += 1
        return started

    async def _pause_all(self, _: commands.PauseAll) -> int:
        # Unlike the original, no global pause flag: it made every later start fail until resume_all (§9.7).
        jobs = list(self._jobs.values())
        await self._pause_jobs(jobs)
        return len(jobs)

    async def _resume_all(self, _: commands.ResumeAll) -> int:
        resumed = 0
        for task in [t for t in self._tasks.values() if t.status == TaskStatus.PAUSED]:
            try:
                await self._start_task(task)
            except VdpError as exc:
                log.info("resume all: task %s not resumed: %s", task.id, exc)
            else:
                resumed += 1
        return resumed

    async def _cancel_all(self, _: commands.CancelAll) -> int:
        targets = [t for t in self._tasks.values() if t.status in (TaskStatus.PENDING, TaskStatus.DOWNLOADING,
                TaskStatus.PAUSED)]
        await self._cancel_tasks(targets, keep_file=False)
        return len(targets)

    async def _retry_failed(self, _: commands.RetryFailed) -> int:
        failed = [t for t in self._tasks.values() if t.status == TaskStatus.FAILED]
        resets = []
        for task in failed:
            task.progress, task.downloaded_size, task.retry_count = 0.0, 0, 0  # the bytes on disk stay: it resumes
            resets.append(self._apply(task, TaskStatus.PENDING, "retry failed tasks"))
        await self._commit(resets)
        refused: dict[str, str] = {}
        for task in failed:
            try:
                await self._start_task(task)
            except VdpError as exc:
                refused[task.id] = str(exc)
        if refused:
            listing = ", ".join(f"{task_id}: {error}" for task_id, error in refused.items())
            started = len(failed) - len(refused)
            raise VdpError(ErrorCode.PARTIAL_FAILURE,
                           f"Restarted {started} tasks, but {len(refused)} failed to start: {listing}")
        return len(failed)

    async def _clear_completed(self, _: commands.ClearCompleted) -> int:
        ids = [t.id for t in self._tasks.values() if t.status == TaskStatus.COMPLETED]
        await self._forget(ids, delete_file=False)
        return len(ids)

    async def _apply_config(self, cmd: commands.ApplyConfig) -> None:
        # A lower limit stops nothing: running jobs finish, new starts are refused until there is room.
        self.config.download = cmd.download

    async def _set_priority(self, cmd: commands.SetPriority) -> None:
        task = self._get(cmd.task_id)
        task.priority = cmd.priority  # kept for v2; the original has no priorities to act on
        await self.repo.save_tasks([task])

    async def _retitle(self, cmd: commands.Retitle) -> None:
        task = self._tasks.get(cmd.task_id)
        if task is not None and cmd.title:
            task.title = cmd.title  # saved, not announced: the original had no such event (its poll shows it)
            await self.repo.save_tasks([task])

    async def _update_output_paths(self, cmd: commands.UpdateOutputPaths) -> list[VideoTask]:
        changed = []
        for task_id in cmd.task_ids:
            task = self._tasks.get(task_id)
            if task is not None and task_id not in self._jobs and task.status != TaskStatus.COMPLETED:
                task.output_path = cmd.output_path
                task.updated_at = utc_now()
                changed.append(task)
        await self.repo.save_tasks(changed)
        return changed

    # == jobs ======================================================================================

    async def _start_task(self, task: VideoTask) -> None:
        """The original start: a non-blocking slot check, then Downloading, then the job is spawned."""
        if task.id in self._jobs or task.status == TaskStatus.DOWNLOADING:
            return
        if task.status not in (TaskStatus.PENDING, TaskStatus.PAUSED):
            raise VdpError(ErrorCode.INVALID_STATUS,
                           f"Task {task.id} cannot be started from status: {task.status.value}",
                           kind=ErrorKind.DOWNLOAD)
        if len(self._jobs) >= self.config.download.concurrent_downloads:
            raise _slots_full()
        job = Job(task, repo=self.repo, engines=self.engines, services=self.services, config=self.config,
                  emit=self._on_progress)
        self._jobs[task.id] = job
        await self._commit([self._apply(task, TaskStatus.DOWNLOADING, "started")])
        job.runner = asyncio.create_task(self._drive(job), name=f"legacy-job-{task.id}")
        self._runners.add(job.runner)
        job.runner.add_done_callback(self._runners.discard)
        job.runner.add_done_callback(_log_crash)

    async def _drive(self, job: Job) -> None:
        """Run the job; if it ended by itself, record how (a stopped job is recorded by whoever stopped it)."""
        await job.run()
        if job.stopped:
            return
        task = job.task
        del self._jobs[task.id]
        if job.result is not None:
            await self._complete(task, job.result)
        else:
            assert job.error is not None
            await self._commit([self._apply(task, TaskStatus.FAILED, f"failed: {job.error.code.value}", job.error)])

    async def _stop_jobs(self, jobs: list[Job], reason: str) -> None:
        """Signal every job's token, give them the v2 deadline to checkpoint and end, then cancel the rest."""
        if not jobs:
            return
        for job in jobs:
            job.token.cancel(reason)
        runners = {job.runner for job in jobs if job.runner is not None}
        if runners:
            _, late = await asyncio.wait(runners, timeout=STOP_ACK_DEADLINE)
            for runner in late:
                log.warning("a job did not stop within %.0fs; cancelling it", STOP_ACK_DEADLINE)
                runner.cancel()
            if late:
                await asyncio.wait(late)
        for job in jobs:
            self._jobs.pop(job.task.id, None)

    async def _pause_jobs(self, jobs: list[Job]) -> None:
        await self._stop_jobs(jobs, "pause")
        paused = []
        for job in jobs:
            if job.result is not None:  # the last bytes arrived before the pause did: it is complete
                await self._complete(job.task, job.result)
            else:
                paused.append(self._apply(job.task, TaskStatus.PAUSED, "paused by user"))
        await self._commit(paused)

    async def _cancel_tasks(self, tasks: list[VideoTask], *, keep_file: bool) -> None:
        """Cancelled whatever the status was, as in the original; a running job is stopped first."""
        await self._stop_jobs([self._jobs[t.id] for t in tasks if t.id in self._jobs], "cancel")
        if not keep_file:
            for task in tasks:
                await discard_partial(self.repo, task)
        await self._commit([self._apply(t, TaskStatus.CANCELLED, "cancelled by user") for t in tasks])

    async def _complete(self, task: VideoTask, result: TransferResult) -> None:
        task.file_path = str(result.file_path)
        task.file_size = task.downloaded_size = result.size
        await self._commit([self._apply(task, TaskStatus.COMPLETED, "transfer verified")])

    async def _forget(self, ids: list[str], *, delete_file: bool) -> None:
        if not ids:
            return
        if delete_file:
            for task_id in ids:
                task = self._tasks[task_id]
                await discard_partial(self.repo, task)
                await asyncio.to_thread(delete_final_file, task)  # off the loop, as in the v2 runtime
        await self.repo.delete_tasks(ids, "removed")
        for task_id in ids:
            task = self._tasks.pop(task_id)
            if self._by_url.get(task.url) == task_id:
                del self._by_url[task.url]
        self._stats_changed()

    # == status changes and events ====================================================================

    def _remember(self, task: VideoTask) -> None:
        self._tasks[task.id] = task
        self._by_url.setdefault(task.url, task.id)

    def _apply(self, task: VideoTask, to: TaskStatus, cause: str, error: Optional[VdpError] = None) -> Transition:
        """Change the task in memory (the original's event side effects) and return the snapshot to commit."""
        from_status = task.status
        task.status = to
        task.updated_at = utc_now()
        if to != TaskStatus.DOWNLOADING:
            task.speed, task.eta = 0.0, None
        if to == TaskStatus.FAILED:
            task.error_message = error.message if error else None
            task.error_code = error.code if error else None  # v2 field: lets the UI say it in the user's language
        elif to in (TaskStatus.COMPLETED, TaskStatus.PENDING):
            task.error_message, task.error_code = None, None
        if to == TaskStatus.COMPLETED:
            task.progress = 100.0
        log.info("transition task=%s %s -> %s cause=%s%s", task.id, from_status.value, to.value, cause,
                 f" error={error.message}" if error else "")
        return Transition(task.model_copy(), from_status, cause)

    async def _commit(self, changes: Iterable[Transition]) -> None:
        """Commit, then publish: the UI never sees a status the database does not hold."""
        changes = list(changes)
        if not changes:
            return
        await self.repo.record_transitions(changes)
        for change in changes:
            snapshot = change.task
            if snapshot.status == TaskStatus.PENDING:
                continue  # the original never announced Pending
            self.bus.publish("task_status_changed", TaskStatusChangedEvent(
                task_id=snapshot.id, to=snapshot.status, error=snapshot.error_message,
                status=snapshot.status, error_message=snapshot.error_message, error_code=snapshot.error_code))
        self._stats_changed()

    def _on_progress(self, event: DownloadProgressEvent) -> None:
        task = self._tasks.get(event.task_id)
        if task is None or task.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
            return  # as the original: a late progress event never reopens a finished task
        task.downloaded_size = event.downloaded_size
        if event.total_size is not None:
            task.file_size = event.total_size
        task.progress = event.progress * 100.0
        task.speed, task.eta = event.speed, event.eta
        task.updated_at = utc_now()
        self.bus.publish("download_progress", event)

    def _stats_changed(self) -> None:
        if self._stats_timer is None:
            self._stats_timer = asyncio.get_running_loop().call_later(STATS_INTERVAL, self._publish_stats)

    def _publish_stats(self) -> None:
        self._stats_timer = None
        stats = self.stats()
        if stats != self._last_stats:
            self._last_stats = stats
            self.bus.publish("download_stats", stats)

    def _get(self, task_id: str) -> VideoTask:
        task = self._tasks.get(task_id)
        if task is None:
            raise task_not_found(task_id)
        return task

    # == read-only views ==============================================================================

    def tasks(self) -> list[VideoTask]:
        return list(self._tasks.values())

    def task(self, task_id: str) -> Optional[VideoTask]:
        return self._tasks.get(task_id)

    def stats(self) -> DownloadStats:
        return download_stats(self._tasks.values(), self._jobs.values())

    def metrics(self) -> DownloadMetricsEvent:
        return download_metrics(self._tasks.values(), self._jobs.values(), self.config.download.concurrent_downloads)

    def state(self) -> RuntimeState:
        return runtime_state(self._jobs.values(), self.config.download.concurrent_downloads, self._waiting)

    @property
    def uptime(self) -> float:
        return time.monotonic() - self._started_at

    @property
    def loop_lag(self) -> float:
        return 0.0  # the original measured none; v2's heartbeat measures it


def _log_crash(runner: "asyncio.Task[None]") -> None:
    if not runner.cancelled() and runner.exception() is not None:
        log.error("legacy job %s crashed", runner.get_name(), exc_info=runner.exception())

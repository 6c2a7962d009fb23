"""The v2 runtime: one command loop that owns the scheduler, the task cache and every status change.

Callers `submit()` a command and await its answer. Workers and timers report back through the same loop,
so a pause can never race the scheduler's fill (runtime-plan.md §4.2). Every status change is committed to
the repository first and published second.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

from ..contract import (
    AppConfig,
    DownloadMetricsEvent,
    DownloadStats,
    ErrorCode,
    ProtocolMetrics,
    QueueDepths,
    RuntimeState,
    RuntimeWarningEvent,
    SessionSummary,
    TaskRuntimeState,
    TaskStatus as S,
    TaskStatusChangedEvent,
    VideoTask,
    utc_now,
)
from ..engines.base import ResumeState, TransferContext, TransferInterrupted
from ..errors import CommandError, VdpError
from ..storage.repository import TaskRepository, Transition
from . import commands as C
from .bus import EventBus
from .files import delete_inside, discard_partial, save_checkpoint
from .lifecycle import ACTIVE, STARTABLE, check_transition
from .progress import ProgressCell, ProgressHub
from .retry import RetryPolicy
from .scheduler import AUTOMATIC, INTERACTIVE, RETRY, Scheduler
from .workers import TaskHandle, WorkerPool

log = logging.getLogger("vdp.runtime")

STOP_ACK_DEADLINE = 5.0
COMMAND_QUEUE_CAPACITY = 1024
COMMIT_BATCH = 64  # commands handled before their status changes are committed (bounds an answer's delay)
COMMIT_RETRY = 2.0  # seconds before staged changes whose commit failed are tried again
_DEFERRED = object()


@dataclass(slots=True)
class _Change:
    task: VideoTask
    to: S
    cause: str
    error: Optional[str] = None
    from_status: Optional[S] = None  # these two are set when the change is applied
    error_message: Optional[str] = None


class Runtime:
    name = "v2"

    def __init__(self, repository: TaskRepository, config: AppConfig, engines: Any, services: Any = None,
                 *, bus: Optional[EventBus] = None) -> None:
        self.repo = repository
        self.config = config
        self.engines = engines
        self.services = services
        self.bus = bus or EventBus()
        self.scheduler = Scheduler(config.download.concurrent_downloads)
        self.retry_policy = RetryPolicy(max_attempts=config.download.retry_attempts)
        self.hub = ProgressHub(self.bus, on_sample=self._on_sample, metrics=self.metrics, on_stall=self._on_stall)
        self.pool: Optional[WorkerPool] = None
        self.session = SessionSummary()
        self._tasks: dict[str, VideoTask] = {}
        self._order: dict[str, int] = {}  # arrival order, for FIFO; never reused after a removal
        self._arrivals = itertools.count()
        self._by_url: dict[str, str] = {}
        self._counts: Counter[S] = Counter()
        self._handles: dict[str, TaskHandle] = {}
        self._attempts: Counter[str] = Counter()
        self._serials = itertools.count(1)
        self._queue: asyncio.Queue[C.Command] = asyncio.Queue(maxsize=COMMAND_QUEUE_CAPACITY)
        # Held until the next commit: status changes, command answers (future, result, error), transfers to start.
        self._staged: list[_Change] = []
        self._staged_total = 0  # ever staged: tells whether a command changed a status (a commit may come between)
        self._answers: list[tuple[asyncio.Future[Any], Any, Optional[BaseException]]] = []
        self._handoffs: list[TaskHandle] = []
        self._never_started: set[str] = set()  # added in this session and never run: no resume data to load
        self._loop_task: Optional[asyncio.Task[None]] = None
        self._retry_timer: Optional[asyncio.TimerHandle] = None
        self._started_at = time.monotonic()
        self._handlers: dict[type, Callable[[Any], Awaitable[Any]]] = {
            C.AddTasks: self._add_tasks, C.Start: self._start, C.Resume: self._resume, C.Pause: self._pause,
            C.Cancel: self._cancel, C.Remove: self._remove, C.StartAll: self._start_all,
            C.PauseAll: self._pause_all, C.ResumeAll: self._resume_all, C.CancelAll: self._cancel_all,
            C.RetryFailed: self._retry_failed, C.ClearCompleted: self._clear_completed,
            C.ApplyConfig: self._apply_config, C.SetPriority: self._set_priority,
            C.UpdateOutputPaths: self._update_output_paths, C.Retitle: self._retitle,
            C.EnterCompleting: self._enter_completing, C.TransferFinished: self._transfer_finished,
            C.StopDeadline: self._stop_deadline, C.RetryDue: self._retry_due,
        }

    # == lifecycle =================================================================================

    async def start(self) -> None:
        await self._recover()
        self.pool = WorkerPool(self._execute, self.scheduler.concurrency)
        self.hub.start()
        self._loop_task = asyncio.create_task(self._command_loop(), name="command-loop")

    async def stop(self) -> None:
        """Pause what runs (so it resumes next time), then stop the loop and the workers."""
        if self._loop_task is None:
            return
        if self._handles:
            await self.submit(C.PauseAll())
        self._loop_task.cancel()
        await asyncio.gather(self._loop_task, return_exceptions=True)
        self._loop_task = None
        if self._retry_timer:
            self._retry_timer.cancel()
        await self.hub.stop()
        if self.pool:
            await self.pool.close()

    async def _recover(self) -> None:
        """Restart recovery (contract-decisions.md §3): nothing starts, interrupted work becomes Paused."""
        interrupted: list[_Change] = []
        durable = await self.repo.durable_bytes()
        for task in await self.repo.load_tasks():
            self._remember(task)
            if task.status in ACTIVE:
                interrupted.append(_Change(task, S.PAUSED, "recovered after restart"))
                if task.id in durable:
                    task.downloaded_size = durable[task.id]
                    task.progress = _percent(task.downloaded_size, task.file_size)
            task.speed, task.eta, task.queued = 0.0, None, False
        for change in interrupted:
            self._apply(change)
        if interrupted:
            await self.repo.record_transitions(Transition(c.task, c.from_status, c.cause) for c in interrupted)
        for task in self._tasks.values():
            if task.status == S.PENDING:
                self.scheduler.enqueue(task.id, AUTOMATIC, priority=task.priority, order=self._order[task.id])
        self.scheduler.backlog_running = bool(self.config.ui and self.config.ui.auto_start_downloads)
        counts = self._counts
        self.session = SessionSummary(
            continuable=counts[S.PAUSED], waiting=counts[S.PENDING], failed=counts[S.FAILED],
            completed=counts[S.COMPLETED], total=len(self._tasks), recovered_at=utc_now(),
        )

    # == the command loop ==========================================================================

    async def submit(self, command: C.Command) -> Any:
        command.future = asyncio.get_running_loop().create_future()
        await self._queue.put(command)  # bounded: a flood of commands waits here (visible backpressure)
        return await command.future

    def _post(self, command: C.Command) -> None:
        """Queue an internal command without waiting for its answer (workers, timers)."""
        command.future = asyncio.get_running_loop().create_future()
        command.future.add_done_callback(_log_failure)
        if self._queue.full():
            asyncio.ensure_future(self._queue.put(command))  # never drop a worker's report, even under backpressure
        else:
            self._queue.put_nowait(command)

    async def _command_loop(self) -> None:
        while True:
            await self._handle(await self._queue.get())
            # Commands that queued up meanwhile (a burst of workers reporting back) share one commit.
            for _ in range(COMMIT_BATCH - 1):
                if self._queue.empty():
                    break
                await self._handle(self._queue.get_nowait())
            try:
                self._dispatch()
            except Exception:
                log.exception("dispatch failed")
            await self._commit()

    async def _handle(self, command: C.Command) -> None:
        staged = self._staged_total
        result: Any = None
        error: Optional[CommandError] = None
        try:
            result = await self._handlers[type(command)](command)
        except CommandError as exc:
            error = exc
        except Exception as exc:  # a bug: answer the caller with a clear string and keep the loop alive
            log.exception("command %s failed", type(command).__name__)
            error = CommandError(f"System error: {exc}")
        if result is _DEFERRED:
            return
        if self._staged_total == staged:
            _settle(command.future, result, error)  # it changed no status: nothing to wait for
        else:
            self._answers.append((command.future, result, error))

    # == status changes ==============================================================================

    def _remember(self, task: VideoTask) -> None:
        self._tasks[task.id] = task
        self._order[task.id] = next(self._arrivals)
        self._by_url.setdefault(task.url, task.id)
        self._counts[task.status] += 1

    def _apply(self, change: _Change) -> None:
        task = change.task
        check_transition(task.id, task.status, change.to)
        change.from_status = task.status
        self._counts[task.status] -= 1
        self._counts[change.to] += 1
        task.status = change.to
        task.updated_at = utc_now()
        if change.to in (S.FAILED, S.PENDING) or change.error:
            task.error_message = change.error
        if change.to not in ACTIVE:
            task.speed, task.eta = 0.0, None
        if change.to == S.COMPLETED:
            task.progress, task.error_message = 100.0, None
        change.error_message = task.error_message
        # Steps on the way (Scheduled, Downloading, Completing, Pausing) go to the audit trail only: at 4 lines per
        # small file, logging them cost more than storing them.
        log.log(logging.DEBUG if change.to in ACTIVE else logging.INFO, "transition task=%s %s -> %s cause=%s%s",
                task.id, change.from_status.value, change.to.value, change.cause,
                f" error={change.error}" if change.error else "")

    def _change(self, *changes: _Change) -> None:
        """Apply now; the next `_commit` writes and publishes them (at the end of the command batch, or before any
        other write that touches the same rows)."""
        for change in changes:
            self._apply(change)
        self._staged.extend(changes)
        self._staged_total += len(changes)

    async def _commit(self) -> None:
        """Write the staged changes in one round trip (each with its audit row, atomically), publish them, then
        release what waited for them (answers, pause waiters, transfers for the workers): the UI never sees a status
        the database does not hold."""
        changes, self._staged = self._staged, []
        answers, self._answers = self._answers, []
        handoffs, self._handoffs = self._handoffs, []
        if changes:
            try:
                await self.repo.record_transitions(Transition(c.task, c.from_status, c.cause, c.to) for c in changes)
            except Exception as exc:
                # Nothing of the batch was written (one statement). Keep it staged, and the transfers waiting for
                # it: no worker starts on a status the database does not hold; the next loop turn tries again.
                log.exception("committing %d status changes failed; retrying in %s s", len(changes), COMMIT_RETRY)
                self._staged[:0], self._handoffs[:0] = changes, handoffs
                asyncio.get_running_loop().call_later(COMMIT_RETRY, lambda: self._post(C.RetryDue()))
                for future, _, _ in answers:
                    _settle(future, exc=CommandError(f"System error: the change could not be saved ({exc})"))
                return
            else:
                for change in changes:
                    task = change.task
                    self.bus.publish("task_status_changed", TaskStatusChangedEvent(
                        task_id=task.id, from_=change.from_status, to=change.to, error=change.error_message,
                        status=change.to, error_message=change.error_message))
            self.hub.metrics_changed()
        for future, result, exc in answers:
            _settle(future, result, exc)
        for handle in handoffs:
            assert self.pool is not None
            self.pool.submit(handle)

    def _warn(self, code: ErrorCode, message: str, task_id: Optional[str] = None, **extra: Any) -> None:
        log.warning("runtime_warning code=%s task=%s %s", code.value, task_id, message)
        self.bus.publish("runtime_warning", RuntimeWarningEvent(code=code, message=message, task_id=task_id, **extra))

    def _get(self, task_id: str, prefix: str) -> VideoTask:
        task = self._tasks.get(task_id)
        if task is None:
            raise CommandError(f"{prefix}: Download error: Task not found: {task_id}")
        return task

    # == dispatch ===================================================================================

    def _dispatch(self) -> None:
        now = time.monotonic()
        while (pick := self.scheduler.next_to_run(now)) is not None:
            task_id, queue = pick
            task = self._tasks.get(task_id)
            if task is None or task.status not in STARTABLE:
                self.scheduler.release(task_id)
                continue
            task.queued = False
            self._attempts[task.id] += 1
            handle = TaskHandle(task.id, self._attempts[task.id], next(self._serials), queue)
            self._handles[task.id] = handle
            # A free slot has an idle worker, which starts the engine as soon as the commit hands it over: the task
            # is Downloading from here (no round trip from the worker to say so).
            self._change(_Change(task, S.SCHEDULED, f"dispatched from {queue}"),
                         _Change(task, S.DOWNLOADING, f"attempt {handle.attempt} started"))
            self._handoffs.append(handle)
        self._arm_retry_timer()

    def _arm_retry_timer(self) -> None:
        if self._retry_timer:
            self._retry_timer.cancel()
            self._retry_timer = None
        due = self.scheduler.next_retry_at()
        if due is not None and self.scheduler.free_slots:
            delay = max(0.0, due - time.monotonic())
            self._retry_timer = asyncio.get_running_loop().call_later(delay, lambda: self._post(C.RetryDue()))

    async def _retry_due(self, _: C.RetryDue) -> None:
        return None  # the dispatch and commit after every command batch pick up due retries and staged changes

    def _enqueue(self, task: VideoTask, queue: str, *, front: bool = False) -> None:
        self.scheduler.enqueue(task.id, queue, priority=task.priority, order=self._order[task.id], front=front)
        task.queued = queue != AUTOMATIC or self.scheduler.backlog_running

    # == public command handlers ====================================================================

    async def _add_tasks(self, cmd: C.AddTasks) -> list[VideoTask]:
        added: list[VideoTask] = []
        seen: set[str] = set()
        for incoming in cmd.tasks:
            if cmd.skip_duplicate_urls and (incoming.url in self._by_url or incoming.url in seen):
                continue
            if incoming.id in self._tasks:
                continue
            seen.add(incoming.url)
            task = incoming  # the runtime owns the tasks it is given
            task.status, task.speed, task.eta, task.queued = S.PENDING, 0.0, None, False
            task.max_retries = self.retry_policy.max_attempts
            added.append(task)
        if not added:
            return []
        await self.repo.insert_tasks([(self.repo.next_seq(), t) for t in added], cmd.cause)
        for task in added:
            self._remember(task)
            self._never_started.add(task.id)
            self._enqueue(task, AUTOMATIC)
            # A snapshot, since events are serialised later; nested values are replaced, never mutated, so shallow is enough.
            self.bus.publish("task_added", task.model_copy())
        self.hub.metrics_changed()
        return added

    async def _start(self, cmd: C.Start, prefix: str = "Failed to start download") -> None:
        task = self._get(cmd.task_id, prefix)
        if task.status in ACTIVE or self.scheduler.queue_of(task.id) == INTERACTIVE:
            return None  # already running or about to: idempotent
        if task.status not in STARTABLE:
            raise CommandError(f"{prefix}: Download error: Task {task.id} cannot be started from status: {task.status.value}")
        self._attempts[task.id] = 0  # a user start gives the task its full retry budget again
        # The task's own reservation is given back: it is about to use a slot itself.
        self.scheduler.reserved.discard(task.id)
        self._enqueue(task, INTERACTIVE)
        return None

    async def _resume(self, cmd: C.Resume) -> None:
        task = self._get(cmd.task_id, "Failed to resume download")
        if task.status in ACTIVE or self.scheduler.queue_of(task.id) == INTERACTIVE:
            return None
        if task.status != S.PAUSED:
            raise CommandError(
                f"Failed to resume download: Download error: Task {task.id} cannot be resumed from status: {task.status.value}")
        self.scheduler.reserved.discard(task.id)
        self._attempts[task.id] = 0
        self._enqueue(task, INTERACTIVE, front=True)
        return None

    async def _pause(self, cmd: C.Pause) -> Any:
        task = self._get(cmd.task_id, "Failed to pause download")
        handle = self._handles.get(task.id)
        if handle is not None:
            if task.status == S.COMPLETING:
                return None  # nearly done; let it finish
            handle.waiters.append(cmd.future)
            await self._request_stop(task, handle, "pause")
            return _DEFERRED
        queue = self.scheduler.queue_of(task.id)
        waiting = queue in (INTERACTIVE, RETRY) or (queue == AUTOMATIC and self.scheduler.backlog_running)
        if task.status == S.PAUSED or waiting:
            self.scheduler.dequeue(task.id)
            task.queued = False
            if task.status == S.PENDING:
                self._change(_Change(task, S.PAUSED, "paused while queued"))
            return None
        raise CommandError(f"Failed to pause download: Download error: Active download not found: {task.id}")

    async def _request_stop(self, task: VideoTask, handle: TaskHandle, reason: str) -> None:
        if handle.token.cancelled:
            if reason == "cancel":
                handle.token.reason = "cancel"
            return
        handle.token.cancel(reason)
        if reason == "pause":
            self.scheduler.reserve(task.id)
            if task.status == S.DOWNLOADING:
                self._change(_Change(task, S.PAUSING, "pause requested"))
        loop = asyncio.get_running_loop()
        loop.call_later(STOP_ACK_DEADLINE, lambda: self._post(C.StopDeadline(task.id, handle.serial)))

    async def _stop_deadline(self, cmd: C.StopDeadline) -> None:
        handle = self._handles.get(cmd.task_id)
        if handle is not None and handle.serial == cmd.serial and handle.job is not None and not handle.job.done():
            log.warning("task %s did not acknowledge its stop within %.0fs; forcing it", cmd.task_id, STOP_ACK_DEADLINE)
            handle.job.cancel()

    async def _cancel(self, cmd: C.Cancel) -> Any:
        task = self._get(cmd.task_id, "Failed to cancel download")
        handle = self._handles.get(task.id)
        if handle is not None:
            handle.keep_file = cmd.keep_file
            handle.waiters.append(cmd.future)
            await self._request_stop(task, handle, "cancel")
            return _DEFERRED
        if task.status in (S.CANCELLED, S.COMPLETED):
            return None
        self.scheduler.dequeue(task.id)
        self.scheduler.release(task.id)
        task.queued = False
        await self._discard_partial(task, keep=cmd.keep_file)
        self._change(_Change(task, S.CANCELLED, "cancelled by user"))
        return None

    async def _remove(self, cmd: C.Remove) -> None:
        ids = [i for i in dict.fromkeys(cmd.task_ids) if i in self._tasks]
        active = [i for i in ids if i in self._handles]
        for task_id in active:
            handle = self._handles[task_id]
            handle.remove_after = cmd.delete_file
            await self._request_stop(self._tasks[task_id], handle, "cancel")
        await self._forget([i for i in ids if i not in self._handles], delete_file=cmd.delete_file)
        return None

    async def _forget(self, ids: list[str], *, delete_file: bool) -> None:
        if not ids:
            return
        for task_id in ids:
            task = self._tasks[task_id]
            self.scheduler.dequeue(task_id)
            self.scheduler.release(task_id)
            if delete_file:
                await self._discard_partial(task, keep=False)
                delete_inside(Path(task.output_path), task.file_path)
        await self._commit()  # a staged change of a removed task must reach the audit trail before its removal
        await self.repo.delete_tasks(ids, "removed")
        for task_id in ids:
            task = self._tasks.pop(task_id)
            self._counts[task.status] -= 1
            self._order.pop(task_id, None)
            if self._by_url.get(task.url) == task_id:
                del self._by_url[task.url]
            self._attempts.pop(task_id, None)
            self._never_started.discard(task_id)
            self.bus.publish("task_removed", {"task_id": task_id})
        self.hub.metrics_changed()

    async def _start_all(self, cmd: C.StartAll) -> int:
        self.scheduler.backlog_running = True
        self.scheduler.reserved.clear()
        count = 0
        for task in self._tasks.values():
            if cmd.output_path and task.status in (S.PENDING, S.PAUSED) and task.id not in self._handles:
                task.output_path = cmd.output_path
            if task.status == S.PAUSED and self.scheduler.queue_of(task.id) is None:
                self._enqueue(task, AUTOMATIC)
            if task.status in (S.PENDING, S.PAUSED) and self.scheduler.queue_of(task.id) == AUTOMATIC:
                task.queued = True
                count += 1
        if cmd.output_path:
            await self._save_and_announce([t for t in self._tasks.values() if t.output_path == cmd.output_path])
        return count

    async def _pause_all(self, cmd: C.PauseAll) -> Any:
        self.scheduler.backlog_running = False
        for queue in (INTERACTIVE, RETRY):
            for task_id in self.scheduler.queued_ids(queue):
                self.scheduler.dequeue(task_id)
                task = self._tasks[task_id]
                if task.status == S.PENDING:
                    self._enqueue(task, AUTOMATIC)
        for task in self._tasks.values():
            if task.queued and task.id not in self._handles:
                task.queued = False
        waits: list[asyncio.Future[Any]] = []
        for task_id, handle in list(self._handles.items()):
            task = self._tasks[task_id]
            if task.status == S.COMPLETING:
                continue
            waiter = asyncio.get_running_loop().create_future()
            handle.waiters.append(waiter)
            waits.append(waiter)
            await self._request_stop(task, handle, "pause")
        if not waits:
            return 0
        _settle_when_all(cmd.future, waits, len(waits))
        return _DEFERRED

    async def _resume_all(self, _: C.ResumeAll) -> int:
        paused = [t for t in self._tasks.values() if t.status == S.PAUSED and self.scheduler.queue_of(t.id) is None]
        for task in sorted(paused, key=lambda t: self._order[t.id]):
            self.scheduler.reserved.discard(task.id)
            self._enqueue(task, INTERACTIVE)
        return len(paused)

    async def _cancel_all(self, cmd: C.CancelAll) -> Any:
        targets = [t for t in self._tasks.values() if t.status not in (S.COMPLETED, S.CANCELLED, S.FAILED)]
        waits = []
        idle: list[_Change] = []
        for task in targets:
            handle = self._handles.get(task.id)
            if handle is not None:
                waiter = asyncio.get_running_loop().create_future()
                handle.waiters.append(waiter)
                waits.append(waiter)
                await self._request_stop(task, handle, "cancel")
            else:
                self.scheduler.dequeue(task.id)
                self.scheduler.release(task.id)
                task.queued = False
                await self._discard_partial(task, keep=False)
                idle.append(_Change(task, S.CANCELLED, "cancel all"))
        self._change(*idle)
        if not waits:
            return len(targets)
        _settle_when_all(cmd.future, waits, len(targets))  # answered once the running ones have stopped
        return _DEFERRED

    async def _retry_failed(self, _: C.RetryFailed) -> int:
        failed = [t for t in self._tasks.values() if t.status == S.FAILED]
        for task in failed:
            self._attempts[task.id] = 0
            task.retry_count = 0
        self._change(*(_Change(t, S.PENDING, "retry failed tasks") for t in failed))
        for task in failed:
            self._enqueue(task, INTERACTIVE)
        return len(failed)

    async def _clear_completed(self, _: C.ClearCompleted) -> int:
        ids = [t.id for t in self._tasks.values() if t.status == S.COMPLETED]
        await self._forget(ids, delete_file=False)
        return len(ids)

    async def _apply_config(self, cmd: C.ApplyConfig) -> None:
        was_auto = bool(self.config.ui and self.config.ui.auto_start_downloads)
        self.config.download = cmd.download
        self.scheduler.concurrency = cmd.download.concurrent_downloads
        self.retry_policy = RetryPolicy(max_attempts=cmd.download.retry_attempts)
        if self.pool:
            self.pool.resize(cmd.download.concurrent_downloads)
        if cmd.auto_start and not was_auto:
            self.scheduler.backlog_running = True
        if self.services is not None and hasattr(self.services, "configure"):
            self.services.configure(cmd.download)
        return None

    async def _set_priority(self, cmd: C.SetPriority) -> None:
        task = self._get(cmd.task_id, "Failed to set priority")
        task.priority = cmd.priority
        queue = self.scheduler.queue_of(task.id)
        if queue is not None:
            self._enqueue(task, queue)
        await self._save_and_announce([task])
        return None

    async def _retitle(self, cmd: C.Retitle) -> None:
        task = self._tasks.get(cmd.task_id)
        if task is not None and cmd.title and task.title != cmd.title:
            task.title = cmd.title
            await self._save_and_announce([task])
        return None

    async def _save_and_announce(self, tasks: list[VideoTask]) -> None:
        """Field changes that are not status changes: committed, then published as `task_updated`."""
        await self._commit()  # the rows written here carry the status: its audit row goes first
        await self.repo.save_tasks(tasks)
        for task in tasks:
            self.bus.publish("task_updated", task.model_copy())

    async def _update_output_paths(self, cmd: C.UpdateOutputPaths) -> list[VideoTask]:
        changed = []
        for task_id in cmd.task_ids:
            task = self._tasks.get(task_id)
            if task is not None and task.id not in self._handles and task.status != S.COMPLETED:
                task.output_path = cmd.output_path
                task.updated_at = utc_now()
                changed.append(task)
        await self._save_and_announce(changed)
        return changed

    # == workers report back =========================================================================

    async def _execute(self, handle: TaskHandle) -> None:
        """Runs on a worker: one transfer attempt, reported back to the loop as commands."""
        task = self._tasks.get(handle.task_id)
        if task is None:
            return
        outcome = C.TransferFinished(handle.task_id, handle.serial)
        cell: Optional[ProgressCell] = None
        try:
            if handle.token.cancelled:
                raise TransferInterrupted()
            if task.id in self._never_started:
                self._never_started.discard(task.id)
                resume = ResumeState()
            else:
                resume = await self.repo.load_resume(task.id)
            engine = self.engines.for_task(task)
            cell = self.hub.attach(task.id, engine.name, resume.durable_bytes, task.file_size)
            ctx = TransferContext(
                task=task.model_copy(), output_dir=Path(task.output_path), config=self.config.download,
                resume=resume, progress=cell, cancel=handle.token,
                checkpoint=lambda state: save_checkpoint(self.repo, task, state),
                warn=lambda code, message: self._warn(code, message, task.id),
                services=self.services,
                enter_completing=lambda: self._report(C.EnterCompleting(task.id, handle.serial)),
            )
            handle.job = asyncio.ensure_future(engine.transfer(ctx))
            outcome.result = await handle.job
        except (TransferInterrupted, asyncio.CancelledError) as exc:
            if isinstance(exc, asyncio.CancelledError) and not (handle.job and handle.job.cancelled()):
                raise  # the worker itself is being shut down
            outcome.interrupted = True
        except VdpError as exc:
            outcome.error = exc
        except Exception as exc:
            log.exception("engine crashed on task %s", handle.task_id)
            outcome.error = VdpError(ErrorCode.INTERNAL, f"Internal error: {exc}")
        finally:
            if cell is not None:
                self.hub.detach(handle.task_id)
        self._post(outcome)

    async def _enter_completing(self, cmd: C.EnterCompleting) -> None:
        task = self._tasks.get(cmd.task_id)
        if task is not None and task.status in (S.DOWNLOADING, S.PAUSING):
            self._change(_Change(task, S.COMPLETING, "all bytes received"))
        return None

    async def _report(self, command: C.Command) -> None:
        """A report the worker need not wait for: the loop handles it before the worker's later ones."""
        self._post(command)

    async def _transfer_finished(self, cmd: C.TransferFinished) -> None:
        task = self._tasks.get(cmd.task_id)
        handle = self._handles.get(cmd.task_id)
        if task is None or handle is None or handle.serial != cmd.serial:
            return None
        del self._handles[cmd.task_id]
        reason = handle.token.reason
        remove_after = handle.remove_after
        reserved = task.id in self.scheduler.reserved
        self.scheduler.release(task.id)
        if cmd.result is not None:
            await self._finish_completed(task, cmd.result)
        elif cmd.interrupted or (reason and cmd.error is None):
            if reason == "pause":
                if reserved:
                    self.scheduler.reserve(task.id)
                self._change(_Change(task, S.PAUSED, "paused by user"))
            else:
                await self._discard_partial(task, keep=handle.keep_file)
                self._change(_Change(task, S.CANCELLED, "cancelled by user"))
        elif cmd.error is not None:
            await self._finish_failed(task, handle, cmd.error)
        self._answers.extend((waiter, None, None) for waiter in handle.waiters)
        if remove_after is not None:
            await self._forget([task.id], delete_file=remove_after)
        return None

    async def _finish_completed(self, task: VideoTask, result: Any) -> None:
        if task.status in (S.DOWNLOADING, S.PAUSING):
            self._change(_Change(task, S.COMPLETING, "all bytes received"))
        task.file_path = str(result.file_path)
        task.file_size = task.downloaded_size = result.size
        self._change(_Change(task, S.COMPLETED, "transfer verified"))

    async def _finish_failed(self, task: VideoTask, handle: TaskHandle, error: VdpError) -> None:
        attempt = handle.attempt
        if error.retryable and attempt <= self.retry_policy.max_attempts and handle.token.reason is None:
            delay = self.retry_policy.delay(attempt, error.retry_after)
            task.retry_count = attempt
            self._warn(ErrorCode.RETRYING, f"retrying ({attempt}/{self.retry_policy.max_attempts}) in {delay:.1f}s: {error.message}",
                       task.id, attempt=attempt, max_attempts=self.retry_policy.max_attempts)
            self._change(_Change(task, S.PENDING, f"retry {attempt} after {error.code.value}", error.message))
            self.scheduler.enqueue(task.id, RETRY, priority=task.priority, ready_at=time.monotonic() + delay)
            task.queued = True
            return
        if error.retryable and attempt > 1:
            self._warn(ErrorCode.RETRY_EXHAUSTED, f"gave up after {attempt} attempts: {error.message}", task.id,
                       attempt=attempt, max_attempts=self.retry_policy.max_attempts)
        elif error.code in (ErrorCode.DISK_FULL, ErrorCode.PERMISSION_DENIED, ErrorCode.RESUME_INVALIDATED):
            self._warn(error.code, error.message, task.id)
        self._change(_Change(task, S.FAILED, f"failed: {error.code.value}", error.message))

    async def _discard_partial(self, task: VideoTask, *, keep: bool) -> None:
        if not keep:
            await discard_partial(self.repo, task)

    # == progress ====================================================================================

    def _on_sample(self, cell: ProgressCell) -> None:
        task = self._tasks.get(cell.task_id)
        if task is None:
            return
        task.downloaded_size = cell.downloaded
        if cell.total is not None:
            task.file_size = cell.total
            task.progress = _percent(cell.downloaded, cell.total)
        task.speed = cell.smoothed
        task.eta = int((cell.total - cell.downloaded) / cell.smoothed) if cell.total and cell.smoothed > 0 else None

    def _on_stall(self, cell: ProgressCell) -> None:
        task = self._tasks.get(cell.task_id)
        if task is not None and task.status == S.DOWNLOADING:
            self._warn(ErrorCode.STALLED, "No data received for 30 s", task.id)

    # == read-only views (safe from the loop's thread) ===============================================

    def tasks(self) -> list[VideoTask]:
        return list(self._tasks.values())  # a dict keeps arrival order, which is the list's order

    def task(self, task_id: str) -> Optional[VideoTask]:
        return self._tasks.get(task_id)

    def metrics(self) -> DownloadMetricsEvent:
        per_protocol: dict[str, ProtocolMetrics] = {}
        total_speed = 0.0
        for cell in self.hub.cells():
            entry = per_protocol.setdefault(cell.protocol, ProtocolMetrics())
            entry.active += 1
            entry.speed += cell.smoothed
            total_speed += cell.smoothed
        counts = self._counts
        active = sum(counts[s] for s in ACTIVE)
        depths = self.scheduler.depths()
        queued = depths[INTERACTIVE] + depths[RETRY] + (depths[AUTOMATIC] if self.scheduler.backlog_running else 0)
        return DownloadMetricsEvent(
            active=active, queued=queued, avg_speed=total_speed / active if active else 0.0,
            per_protocol=per_protocol, paused=counts[S.PAUSED], completed=counts[S.COMPLETED],
            failed=counts[S.FAILED], total=len(self._tasks), total_speed=total_speed,
            worker_utilization=self.pool.utilization if self.pool else 0.0, pending=counts[S.PENDING],
            cancelled=counts[S.CANCELLED],
            downloaded_bytes=sum(t.downloaded_size for t in self._tasks.values()),
        )

    def stats(self) -> DownloadStats:
        downloading = [t for t in self._tasks.values() if t.status == S.DOWNLOADING]
        return DownloadStats(
            total_tasks=len(self._tasks), completed_tasks=self._counts[S.COMPLETED],
            failed_tasks=self._counts[S.FAILED],
            total_downloaded=sum(t.downloaded_size for t in self._tasks.values() if t.status == S.COMPLETED),
            average_speed=sum(t.speed for t in downloading) / len(downloading) if downloading else 0.0,
            active_downloads=len(self._handles),
        )

    def state(self) -> RuntimeState:
        depths = self.scheduler.depths()
        rows = []
        for task in self._tasks.values():
            queue = self.scheduler.queue_of(task.id)
            handle = self._handles.get(task.id)
            if queue is None and handle is None and task.id not in self.scheduler.reserved:
                continue
            rows.append(TaskRuntimeState(task_id=task.id, status=task.status, queue=queue,
                                         slot_reserved=task.id in self.scheduler.reserved,
                                         attempt=handle.attempt if handle else self._attempts[task.id],
                                         worker=handle.worker if handle else None))
        return RuntimeState(
            runtime=self.name, backlog_running=self.scheduler.backlog_running,
            concurrency=self.scheduler.concurrency, active=len(self.scheduler.active),
            reserved_slots=len(self.scheduler.reserved), queues=QueueDepths(**depths),
            command_queue_depth=self._queue.qsize(), command_queue_capacity=COMMAND_QUEUE_CAPACITY,
            worker_utilization=self.pool.utilization if self.pool else 0.0, tasks=rows,
        )

    @property
    def uptime(self) -> float:
        return time.monotonic() - self._started_at

    @property
    def loop_lag(self) -> float:
        return self.hub.loop_lag


def _percent(done: int, total: Optional[int]) -> float:
    """Below 100 until the task is Completed: a full byte count is not yet a finished file."""
    return min(99.9, 100.0 * done / total) if total else 0.0


def _settle(future: "asyncio.Future[Any]", result: Any = None, exc: Optional[BaseException] = None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


def _settle_when_all(future: "asyncio.Future[Any]", waits: list["asyncio.Future[Any]"], result: Any) -> None:
    remaining = [len(waits)]

    def one_done(_: "asyncio.Future[Any]") -> None:
        remaining[0] -= 1
        if remaining[0] == 0:
            _settle(future, result)

    for waiter in waits:
        waiter.add_done_callback(one_done)


def _log_failure(future: "asyncio.Future[Any]") -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("internal command failed: %s", future.exception())

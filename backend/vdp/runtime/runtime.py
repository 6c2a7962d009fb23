"""The v2 runtime: one command loop that owns the scheduler, the task cache and every status change.

Callers `submit()` a command and await its answer. Workers and timers report back through the same loop,
so a pause can never race the scheduler's fill (docs/architecture.md, "The command loop owns every mutation").
Every status change is committed to the repository first and published second.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
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
    TaskRemovedEvent,
    TaskRuntimeState,
    TaskStatus,
    TaskStatusChangedEvent,
    VideoTask,
    utc_now,
)
from ..contract.queue import QueueState, TasksReorderedEvent
from ..engines.base import EngineLookup, ResumeState, RetryBudget, TransferContext, TransferInterrupted
from ..engines.services import TransferServices
from ..errors import ErrorKind, VdpError, task_not_found
from ..lean_models import lean
from ..storage.repository import TaskRepository, Transition
from . import commands
from .background import Background
from .bus import EventBus
from .files import checkpoint_row, delete_final_file, discard_partial, make_folders_absolute
from .gc_policy import SurvivorFreezer
from .journal import TaskJournal, TaskSnapshot
from .lifecycle import ACTIVE, STARTABLE, check_transition
from .ordering import moved
from .progress import ProgressCell, ProgressHub
from .queue_schedule import QueueSchedule, local_now
from .retry import RetryPolicy
from .scheduler import AUTOMATIC, INTERACTIVE, RETRY, Scheduler
from .tallies import StatusTally
from .workers import TaskHandle, WorkerPool

log = logging.getLogger("vdp.runtime")

STOP_ACK_DEADLINE = 5.0
FINISH_ON_STOP = 2 * STOP_ACK_DEADLINE  # seconds a stop waits for the pauses, and for files being finished
COMMAND_QUEUE_CAPACITY = 1024
COMMIT_BATCH = 64  # commands handled before their status changes are committed (bounds an answer's delay)
COMMIT_RETRY = 2.0  # seconds before staged changes whose commit failed are tried again
COMPLETING_SHOWN_AFTER = 0.2  # seconds a transfer may take to finish its file before it shows Completing
START_SLICE = 8  # transfers handed to the workers between two turns of the event loop
YIELD_EVERY = 200  # tasks a big command (add, remove) handles between two turns of the event loop (≈ 5 ms)
_DEFERRED = object()


@dataclass(slots=True)
class _Change:
    task: VideoTask
    to: TaskStatus
    cause: str
    error: Optional[str] = None
    code: Optional[ErrorCode] = None  # the error's stable code, so the UI can say it in the user's language
    from_status: Optional[TaskStatus] = None  # these three are set when the change is applied
    error_message: Optional[str] = None
    error_code: Optional[ErrorCode] = None


class Runtime:
    name = "v2"

    def __init__(self, repository: TaskRepository, config: AppConfig, engines: EngineLookup, services: TransferServices,
                 *, bus: Optional[EventBus] = None, clock: Callable[[], datetime] = local_now) -> None:
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
        self._tally = StatusTally()  # counts per status and the stats' sums, kept as tasks change
        self._counts = self._tally.counts
        self._handles: dict[str, TaskHandle] = {}
        self._attempts: Counter[str] = Counter()
        self._serials = itertools.count(1)
        self._queue: asyncio.Queue[commands.Command] = asyncio.Queue(maxsize=COMMAND_QUEUE_CAPACITY)
        # Held until the next commit: status changes, command answers (future, result, error), transfers to start.
        self._staged: list[_Change] = []
        self._staged_total = 0  # ever staged: tells whether a command changed a status (a commit may come between)
        self._answers: list[tuple[asyncio.Future[Any], Any, Optional[BaseException]]] = []
        self._handoffs: list[TaskHandle] = []
        self._checkpoints: list[commands.SaveCheckpoint] = []  # transfers' checkpoints, answered once written
        self._never_started: set[str] = set()  # added in this session and never run: no resume data to load
        self._loop_task: Optional[asyncio.Task[None]] = None
        self._stopped = False  # the loop has ended: nothing submitted would be answered
        self._retry_timer: Optional[asyncio.TimerHandle] = None
        self._background = Background()  # the loop's own tasks and timers: a stop ends them all
        self._started_at = time.monotonic()
        self.journal = TaskJournal()  # recent errors, speed samples, live piece maps (the details pane)
        self.survivor_freezer = SurvivorFreezer()  # bounds what a full garbage collection walks (runtime/gc_policy.py)
        # The queue scheduler posts its changes through the loop like any other command.
        self.schedule = QueueSchedule(lambda running: self._post(commands.ScheduledQueueChange(running)), now=clock)
        self._paused_by_schedule: set[str] = set()  # running downloads the scheduler paused; it starts them again
        own = (commands.MoveTasks, commands.SetQueueRunning, commands.GetQueueState, commands.DescribeTask,
               commands.ScheduledQueueChange, commands.BytesReceived, commands.EnterCompleting, commands.SaveCheckpoint,
               commands.TransferFinished, commands.StopDeadline, commands.RetryDue)
        self._handlers: dict[type, Callable[[Any], Awaitable[Any]]] = {
            kind: getattr(self, commands.handler_name(kind)) for kind in commands.BOTH_RUNTIMES + own}

    # == lifecycle =================================================================================

    async def start(self) -> None:
        await self._recover()
        gc.freeze()  # the task list lives as long as the app: see _add_tasks
        self.survivor_freezer.install()
        self.pool = WorkerPool(self._execute, _workers_for(self.scheduler.concurrency))
        self.hub.start()
        self._loop_task = asyncio.create_task(self._command_loop(), name="command-loop")
        ui = self.config.ui
        self._configure_schedule((ui.schedule_start_time, ui.schedule_pause_time) if ui else (None, None))

    async def stop(self) -> None:
        """Pause what runs (so it resumes next time), then stop the loop and the workers."""
        if self._loop_task is None:
            return
        self.schedule.cancel()
        if self._handles:
            try:
                await asyncio.wait_for(self.submit(commands.PauseAll(wait_for_finishing=True)), FINISH_ON_STOP)
            except TimeoutError:
                log.warning("stopping while files are still being finished; they are finished at the next start")
        self._loop_task.cancel()
        await asyncio.gather(self._loop_task, return_exceptions=True)
        self._loop_task = None
        self._stopped = True
        while not self._queue.empty():  # no loop will answer them: a worker still waiting on one goes on
            _settle(self._queue.get_nowait().future, exc=_runtime_stopped())
        for checkpoint in self._checkpoints:  # handled, not yet written: a completing transfer may wait on one
            _settle(checkpoint.future, exc=_runtime_stopped())
        self._checkpoints.clear()
        self._retry_timer = None
        await self.hub.stop()
        if self.pool:
            await self.pool.close()
        await self._background.close()  # last: a worker ending above posts its report, maybe through an overflow put
        self.survivor_freezer.remove()
        gc.unfreeze()  # what this runtime held can be collected again

    async def _recover(self) -> None:
        """Restart recovery (docs/architecture.md, "Statuses and queues"): nothing starts, interrupted work becomes
        Paused."""
        interrupted: list[_Change] = []
        durable = await self.repo.durable_bytes()
        loaded = await self.repo.load_tasks()
        relocated = make_folders_absolute(loaded)
        for task in loaded:
            self._remember(task)
            if task.status in ACTIVE:
                interrupted.append(_Change(task, TaskStatus.PAUSED, "recovered after restart"))
                if task.id in durable:
                    task.downloaded_size = durable[task.id]
                    task.progress = _percent(task.downloaded_size, task.file_size)
            task.speed, task.eta, task.queued = 0.0, None, False
        for change in interrupted:
            self._apply(change)
        if interrupted:
            await self.repo.record_transitions(Transition(c.task, c.from_status, c.cause) for c in interrupted)
        if relocated:
            await self.repo.save_tasks(relocated)
        for task in self._tasks.values():
            if task.status == TaskStatus.PENDING:
                self.scheduler.enqueue(task.id, AUTOMATIC, priority=task.priority, order=self._order[task.id])
        self.scheduler.backlog_running = bool(self.config.ui and self.config.ui.auto_start_downloads)
        counts = self._counts
        self.session = SessionSummary(
            continuable=counts[TaskStatus.PAUSED], waiting=counts[TaskStatus.PENDING], failed=counts[TaskStatus.FAILED],
            completed=counts[TaskStatus.COMPLETED], total=len(self._tasks), recovered_at=utc_now(),
        )

    # == the command loop ==========================================================================

    async def submit(self, command: commands.Command) -> Any:
        if self._stopped:
            raise _runtime_stopped()  # e.g. a transfer's last checkpoint while the workers are shut down
        command.future = asyncio.get_running_loop().create_future()
        await self._queue.put(command)  # bounded: a flood of commands waits here (visible backpressure)
        if self._stopped:  # it got its room from the stop's drain: no loop is left to answer it
            _settle(command.future, exc=_runtime_stopped())
        return await command.future

    def _post(self, command: commands.Command) -> None:
        """Queue an internal command without waiting for its answer (workers, timers)."""
        command.future = asyncio.get_running_loop().create_future()
        command.future.add_done_callback(_log_failure)
        if self._queue.full():
            # Never drop a worker's report, even under backpressure: it waits for room (ended by a stop).
            self._background.start(self._queue.put(command), name="command-overflow")
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

    async def _handle(self, command: commands.Command) -> None:
        staged = self._staged_total
        result: Any = None
        error: Optional[VdpError] = None
        try:
            result = await self._handlers[type(command)](command)
        except VdpError as exc:
            error = exc
        except Exception as exc:  # a bug: answer the caller with a clear error and keep the loop alive
            log.exception("command %s failed", type(command).__name__)
            error = VdpError(ErrorCode.INTERNAL, str(exc), kind=ErrorKind.SYSTEM)
        if result is _DEFERRED:
            return
        if self._staged_total == staged:
            _settle(command.future, result, error)  # it changed no status: nothing to wait for
        else:
            self._answers.append((command.future, result, error))

    # == status changes ==============================================================================

    def _remember(self, task: VideoTask) -> None:
        self._tasks[task.id] = lean(task)  # held as long as the task exists: 200,000 after a big import
        self._order[task.id] = next(self._arrivals)
        self._by_url.setdefault(task.url, task.id)
        self._tally.add(task)

    def _apply(self, change: _Change) -> None:
        task = change.task
        check_transition(task.id, task.status, change.to)
        change.from_status = task.status
        self._tally.move(task, change.to)
        task.status = change.to
        task.updated_at = utc_now()
        if change.to in (TaskStatus.FAILED, TaskStatus.PENDING) or change.error:
            task.error_message, task.error_code = change.error, change.code
        if change.to not in ACTIVE:
            task.speed, task.eta = 0.0, None
        if change.to == TaskStatus.COMPLETED:
            task.progress, task.error_message, task.error_code = 100.0, None, None
        change.error_message, change.error_code = task.error_message, task.error_code
        # Steps on the way (Scheduled, Downloading, Completing, Pausing) go to the audit trail only: at 4 lines per
        # small file, logging them cost more than storing them (and so did building their arguments).
        level = logging.DEBUG if change.to in ACTIVE else logging.INFO
        if log.isEnabledFor(level):
            log.log(level, "transition task=%s %s -> %s cause=%s%s", task.id, change.from_status.value,
                    change.to.value, change.cause, f" error={change.error}" if change.error else "")

    def _change(self, *changes: _Change) -> None:
        """Apply now; the next `_commit` writes and publishes them (at the end of the command batch, or before any
        other write that touches the same rows)."""
        for change in changes:
            self._apply(change)
        self._staged.extend(changes)
        self._staged_total += len(changes)

    async def _commit(self) -> None:
        """Write the staged checkpoints and changes in one statement (each change with its audit row; the checkpoints
        first, so a Completed task's row drops its resume map last), publish the changes, then release what waited
        for them (checkpoints, answers, pause waiters, transfers for the workers): the UI never sees a status the
        database does not hold, and an engine never goes on from a checkpoint the database does not hold."""
        changes, self._staged = self._staged, []
        checkpoints, self._checkpoints = self._checkpoints, []
        answers, self._answers = self._answers, []
        handoffs, self._handoffs = self._handoffs, []
        if checkpoints or changes:
            try:
                # Rows taken now, so a checkpoint's row holds the task as it is when written.
                await self.repo.commit([checkpoint_row(c.task, c.state) for c in checkpoints],
                                       [Transition(c.task, c.from_status, c.cause, c.to) for c in changes])
            except asyncio.CancelledError:
                for cmd in checkpoints:  # the loop is stopping: no later commit answers them, and an engine waits
                    _settle(cmd.future, exc=_runtime_stopped())
                raise
            except Exception as exc:
                for cmd in checkpoints:  # the engine decides: a checkpoint it cannot save fails the transfer
                    _settle(cmd.future, exc=exc)
                if changes:
                    # Nothing of the batch was written (one statement). Keep the changes staged, and the transfers
                    # waiting for them: no worker starts on a status the database does not hold; the next loop turn
                    # tries again.
                    log.exception("committing %d status changes failed; retrying in %s s", len(changes),
                                  COMMIT_RETRY)
                    self._staged[:0], self._handoffs[:0] = changes, handoffs
                    self._background.later(COMMIT_RETRY, lambda: self._post(commands.RetryDue()))
                    for future, _, _ in answers:
                        _settle(future, exc=VdpError(ErrorCode.STORAGE_ERROR,
                                                     f"the change could not be saved ({exc})", kind=ErrorKind.SYSTEM))
                    return
            else:
                for cmd in checkpoints:
                    _settle(cmd.future)
                for change in changes:
                    task = change.task
                    self.bus.publish("task_status_changed", TaskStatusChangedEvent(
                        task_id=task.id, from_=change.from_status, to=change.to, error=change.error_message,
                        status=change.to, error_message=change.error_message, error_code=change.error_code))
        if changes:
            self.hub.metrics_changed()
        for future, result, failure in answers:
            _settle(future, result, failure)
        for position, handle in enumerate(handoffs):
            if position and position % START_SLICE == 0:
                await asyncio.sleep(0)  # a transfer's first step (open, connect) runs at once: 64 held the loop 50 ms
            assert self.pool is not None
            self.pool.submit(handle)

    def _warn(self, code: ErrorCode, message: str, task_id: Optional[str] = None, **extra: Any) -> None:
        log.warning("runtime_warning code=%s task=%s %s", code.value, task_id, message)
        if task_id is not None and code not in (ErrorCode.RETRYING, ErrorCode.RETRY_EXHAUSTED):
            self.journal.error(task_id, code.value, message)  # the failure itself is noted by _finish_failed
        self.bus.publish("runtime_warning", RuntimeWarningEvent(code=code, message=message, task_id=task_id, **extra))

    def _get(self, task_id: str) -> VideoTask:
        task = self._tasks.get(task_id)
        if task is None:
            raise task_not_found(task_id)
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
            attempt = self._attempts[task.id]
            retries = RetryBudget(self.retry_policy.max_attempts, used=attempt - 1)
            handle = TaskHandle(task.id, attempt, next(self._serials), queue, retries)
            self._handles[task.id] = handle
            # A free slot has an idle worker, which starts the engine as soon as the commit hands it over: the task
            # is Downloading from here (no round trip from the worker to say so).
            self._change(_Change(task, TaskStatus.SCHEDULED, f"dispatched from {queue}"),
                         _Change(task, TaskStatus.DOWNLOADING, f"attempt {handle.attempt} started"))
            self._handoffs.append(handle)
        self._arm_retry_timer()

    def _arm_retry_timer(self) -> None:
        if self._retry_timer:
            self._background.cancel(self._retry_timer)
            self._retry_timer = None
        due = self.scheduler.next_retry_at()
        if due is not None and self.scheduler.free_slots:
            delay = max(0.0, due - time.monotonic())
            self._retry_timer = self._background.later(delay, lambda: self._post(commands.RetryDue()))

    async def _retry_due(self, _: commands.RetryDue) -> None:
        return None  # the dispatch and commit after every command batch pick up due retries and staged changes

    def _enqueue(self, task: VideoTask, queue: str, *, front: bool = False) -> None:
        self.scheduler.enqueue(task.id, queue, priority=task.priority, order=self._order[task.id], front=front)
        task.queued = queue != AUTOMATIC or self.scheduler.backlog_running

    # == public command handlers ====================================================================

    async def _add_tasks(self, cmd: commands.AddTasks) -> list[VideoTask]:
        added: list[VideoTask] = []
        seen: set[str] = set()
        for position, incoming in enumerate(cmd.tasks):
            if position and position % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # 10,000 tasks in one add held the loop for most of a second
            if cmd.skip_duplicate_urls and (incoming.url in self._by_url or incoming.url in seen):
                continue
            if incoming.id in self._tasks:
                continue
            seen.add(incoming.url)
            task = incoming  # the runtime owns the tasks it is given
            task.status, task.speed, task.eta, task.queued = TaskStatus.PENDING, 0.0, None, False
            task.file_path = None  # only the engine's result names a task's file (runtime/files.py)
            task.max_retries = self.retry_policy.max_attempts
            added.append(task)
        if not added:
            return []
        await self.repo.insert_tasks([(self.repo.next_seq(), t) for t in added], cmd.cause)
        for position, task in enumerate(added):
            if position and position % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            self._remember(task)
            self._never_started.add(task.id)
            self._enqueue(task, INTERACTIVE if cmd.start else AUTOMATIC)
            # A snapshot, since events are serialised later; nested values are replaced, never mutated, so shallow
            # is enough.
            self.bus.publish("task_added", task.model_copy())
        self.hub.metrics_changed()
        if len(added) >= YIELD_EVERY:
            # Out of the collector's sight: a full collection walks every tracked object, and 10,000 tasks made each
            # one hold the loop for 0.7-1.3 s (docs/benchmarks.md). Tasks hold no reference cycles: refcounting frees
            # them. Only after big adds, since cyclic garbage that is waiting at that moment is frozen with them.
            gc.freeze()
        return added

    async def _start(self, cmd: commands.Start) -> None:
        task = self._get(cmd.task_id)
        if task.status in ACTIVE or self.scheduler.queue_of(task.id) == INTERACTIVE:
            return None  # already running or about to: idempotent
        if task.status not in (STARTABLE if cmd.restart else (TaskStatus.PENDING, TaskStatus.PAUSED)):
            raise VdpError(ErrorCode.INVALID_STATUS,
                           f"Task {task.id} cannot be started from status: {task.status.value}",
                           kind=ErrorKind.DOWNLOAD)
        self._attempts[task.id] = 0  # a user start gives the task its full retry budget again
        # The task's own reservation is given back: it is about to use a slot itself.
        self.scheduler.reserved.discard(task.id)
        self._enqueue(task, INTERACTIVE)
        return None

    async def _resume(self, cmd: commands.Resume) -> None:
        task = self._get(cmd.task_id)
        if task.status in ACTIVE or self.scheduler.queue_of(task.id) == INTERACTIVE:
            return None
        if task.status != TaskStatus.PAUSED:
            raise VdpError(ErrorCode.INVALID_STATUS,
                           f"Task {task.id} cannot be resumed from status: {task.status.value}",
                           kind=ErrorKind.DOWNLOAD)
        self.scheduler.reserved.discard(task.id)
        self._attempts[task.id] = 0
        self._enqueue(task, INTERACTIVE, front=True)
        return None

    async def _pause(self, cmd: commands.Pause) -> Any:
        task = self._tasks.get(cmd.task_id)
        if task is None:  # the original looks for an active download only, so an unknown id is "not active" too
            raise VdpError(ErrorCode.NOT_ACTIVE, f"Active download not found: {cmd.task_id}", kind=ErrorKind.DOWNLOAD)
        handle = self._handles.get(task.id)
        if handle is not None:
            if _finishing(handle):
                handle.paused_while_finishing = True
                return None  # nearly done; let it finish
            handle.waiters.append(cmd.future)
            await self._request_stop(task, handle, "pause")
            return _DEFERRED
        queue = self.scheduler.queue_of(task.id)
        waiting = queue in (INTERACTIVE, RETRY) or (queue == AUTOMATIC and self.scheduler.backlog_running)
        if task.status == TaskStatus.PAUSED or waiting:
            self.scheduler.dequeue(task.id)
            task.queued = False
            if task.status == TaskStatus.PENDING:
                self._change(_Change(task, TaskStatus.PAUSED, "paused while queued"))
            return None
        raise VdpError(ErrorCode.NOT_ACTIVE, f"Active download not found: {task.id}", kind=ErrorKind.DOWNLOAD)

    async def _request_stop(self, task: VideoTask, handle: TaskHandle, reason: str) -> None:
        if handle.token.cancelled:
            if reason == "cancel":
                handle.token.reason = "cancel"
            return
        handle.token.cancel(reason)
        if reason == "pause":
            self.scheduler.reserve(task.id)
            if task.status == TaskStatus.DOWNLOADING:
                self._change(_Change(task, TaskStatus.PAUSING, "pause requested"))
        # The safety net for an engine that does not stop: forced after the deadline (cancelled if it stops first).
        handle.deadline = self._background.later(
            STOP_ACK_DEADLINE, lambda: self._post(commands.StopDeadline(task.id, handle.serial)))

    async def _stop_deadline(self, cmd: commands.StopDeadline) -> None:
        handle = self._handles.get(cmd.task_id)
        # `deadline` None: dropped by the last byte (`_bytes_received`) after this report was already queued.
        if (handle is not None and handle.serial == cmd.serial and handle.deadline is not None
                and handle.job is not None and not handle.job.done()):
            log.warning("task %s did not acknowledge its stop within %.0fs; forcing it", cmd.task_id, STOP_ACK_DEADLINE)
            handle.job.cancel()

    async def _cancel(self, cmd: commands.Cancel) -> Any:
        task = self._tasks.get(cmd.task_id)
        if task is None:
            return None  # the original answers null for an unknown id (docs/contract.md, cancel_download)
        handle = self._handles.get(task.id)
        if handle is not None:
            handle.keep_file = cmd.keep_file
            handle.waiters.append(cmd.future)
            await self._request_stop(task, handle, "cancel")
            return _DEFERRED
        if task.status in (TaskStatus.CANCELLED, TaskStatus.COMPLETED):
            return None
        self.scheduler.dequeue(task.id)
        self.scheduler.release(task.id)
        task.queued = False
        await self._discard_partial(task, keep=cmd.keep_file)
        self._change(_Change(task, TaskStatus.CANCELLED, "cancelled by user"))
        return None

    async def _remove(self, cmd: commands.Remove) -> None:
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
                await asyncio.to_thread(delete_final_file, task)  # unlinking a big file can take the disk a while
        await self._commit()  # a staged change of a removed task must reach the audit trail before its removal
        await self.repo.delete_tasks(ids, "removed")
        for position, task_id in enumerate(ids):
            if position and position % YIELD_EVERY == 0:
                await asyncio.sleep(0)
            task = self._tasks.pop(task_id)
            self._tally.remove(task)
            self._order.pop(task_id, None)
            if self._by_url.get(task.url) == task_id:
                del self._by_url[task.url]
            self._attempts.pop(task_id, None)
            self._never_started.discard(task_id)
            self.journal.forget(task_id)
            self._paused_by_schedule.discard(task_id)
            self.services.limits.forget(task_id)
            self.bus.publish("task_removed", TaskRemovedEvent(task_id=task_id))
        self.hub.metrics_changed()

    async def _start_all(self, cmd: commands.StartAll) -> int:
        self._set_backlog_running(True)
        self.scheduler.reserved.clear()
        count = 0
        for position, task in enumerate(self._tasks.values()):
            if position and position % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # safe mid-iteration: only the command loop (busy here) changes the list
            if cmd.output_path and task.status in (TaskStatus.PENDING,
                    TaskStatus.PAUSED) and task.id not in self._handles:
                task.output_path = cmd.output_path
            if task.status == TaskStatus.PAUSED and self.scheduler.queue_of(task.id) is None:
                self._enqueue(task, AUTOMATIC)
            if task.status in (TaskStatus.PENDING, TaskStatus.PAUSED) and self.scheduler.queue_of(task.id) == AUTOMATIC:
                task.queued = True
                count += 1
        if cmd.output_path:
            await self._save_and_announce([t for t in self._tasks.values() if t.output_path == cmd.output_path])
        return count

    async def _pause_all(self, cmd: commands.Command) -> Any:
        self._set_backlog_running(False)
        for queue in (INTERACTIVE, RETRY):
            for task_id in self.scheduler.queued_ids(queue):
                self.scheduler.dequeue(task_id)
                task = self._tasks[task_id]
                if task.status == TaskStatus.PENDING:
                    self._enqueue(task, AUTOMATIC)
        for task in self._tasks.values():
            if task.queued and task.id not in self._handles:
                task.queued = False
        waits: list[asyncio.Future[Any]] = []
        until_finished = isinstance(cmd, commands.PauseAll) and cmd.wait_for_finishing
        for task_id, handle in list(self._handles.items()):
            finishing = _finishing(handle)
            handle.paused_while_finishing |= finishing
            if finishing and not until_finished:
                continue
            waiter = asyncio.get_running_loop().create_future()
            handle.waiters.append(waiter)
            waits.append(waiter)
            if not finishing:
                await self._request_stop(self._tasks[task_id], handle, "pause")
        if not waits:
            return 0
        _settle_when_all(cmd.future, waits, len(waits))
        return _DEFERRED

    async def _resume_all(self, _: commands.ResumeAll) -> int:
        paused = [t for t in self._tasks.values()
                  if t.status == TaskStatus.PAUSED and self.scheduler.queue_of(t.id) is None]
        for task in sorted(paused, key=lambda t: self._order[t.id]):
            self.scheduler.reserved.discard(task.id)
            self._enqueue(task, INTERACTIVE)
        return len(paused)

    async def _cancel_all(self, cmd: commands.CancelAll) -> Any:
        targets = [t for t in self._tasks.values() if t.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED,
                TaskStatus.FAILED)]
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
                idle.append(_Change(task, TaskStatus.CANCELLED, "cancel all"))
        self._change(*idle)
        if not waits:
            return len(targets)
        _settle_when_all(cmd.future, waits, len(targets))  # answered once the running ones have stopped
        return _DEFERRED

    async def _retry_failed(self, _: commands.RetryFailed) -> int:
        failed = [t for t in self._tasks.values() if t.status == TaskStatus.FAILED]
        for task in failed:
            self._attempts[task.id] = 0
            task.retry_count = 0
        self._change(*(_Change(t, TaskStatus.PENDING, "retry failed tasks") for t in failed))
        for task in failed:
            self._enqueue(task, INTERACTIVE)
        return len(failed)

    async def _clear_completed(self, _: commands.ClearCompleted) -> int:
        ids = [t.id for t in self._tasks.values() if t.status == TaskStatus.COMPLETED]
        await self._forget(ids, delete_file=False)
        return len(ids)

    async def _apply_config(self, cmd: commands.ApplyConfig) -> None:
        was_auto = bool(self.config.ui and self.config.ui.auto_start_downloads)
        self.config.download = cmd.download
        self.scheduler.concurrency = cmd.download.concurrent_downloads
        self.retry_policy = RetryPolicy(max_attempts=cmd.download.retry_attempts)
        if self.pool:
            self.pool.resize(_workers_for(cmd.download.concurrent_downloads))
        if cmd.auto_start and not was_auto:
            self._set_backlog_running(True)
        self._configure_schedule(cmd.schedule)
        return None

    async def _set_priority(self, cmd: commands.SetPriority) -> None:
        task = self._get(cmd.task_id)
        task.priority = cmd.priority
        queue = self.scheduler.queue_of(task.id)
        if queue is not None:
            self._enqueue(task, queue)
        await self._save_and_announce([task])
        return None

    async def _retitle(self, cmd: commands.Retitle) -> None:
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

    async def _update_output_paths(self, cmd: commands.UpdateOutputPaths) -> list[VideoTask]:
        changed = []
        for task_id in cmd.task_ids:
            task = self._tasks.get(task_id)
            if task is not None and task.id not in self._handles and task.status != TaskStatus.COMPLETED:
                task.output_path = cmd.output_path
                task.updated_at = utc_now()
                changed.append(task)
        await self._save_and_announce(changed)
        return changed

    # == the course workspace: queue order, queue running, schedule, details (docs/contract.md) ===========

    async def _move_tasks(self, cmd: commands.MoveTasks) -> list[str]:
        """The list order is the queue order: the backlog runs in it. Persisted, then published to every window."""
        for task_id in cmd.task_ids:
            self._get(task_id)
        order = list(self._tasks)
        new = moved(order, cmd.task_ids, cmd.direction)  # type: ignore[arg-type]
        if new == order:
            return new
        # The same arrival keys, handed out again in the new order: tasks added later still come after them.
        keys = sorted(self._order[task_id] for task_id in order)
        self._order.update(zip(new, keys))
        reordered = {task_id: self._tasks[task_id] for task_id in new}
        self._tasks.clear()
        self._tasks.update(reordered)
        for task_id in self.scheduler.queued_ids(AUTOMATIC):
            task = self._tasks[task_id]
            self.scheduler.enqueue(task_id, AUTOMATIC, priority=task.priority, order=self._order[task_id])
        await self.repo.reorder_tasks(new)
        self.bus.publish("tasks_reordered", TasksReorderedEvent(task_ids=new))
        return new

    def _set_backlog_running(self, running: bool) -> None:
        """A task waiting in the backlog is `queued` exactly while the queue runs (the UI shows it so)."""
        if self.scheduler.backlog_running == running:
            return
        self.scheduler.backlog_running = running
        for task_id in self.scheduler.queued_ids(AUTOMATIC):
            self._tasks[task_id].queued = running
        log.info("queue %s", "running" if running else "paused")
        self.bus.publish("queue_state_changed", self.queue_state())

    async def _set_queue_running(self, cmd: commands.SetQueueRunning) -> QueueState:
        """Only the queue: nothing running is paused and no paused task is queued again."""
        self._set_backlog_running(cmd.running)
        return self.queue_state()

    async def _get_queue_state(self, _: commands.GetQueueState) -> QueueState:
        return self.queue_state()

    def _configure_schedule(self, times: tuple[Optional[str], Optional[str]]) -> None:
        before = (self.schedule.next_at, self.schedule.next_running)
        try:
            self.schedule.configure(*times)
        except ValueError as exc:  # the config validates these; a hand-edited file may not
            log.warning("queue schedule off: %s", exc)
            self.schedule.configure(None, None)
        if (self.schedule.next_at, self.schedule.next_running) != before:
            self.bus.publish("queue_state_changed", self.queue_state())

    async def _scheduled_queue_change(self, cmd: commands.ScheduledQueueChange) -> Any:
        """At the start time the queue runs and what the schedule paused is queued again (in queue order); at the
        pause time the queue pauses and so do the downloads running then, as with Pause all."""
        if not cmd.running:
            self._paused_by_schedule = {i for i, handle in self._handles.items() if not _finishing(handle)}
            return await self._pause_all(cmd)
        self._set_backlog_running(True)
        for task_id in sorted(self._paused_by_schedule, key=self._order.__getitem__):
            task = self._tasks[task_id]
            if task.status == TaskStatus.PAUSED and self.scheduler.queue_of(task_id) is None:
                self.scheduler.reserved.discard(task_id)
                self._enqueue(task, AUTOMATIC)
        self._paused_by_schedule.clear()
        return None

    async def _describe_task(self, cmd: commands.DescribeTask) -> TaskSnapshot:
        task = self._get(cmd.task_id)
        cell = self.hub.cell(task.id)
        notes = self.journal.notes(task.id)
        live = cell.live_state() if cell is not None and cell.live_state is not None else None
        handle = self._handles.get(task.id)
        # While it runs, the engine's quick retries (HLS segments) count too: tries = retries spent + this one.
        attempts = handle.retries.used + 1 if handle is not None else self._attempts[task.id]
        return TaskSnapshot(task.model_copy(), handle is not None, cell.connections if cell else 0,
                            attempts, list(notes.errors), list(notes.speeds), live)

    def queue_state(self) -> QueueState:
        return QueueState(running=self.scheduler.backlog_running, schedule_start_time=self.schedule.start_text,
                          schedule_pause_time=self.schedule.pause_text, next_change_at=self.schedule.next_at,
                          next_change_running=self.schedule.next_running)

    # == workers report back =========================================================================

    async def _execute(self, handle: TaskHandle) -> None:
        """Runs on a worker: one transfer attempt, reported back to the loop as commands."""
        task = self._tasks.get(handle.task_id)
        if task is None:
            return
        outcome = commands.TransferFinished(handle.task_id, handle.serial)
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
                checkpoint=lambda state: self.submit(commands.SaveCheckpoint(task, state)),
                warn=lambda code, message: self._warn(code, message, task.id),
                services=self.services, retries=handle.retries,
                enter_completing=lambda: self._completing(handle),
            )
            # A task of its own (held by the handle, awaited here) so the stop deadline can cancel the engine alone.
            handle.job = asyncio.create_task(engine.transfer(ctx), name=f"transfer-{task.id}")
            outcome.result = await handle.job
        except (TransferInterrupted, asyncio.CancelledError) as exc:
            # The worker itself is being shut down (its own cancellation also cancels the job it awaits, so the job's
            # state alone cannot tell): swallowed here, the pool's close would wait for this worker forever.
            worker = asyncio.current_task()
            if isinstance(exc, asyncio.CancelledError) and (
                    (worker is not None and worker.cancelling()) or not (handle.job and handle.job.cancelled())):
                raise
            outcome.interrupted = True
        except VdpError as exc:
            # A value from here on: its traceback would hold this frame, which holds `outcome`, in a cycle.
            outcome.error = exc.with_traceback(None)
        except Exception as exc:
            log.exception("engine crashed on task %s", handle.task_id)
            outcome.error = VdpError(ErrorCode.INTERNAL, f"Internal error: {exc}")
        finally:
            if cell is not None:
                self.hub.detach(handle.task_id)
            if handle.job is not None and handle.job.done():
                # An ended job keeps its exception, whose traceback holds this frame and so the handle: let go of it,
                # or handle, job and the engine's objects form a cycle only a full collection frees.
                handle.job = None
        self._post(outcome)

    async def _bytes_received(self, cmd: commands.BytesReceived) -> None:
        """The transfer has every byte and finishes its file: the next download takes its slot now, not after the
        fsync and rename. Most files finish at once: the outcome then records Completing and Completed together
        (`_finish_completed`), with no status change of its own. One still finishing after COMPLETING_SHOWN_AFTER
        shows Completing meanwhile (`_transfer_finished` cancels the timer)."""
        handle = self._handles.get(cmd.task_id)
        if handle is None or handle.serial != cmd.serial or handle.completing is not None:
            return None  # an earlier attempt's report, late (a full queue): not about the transfer running now
        self.scheduler.finish(cmd.task_id)
        if handle.deadline is not None and handle.token.reason == "pause":
            # Past its last byte, the engine finishes its file whatever it is asked: forced in the middle of a slow
            # final fsync, its rename would land after the task was recorded Paused (and the next run would fetch the
            # file again under a second name). A cancel keeps its deadline: its file is deleted anyway.
            self._background.cancel(handle.deadline)
            handle.deadline = None
        report = commands.EnterCompleting(handle.task_id, handle.serial)
        handle.completing = self._background.later(COMPLETING_SHOWN_AFTER, lambda: self._post(report))
        return None

    async def _enter_completing(self, cmd: commands.EnterCompleting) -> None:
        task, handle = self._tasks.get(cmd.task_id), self._handles.get(cmd.task_id)
        if handle is None or handle.serial != cmd.serial:
            return None  # an earlier attempt's report, late (a full queue): not about the transfer running now
        if task is not None and task.status in (TaskStatus.DOWNLOADING, TaskStatus.PAUSING):
            self._change(_Change(task, TaskStatus.COMPLETING, "all bytes received"))
        return None

    async def _save_checkpoint(self, cmd: commands.SaveCheckpoint) -> Any:
        """Staged for the next commit, which writes all of them in one statement: a small file's first checkpoint
        no longer costs a round trip and a commit of its own."""
        if cmd.task.id not in self._tasks:
            return None  # removed meanwhile: its row is gone, and with it anything to resume
        self._checkpoints.append(cmd)
        return _DEFERRED

    def _completing(self, handle: TaskHandle) -> None:
        """The engine has every byte (its `ctx.completing()`): told to the loop, which frees the slot."""
        self._post(commands.BytesReceived(handle.task_id, handle.serial))

    async def _transfer_finished(self, cmd: commands.TransferFinished) -> None:
        task = self._tasks.get(cmd.task_id)
        handle = self._handles.get(cmd.task_id)
        if task is None or handle is None or handle.serial != cmd.serial:
            return None
        del self._handles[cmd.task_id]
        if handle.deadline is not None:
            self._background.cancel(handle.deadline)
        if handle.completing is not None:  # ended before Completing was shown: the outcome carries it
            self._background.cancel(handle.completing)
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
                self._change(_Change(task, TaskStatus.PAUSED, "paused by user"))
            else:
                await self._discard_partial(task, keep=handle.keep_file)
                self._change(_Change(task, TaskStatus.CANCELLED, "cancelled by user"))
        elif cmd.error is not None and handle.paused_while_finishing and cmd.error.retryable:
            # Paused while it finished, and the finish failed in a way a retry would mend: it waits for the user.
            self.journal.error(task.id, cmd.error.code.value, cmd.error.text)
            cause = f"paused by user (its finish failed: {cmd.error.code.value})"
            self._change(_Change(task, TaskStatus.PAUSED, cause))
        elif cmd.error is not None:
            await self._finish_failed(task, handle, cmd.error)
        self._answers.extend((waiter, None, None) for waiter in handle.waiters)
        if remove_after is not None:
            await self._forget([task.id], delete_file=remove_after)
        return None

    async def _finish_completed(self, task: VideoTask, result: Any) -> None:
        if task.status in (TaskStatus.DOWNLOADING, TaskStatus.PAUSING):
            self._change(_Change(task, TaskStatus.COMPLETING, "all bytes received"))
        task.file_path = str(result.file_path)
        task.file_size = task.downloaded_size = result.size
        self._change(_Change(task, TaskStatus.COMPLETED, "transfer verified"))

    async def _finish_failed(self, task: VideoTask, handle: TaskHandle, error: VdpError) -> None:
        self.journal.error(task.id, error.code.value, error.text)
        budget = handle.retries  # the engine's quick retries in this attempt (HLS segments) were spent from it
        retry = budget.take() if error.retryable and handle.token.reason is None else None
        if retry is not None:
            delay = self.retry_policy.delay(retry, error.retry_after)
            task.retry_count = retry
            self._attempts[task.id] = retry  # tries so far, the engine's retries included; the dispatch adds one
            self._warn(ErrorCode.RETRYING, f"retrying ({retry}/{budget.limit}) in {delay:.1f}s: {error.message}",
                       task.id, attempt=retry, max_attempts=budget.limit)
            self._change(_Change(task, TaskStatus.PENDING, f"retry {retry} after {error.code.value}", error.message,
                                 error.code))
            self.scheduler.enqueue(task.id, RETRY, priority=task.priority, ready_at=time.monotonic() + delay)
            task.queued = True
            return
        self._attempts[task.id] = budget.used + 1  # the tries made, the engine's quick retries included
        task.retry_count = budget.used
        if error.retryable and budget.used > 0:
            tries = budget.used + 1
            self._warn(ErrorCode.RETRY_EXHAUSTED, f"gave up after {tries} attempts: {error.message}", task.id,
                       attempt=tries, max_attempts=budget.limit)
        elif error.code in (ErrorCode.DISK_FULL, ErrorCode.PERMISSION_DENIED, ErrorCode.RESUME_INVALIDATED):
            self._warn(error.code, error.message, task.id)
        self._change(_Change(task, TaskStatus.FAILED, f"failed: {error.code.value}", error.message, error.code))

    async def _discard_partial(self, task: VideoTask, *, keep: bool) -> None:
        if keep:
            return
        if task.id in self._never_started:  # never run: no partial file and no resume map (10,000 reads saved)
            task.downloaded_size, task.progress = 0, 0.0
        else:
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
        self.journal.speed(task.id, time.monotonic(), cell.smoothed)
        task.eta = int((cell.total - cell.downloaded) / cell.smoothed) if cell.total and cell.smoothed > 0 else None

    def _on_stall(self, cell: ProgressCell) -> None:
        task = self._tasks.get(cell.task_id)
        if task is not None and task.status == TaskStatus.DOWNLOADING:
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
            per_protocol=per_protocol, paused=counts[TaskStatus.PAUSED], completed=counts[TaskStatus.COMPLETED],
            failed=counts[TaskStatus.FAILED], total=len(self._tasks), total_speed=total_speed,
            worker_utilization=self._slots_in_use(), pending=counts[TaskStatus.PENDING],
            cancelled=counts[TaskStatus.CANCELLED],
            downloaded_bytes=self._tally.resting_bytes + sum(self._tasks[i].downloaded_size
                                                             for i in self._tally.active),
        )

    def stats(self) -> DownloadStats:
        downloading = [self._tasks[i] for i in self._tally.downloading]  # never a walk over every task
        return DownloadStats(
            total_tasks=len(self._tasks), completed_tasks=self._counts[TaskStatus.COMPLETED],
            failed_tasks=self._counts[TaskStatus.FAILED], total_downloaded=self._tally.completed_bytes,
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
            worker_utilization=self._slots_in_use(), tasks=rows,
        )

    def _slots_in_use(self) -> float:
        """The share of download slots taken (a task finishing its file has given its slot back)."""
        return min(1.0, len(self.scheduler.active) / max(1, self.scheduler.concurrency))

    @property
    def uptime(self) -> float:
        return time.monotonic() - self._started_at

    @property
    def loop_lag(self) -> float:
        return self.hub.loop_lag


def _workers_for(concurrency: int) -> int:
    """A worker per download slot, and one per task that may be finishing its file meanwhile (`Scheduler.finish`)."""
    return 2 * concurrency


def _finishing(handle: TaskHandle) -> bool:
    """Past its last byte (it may still show Downloading for a moment; Completing is shown only by the timer armed
    then, see `_bytes_received`): a pause leaves it to finish."""
    return handle.completing is not None


def _percent(done: int, total: Optional[int]) -> float:
    """Below 100 until the task is Completed: a full byte count is not yet a finished file."""
    return min(99.9, 100.0 * done / total) if total else 0.0


def _runtime_stopped() -> VdpError:
    return VdpError(ErrorCode.INTERNAL, "the download runtime has stopped", kind=ErrorKind.SYSTEM)


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

"""How an engine's concurrent work is owned and stopped (docs/architecture.md, "Cancellation model").

Three tools, one rule: no task outlives the code that started it.
- `TransferScope`: the tasks of one transfer (HTTP connections, HLS segment workers) in an `asyncio.TaskGroup`. The
  cancel token firing cancels them; the first task to fail cancels the others and is raised as itself; leaving the
  scope waits for all of them. An engine saves its checkpoint after the scope and lets `TransferInterrupted` go on.
- `until_cancelled(token, work)`: one awaitable raced against the token (a playlist load, a remux, a rate-limit
  wait); the token firing first cancels `work` and raises `TransferInterrupted`.
- `run_to_end(work)`: the opposite: work that a cancellation must not cut in half (a checkpoint, a claim on a
  thread), which the cancelled caller waits for before it goes on.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, Awaitable, Coroutine, Optional, TypeVar

from .base import CancelToken, TransferInterrupted

T = TypeVar("T")


class TransferScope:
    """`async with TransferScope(ctx.cancel) as scope: scope.start(coro)`: tasks that end together.

    On leaving: the first task's error if one failed (as itself, not wrapped in an ExceptionGroup), else
    `TransferInterrupted` if the token fired while tasks still ran (or before one could start), else nothing.
    Tasks may start more tasks in the scope while it is open (`start` answers None once it is stopping: the
    caller gives back what it took)."""

    __slots__ = ("_token", "_group", "_running", "_stopping", "_interrupted", "_parent", "_cancelling")

    def __init__(self, token: CancelToken) -> None:
        self._token = token
        self._group: Optional[asyncio.TaskGroup] = asyncio.TaskGroup()  # None once left (see __aexit__)
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._interrupted = False
        self._parent: Optional[asyncio.Task[Any]] = None  # the task that opened the scope
        self._cancelling = 0  # its cancellation count then

    async def __aenter__(self) -> TransferScope:
        assert self._group is not None, "a scope is entered once"
        await self._group.__aenter__()
        self._parent = asyncio.current_task()
        self._cancelling = self._parent.cancelling() if self._parent is not None else 0
        self._token.on_cancel(self._stop)  # forgotten on leaving
        return self

    @property
    def accepting(self) -> bool:
        """Whether `start` would start a task now."""
        return not self._stopping and not self._token.cancelled

    def start(self, coro: Coroutine[Any, Any, T]) -> Optional[asyncio.Task[T]]:
        """Run `coro` as a task of the scope; None (and `coro` closed) when the scope is stopping."""
        if not self.accepting:
            coro.close()
            self._interrupted = self._interrupted or self._token.cancelled  # work left undone for the token
            return None
        assert self._group is not None, "open while accepting"
        task = self._group.create_task(coro)
        self._running.add(task)
        task.add_done_callback(self._ended)
        return task

    def __len__(self) -> int:
        """Tasks of the scope not yet ended."""
        return len(self._running)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._stopping = True  # the group cancels the others: none may start meanwhile

    def _stop(self) -> None:
        """The token fired: the scope's tasks are cancelled, in the call that fired it (no task waits for it)."""
        self._stopping = True
        if self._running:
            self._interrupted = True
            for task in self._running:
                task.cancel()

    async def __aexit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        if error is not None:
            self._stopping = True
        failure: Optional[BaseException] = None
        assert self._group is not None
        try:
            await self._group.__aexit__(kind, error, traceback)
        except BaseExceptionGroup as group:
            failure = _first_leaf(group)  # raised below, outside this handler: the group is no context of it
            # Python 3.11's group cancels its parent when a task fails while the parent waits here, and never takes
            # that back (fixed in 3.13): taken back, so the timeouts and groups this task meets later count right.
            while self._parent is not None and self._parent.cancelling() > self._cancelling:
                self._parent.uncancel()
        finally:
            self._parent = None
            self._stopping = True
            # The group holds the task that opened it (the transfer), which will hold what is raised here, whose
            # traceback holds this frame and so this scope: let go of the group, or they form a cycle.
            self._group = None
            self._token.forget(self._stop)
        if failure is not None:
            raise failure
        if self._interrupted:
            raise TransferInterrupted(f"stopped ({self._token.reason or 'cancelled'})")


def _first_leaf(group: BaseExceptionGroup[BaseException]) -> BaseException:
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first


async def until_cancelled(token: CancelToken, work: Awaitable[T]) -> T:
    """Await `work`; if the token fires first, cancel it (in-flight requests included) and raise
    TransferInterrupted. Work that ended before the token fired keeps its result."""
    if token.cancelled:  # fired already: `work` is not begun at all
        if asyncio.iscoroutine(work):
            work.close()
        elif isinstance(work, asyncio.Future):
            work.cancel()
        raise TransferInterrupted(f"stopped ({token.reason or 'cancelled'})")
    runnable: Coroutine[Any, Any, T] = work if asyncio.iscoroutine(work) else _awaited(work)
    try:
        async with TransferScope(token) as scope:
            job = scope.start(runnable)
    except BaseException:
        if isinstance(work, asyncio.Future):
            work.cancel()  # its wrapper may have been cancelled before it ever awaited it
        raise
    assert job is not None, "a scope accepts while its token has not fired"
    return job.result()


async def _awaited(work: Awaitable[T]) -> T:
    return await work


async def run_to_end(work: Awaitable[T]) -> T:
    """Await `work`; if the caller is cancelled first, `work` still runs to its end before the cancellation goes on.

    A thread cannot be stopped, and a checkpoint half done would race the next one: after this returns or raises,
    whatever `work` did is done, so the caller's cleanup can rely on it. An error of `work` met while cancelling is
    dropped here (the caller is being cancelled anyway; a lasting fault shows again next time).
    """
    job = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        while not job.done():
            try:
                await asyncio.wait([job])
            except asyncio.CancelledError:
                pass  # cancelled again (a stop's deadline, then the worker's close): `work` still ends first
        if not job.cancelled():
            job.exception()  # retrieved, so asyncio does not report it as never retrieved
        raise

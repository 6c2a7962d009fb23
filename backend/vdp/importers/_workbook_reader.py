"""Reads every worksheet of an XLSX/XLS/ODS workbook through calamine, in a child process (see `_workbook_worker`)."""

from __future__ import annotations

import multiprocessing
import os
import time
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Iterator, Optional

from . import _workbook_worker as worker
from ._bounded import check_budget
from ._failure import ParseFailure
from ._table import RawRow, Sheet

REPLY_TIMEOUT_S = 120.0
"""A reader that sends nothing for this long is stuck on the file and is stopped."""
_POLL_SLICE_S = 0.2


def _context() -> multiprocessing.context.SpawnContext | multiprocessing.context.ForkServerContext:
    # forkserver forks each reader from a clean single-threaded server (the app has threads, so plain fork is
    # unsafe) that has the worker imported already, so a reader starts in milliseconds; preloading the worker
    # also keeps the server from importing the app's __main__. Windows has no forkserver: spawn is the safe choice.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([worker.__name__])
    return context


@contextmanager
def open_workbook(path: str | os.PathLike[str], memory_limit: int) -> Iterator[Iterator[Sheet]]:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=worker.run, args=(os.fspath(path), memory_limit, sender), daemon=True)
    process.start()
    sender.close()  # the child holds the only sending end, so its death reads as end-of-file here
    try:
        yield _Replies(receiver, process).sheets()
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()  # the caller stopped early (a preview, a row cap): the rest of the file is not needed
        process.join()


class _Replies:
    """The child's messages, turned back into lazily read sheets."""

    def __init__(self, conn: Connection, process: multiprocessing.process.BaseProcess) -> None:
        self._conn = conn
        self._process = process
        self._pending: Optional[tuple] = None

    def sheets(self) -> Iterator[Sheet]:
        while True:
            message = self._next()
            if message[0] == worker.END:
                return
            _, name, header = message
            yield Sheet(name, header, self._rows())

    def _rows(self) -> Iterator[RawRow]:
        while True:
            message = self._next()
            if message[0] != worker.ROWS:
                self._pending = message  # the next sheet, or the end: for `sheets` to read
                return
            yield from message[1]

    def _next(self) -> tuple:
        if self._pending is not None:
            message, self._pending = self._pending, None
            return message
        try:
            self._wait_for_reply()
            message = self._conn.recv()
        except (EOFError, OSError):
            self._process.join()
            raise ParseFailure(
                "the workbook could not be read: its reader ran out of memory or crashed "
                f"(exit code {self._process.exitcode}); the file is damaged or hostile"
            ) from None
        if message[0] == worker.ERROR:
            raise ParseFailure(message[1])
        return message

    def _wait_for_reply(self) -> None:
        """Wait in short slices, so a cancelled or timed-out import stops (and its reader is killed) promptly."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while not self._conn.poll(_POLL_SLICE_S):
            check_budget()
            if time.monotonic() > deadline:
                raise ParseFailure(f"reading the workbook took longer than {REPLY_TIMEOUT_S:g} s; it was stopped")

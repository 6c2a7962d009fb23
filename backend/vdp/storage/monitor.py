"""Whether the task database still takes the app's changes, and telling whoever listens when that changes.

Two things can go wrong under a running app: writes fail (disk full, read-only remount, another process's lock,
damage), or the file is deleted or replaced behind its back. SQLite does not notice the second — writes to an
unlinked file succeed — so the monitor compares the file's identity (device and inode) with the one it opened,
after writes (at most once a second: one `stat`), on every health look, and on a slow timer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path
from typing import Callable, Optional

from ..contract import ErrorCode, StorageState, StorageStatus
from .faults import Fault, classify, is_storage_fault

log = logging.getLogger(__name__)

IDENTITY_LOOK_EVERY = 1.0  # seconds between identity looks after writes
WATCH_EVERY = 30.0  # seconds between identity looks while nothing is written

Listener = Callable[[ErrorCode, StorageStatus], None]

_WARNING_OF = {StorageState.RECOVERED: ErrorCode.DATABASE_RECOVERED,
               StorageState.UNWRITABLE: ErrorCode.DATABASE_UNWRITABLE,
               StorageState.VANISHED: ErrorCode.DATABASE_VANISHED}

_WRITE_FAILURE = {
    Fault.FULL: "the disk is full. Free some space; the app keeps trying",
    Fault.READ_ONLY: "the data folder has become read-only. Make it writable again; the app keeps trying",
    Fault.LOCKED: "another process holds a lock on it. Close the other program using this data folder",
    Fault.CORRUPT: "SQLite reports it as damaged. Quit the app; at the next start a copy is kept and a new list made",
    Fault.UNAVAILABLE: "it cannot be written",
}


def _identity(path: Path) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class StorageMonitor:
    def __init__(self, path: Path, moved_aside_to: Optional[Path]) -> None:
        self.path = path
        self.moved_aside_to = moved_aside_to
        self.last_backup: Optional[Path] = None
        self._opened = _identity(path)
        self._listeners: list[Listener] = []
        self._next_look = 0.0
        self._fault: Optional[Fault] = None
        self._base = StorageState.RECOVERED if moved_aside_to else StorageState.OK
        self._base_message = (
            f"The task list could not be read (SQLite reports it as damaged). A copy was kept as {moved_aside_to} "
            f"and a new, empty list was started. Keep the copy if you need its tasks." if moved_aside_to else None)
        self.state, self.message = self._base, self._base_message

    # -- what the user is told ------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        """`listener(code, status)` on every change for the worse, and now if there already is one to tell."""
        self._listeners.append(listener)
        if self.state is not StorageState.OK:
            listener(_WARNING_OF[self.state], self.status())

    def status(self) -> StorageStatus:
        return StorageStatus(
            ok=self.state in (StorageState.OK, StorageState.RECOVERED), state=self.state, message=self.message,
            path=str(self.path), moved_aside_to=str(self.moved_aside_to) if self.moved_aside_to else None,
            last_backup=str(self.last_backup) if self.last_backup else None)

    @property
    def vanished(self) -> bool:
        return self.state is StorageState.VANISHED

    # -- what the repository reports --------------------------------------------------------------

    def wrote(self) -> None:
        """A write committed: the file takes changes again (unless it is no longer the one at the path)."""
        if self.state is StorageState.UNWRITABLE:
            log.info("the task list %s takes changes again", self.path)
            self.state, self.message = self._base, self._base_message
        now = time.monotonic()
        if now >= self._next_look:
            self._next_look = now + IDENTITY_LOOK_EVERY
            self.look()

    def write_failed(self, exc: BaseException) -> None:
        if self.look() or not is_storage_fault(exc):
            return
        fault = classify(exc, self.path)
        if self.state is StorageState.UNWRITABLE and fault is self._fault:
            return  # the commit retries: one warning per cause, not one per attempt
        self._fault = fault
        reason = _WRITE_FAILURE[fault]
        self._worsen(StorageState.UNWRITABLE, (
            f"Changes to the task list {self.path} are not being saved: {reason}. The tasks stay in memory while the "
            f"app runs ({exc})."))

    def look(self) -> bool:
        """Compare the file at the path with the one opened; True when it is gone or another file."""
        if self.state is StorageState.VANISHED:
            return True
        if _identity(self.path) == self._opened:
            return False
        self._worsen(StorageState.VANISHED, (
            f"The task list {self.path} was deleted or replaced while the app was running. The tasks shown are kept "
            f"in memory and changes go on being saved to the open file; when the app stops they are written back to "
            f"{self.path} if nothing is there, otherwise to the backups folder. "
            "Do not start a second copy of the app."))
        return True

    def note_backup(self, copy: Path) -> None:
        if self.state is not StorageState.VANISHED:  # then the rescue copy is the one that counts
            self.last_backup = copy

    def note_rescue(self, copy: Path) -> None:
        self.last_backup = copy
        if self.state is StorageState.VANISHED:
            self.message = f"{self.message} A copy of the task list as it is now was saved as {copy}."

    async def watch(self, every: float = WATCH_EVERY) -> None:
        """Look now and then while nothing is written (run as a background task; cancelled at stop)."""
        while not self.vanished:
            await asyncio.sleep(every)
            self.look()

    def _worsen(self, state: StorageState, message: str) -> None:
        if state is self.state and message == self.message:
            return
        self.state, self.message = state, message
        log.error("storage %s: %s", state.value, message)
        status = self.status()
        for listener in self._listeners:
            listener(_WARNING_OF[state], status)

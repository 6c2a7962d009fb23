"""Re-import without duplicates: which rows of a sheet are new, which name a task we already have, and where
those known tasks stand (the original HEAD's reconciliation, original-features.md §2.2).

    planner = SheetPlanner(existing, numbers=)  ; planner.offer(row) per row, in sheet order
    planner.finish(make_task)            -> ImportPlan   (tasks of the new rows, known tasks, repeats)
    tally(plan, resumable_ids, skipped)  -> ImportReconciliation

A row names an existing task when they share the business key (column id + URL) or the URL and folder.
Titles of new tasks are made unique within their folder (case-insensitively, as on Windows and macOS), so
engines that name files after the title never pick the same name twice; rows of the course layout name their files
`NN title` already and keep their titles.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Collection, Optional, Protocol, Sequence, TypeVar, Union

from ..contract import ImportReconciliation, TaskStatus, VideoInfo, VideoTask
from ..import_pool import hand_over
from ._tasks import CourseNumbers, ImportTask

_ACTIVE = frozenset({TaskStatus.SCHEDULED, TaskStatus.DOWNLOADING, TaskStatus.PAUSING, TaskStatus.COMPLETING})


@dataclass(slots=True)
class ImportPlan:
    new: list[VideoTask] = field(default_factory=list)
    """Tasks for the new rows, in sheet order, each titled by its row: with ` (n)` added when its folder already has
    that title (unless the row names its file)."""
    known: list[VideoTask] = field(default_factory=list)
    """Existing tasks the sheet names, each once, in sheet order."""
    duplicate_rows: int = 0
    """Rows that repeat an earlier row of the same sheet (or name a known task an earlier row already named)."""


@lru_cache(maxsize=4096)
def _normal_folder(folder: str) -> str:
    """One string per folder: a sheet's rows share a few folders (and the cache saves a normpath per row)."""
    return os.path.normpath(folder)


class _Download(Protocol):
    """A task or a sheet row: where a URL is saved, and for which column."""

    @property
    def url(self) -> str: ...
    @property
    def output_path(self) -> str: ...
    @property
    def video_info(self) -> Optional[VideoInfo]: ...


D = TypeVar("D", bound=_Download)
_ByUrl = dict[str, Union[D, list[D]]]
"""Downloads by URL: nearly every URL has one, held as itself; a URL saved to several folders has a list. Keyed by
the URL strings the downloads hold already, this costs a dict entry per download, where the (URL, folder) and
(column id, URL) tuples of two dicts cost some 0.3 KB per task of a 200,000-task list."""


def _index(by_url: "_ByUrl[D]", item: D) -> None:
    held = by_url.setdefault(item.url, item)
    if held is not item:
        if isinstance(held, list):
            held.append(item)
        else:
            by_url[item.url] = [held, item]


def _column_id(item: _Download) -> Optional[str]:
    info = item.video_info
    return info.zl_id if info is not None else None


def _named_by(by_url: "_ByUrl[D]", row: ImportTask) -> Optional[D]:
    """The first download (in the order indexed) with the row's business key (column id + URL), else the first with
    its URL and folder, else None."""
    held = by_url.get(row.url)
    if held is None:
        return None
    candidates = held if isinstance(held, list) else (held,)
    column = row.video_info.zl_id
    if column:
        for candidate in candidates:
            if _column_id(candidate) == column:
                return candidate
    folder = _normal_folder(row.output_path)
    for candidate in candidates:
        if _normal_folder(candidate.output_path) == folder:
            return candidate
    return None


class SheetPlanner:
    """Plans an import while its file is read (`offer` each row, in sheet order, then `finish`): a row that names a
    task we hold is counted and let go at once, so a re-import of 200,000 known rows never holds those rows; only the
    new ones, and one dict entry per existing task, are kept (docs/benchmarks.md, "Import: 200,000 rows").
    `numbers` (the course layout) counts every row, known ones too, so new lessons keep their places in the sheet."""

    def __init__(self, existing: Sequence[VideoTask], *, numbers: Optional[CourseNumbers] = None) -> None:
        self._existing = existing
        self._known: _ByUrl[VideoTask] = {}
        for task in existing:
            _index(self._known, task)
        self._numbers = numbers
        self._new: _ByUrl[ImportTask] = {}
        self._kept: list[ImportTask] = []
        self._kept_numbers: list[int] = []
        self._named: set[str] = set()
        self._plan = ImportPlan()

    def offer(self, row: ImportTask) -> None:
        number = self._numbers.count(row) if self._numbers is not None else 0
        known = _named_by(self._known, row)
        if known is not None:
            if known.id in self._named:
                self._plan.duplicate_rows += 1
            else:
                self._named.add(known.id)
                self._plan.known.append(known)
        elif _named_by(self._new, row) is not None:
            self._plan.duplicate_rows += 1
        else:
            _index(self._new, row)
            self._kept.append(row)
            if self._numbers is not None:
                self._kept_numbers.append(number)

    def finish(self, make_task: Callable[[ImportTask, str], VideoTask]) -> ImportPlan:
        """`make_task(row, title)` for each new row, in sheet order; each row is let go once its task is made, so the
        rows and their tasks are never all held at once."""
        plan, numbers, rows = self._plan, self._numbers, self._kept
        _let_go(self._known, self._new, self._named)
        titles = _FolderTitles(set() if numbers is not None else {_normal_folder(row.output_path) for row in rows})
        for task in self._existing if numbers is None else ():
            titles.add(task.output_path, task.title)
        self._existing = ()
        rows.reverse()  # taken from the end, in sheet order
        stems = self._kept_numbers
        stems.reverse()
        while rows:
            hand_over()  # 200,000 tasks are made here, after the last read
            row = rows.pop()
            if numbers is not None:
                # A numbered file (course layout) never collides: its title stays the lesson's name, with no ` (n)`.
                row = numbers.numbered(row, stems.pop())
                plan.new.append(make_task(row, row.title))
            else:
                plan.new.append(make_task(row, titles.claim(row.output_path, row.title)))
        titles.let_go()
        return plan


def _let_go(*collections: dict[Any, Any] | set[Any]) -> None:
    """Empty these an item at a time. Left to be freed whole, a 200,000-row plan's indexes are freed in one call that
    holds the interpreter lock throughout, and the event loop's thread waits for it. Emptied here, the lock is handed
    over between items as usual (docs/benchmarks.md, "Import: 200,000 rows")."""
    for collection in collections:
        if isinstance(collection, dict):
            while collection:
                value = collection.popitem()[1]
                if isinstance(value, set):
                    _let_go(value)
        else:
            while collection:
                collection.pop()


def tally(plan: ImportPlan, resumable_ids: Collection[str], skipped_rows: int) -> ImportReconciliation:
    """Counts for the user. `resumable_ids`: known tasks that are not paused but already hold saved bytes."""
    counts = ImportReconciliation(new=len(plan.new), already_known=len(plan.known), skipped=skipped_rows,
                                  duplicate_rows=plan.duplicate_rows)
    for task in plan.known:
        status = task.status
        if status == TaskStatus.COMPLETED:
            counts.completed += 1
        elif status == TaskStatus.FAILED:
            counts.failed += 1
        elif status == TaskStatus.PAUSED or task.id in resumable_ids:
            counts.resumable += 1
        elif status in _ACTIVE:
            counts.active += 1
        elif status == TaskStatus.CANCELLED:
            counts.cancelled += 1
        else:
            counts.waiting += 1
    return counts


def may_hold_bytes(task: VideoTask) -> bool:
    """Known tasks whose saved bytes decide between resumable and waiting/cancelled (a repository read each)."""
    return task.status in (TaskStatus.PENDING, TaskStatus.CANCELLED) and task.downloaded_size > 0


class _FolderTitles:
    """Titles in use per folder, with the next free ` (n)` per title so a thousand equal titles stay linear."""

    def __init__(self, folders: set[str]) -> None:
        self._folders = folders
        """Normalised folders that get new tasks: the titles of the others are never asked about."""
        self._used: defaultdict[str, set[str]] = defaultdict(set)
        self._next: dict[tuple[str, str], int] = {}

    def let_go(self) -> None:
        _let_go(self._used, self._next, self._folders)

    def add(self, folder: str, title: str) -> None:
        folder = _normal_folder(folder)
        if folder in self._folders:
            self._used[folder].add(title.casefold())

    def claim(self, folder: str, title: str) -> str:
        folder = _normal_folder(folder)
        used = self._used[folder]
        base = title.casefold()
        chosen, n = title, self._next.get((folder, base), 2)
        while chosen.casefold() in used:
            chosen, n = f"{title} ({n})", n + 1
        self._next[(folder, base)] = n
        used.add(chosen.casefold())
        return chosen

"""Re-import without duplicates: which rows of a sheet are new, which name a task we already have, and where
those known tasks stand (the original HEAD's reconciliation, original-features.md §2.2).

    plan_import(rows, existing)          -> ImportPlan   (new rows with unique titles, known tasks, repeats)
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
from typing import Collection, Iterable, Optional, Sequence

from ..contract import ImportReconciliation, TaskStatus, VideoTask
from ._tasks import ImportTask

_ACTIVE = frozenset({TaskStatus.SCHEDULED, TaskStatus.DOWNLOADING, TaskStatus.PAUSING, TaskStatus.COMPLETING})

PathKey = tuple[str, str]
BusinessKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NewTask:
    row: ImportTask
    title: str
    """The row's title, with ` (n)` added when its folder already has that title (unless the row names its file)."""


@dataclass(slots=True)
class ImportPlan:
    new: list[NewTask] = field(default_factory=list)
    known: list[VideoTask] = field(default_factory=list)
    """Existing tasks the sheet names, each once, in sheet order."""
    duplicate_rows: int = 0
    """Rows that repeat an earlier row of the same sheet (or name a known task an earlier row already named)."""


def path_key(url: str, folder: str) -> PathKey:
    return url, os.path.normpath(folder)


def business_key(task: VideoTask) -> Optional[BusinessKey]:
    info = task.video_info
    return (info.zl_id, task.url) if info is not None and info.zl_id else None


def plan_import(rows: Sequence[ImportTask], existing: Iterable[VideoTask]) -> ImportPlan:
    by_business: dict[BusinessKey, VideoTask] = {}
    by_path: dict[PathKey, VideoTask] = {}
    titles = _FolderTitles()
    for task in existing:
        if (key := business_key(task)) is not None:
            by_business.setdefault(key, task)
        by_path.setdefault(path_key(task.url, task.output_path), task)
        titles.add(task.output_path, task.title)

    plan = ImportPlan()
    named: set[str] = set()
    seen_business: set[BusinessKey] = set()
    seen_path: set[PathKey] = set()
    for row in rows:
        where = path_key(row.url, row.output_path)
        known = (by_business.get(row.business_key) if row.business_key else None) or by_path.get(where)
        if known is not None:
            if known.id in named:
                plan.duplicate_rows += 1
            else:
                named.add(known.id)
                plan.known.append(known)
            continue
        if where in seen_path or (row.business_key is not None and row.business_key in seen_business):
            plan.duplicate_rows += 1
            continue
        seen_path.add(where)
        if row.business_key is not None:
            seen_business.add(row.business_key)
        # A numbered file (course layout) never collides: its title stays the lesson's name, with no ` (n)`.
        title = row.title if row.file_stem else titles.claim(row.output_path, row.title)
        plan.new.append(NewTask(row, title))
    return plan


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

    def __init__(self) -> None:
        self._used: defaultdict[str, set[str]] = defaultdict(set)
        self._next: dict[tuple[str, str], int] = {}

    def add(self, folder: str, title: str) -> None:
        self._used[os.path.normpath(folder)].add(title.casefold())

    def claim(self, folder: str, title: str) -> str:
        folder = os.path.normpath(folder)
        used = self._used[folder]
        base = title.casefold()
        chosen, n = title, self._next.get((folder, base), 2)
        while chosen.casefold() in used:
            chosen, n = f"{title} ({n})", n + 1
        self._next[(folder, base)] = n
        used.add(chosen.casefold())
        return chosen

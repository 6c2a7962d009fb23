"""Import commands (docs/contract.md, "Import commands") and the v2 additions: the re-import reconciliation
(`import_and_reconcile`) and the one-time migration from the original app (`get_migration_offer`, `run_migration`).

The parsers block (a workbook is read in a child process), so they run in a worker thread; the tasks a file
yields are created by one `AddTasks` command, which is one repository transaction and one burst of `task_added`.
"""

from __future__ import annotations

import asyncio
import errno
import os
import weakref
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Mapping, Optional

from ... import importers, intake
from ...contract import (
    FilePathArgs,
    ImportedData,
    ImportEnqueueArgs,
    ImportFileArgs,
    ImportSheetArgs,
    MigrationArgs,
    NoArgs,
    PreviewArgs,
    VideoTask,
    utc_now,
)
from ...contract.imports import (
    EncodingDetection,
    ImportPreview,
    ImportResult,
    ImportStatistics,
    MigrationOffer,
    MigrationReport,
    ReconciledImport,
    SupportedFormats,
)
from ...errors import ErrorCode, ErrorKind, VdpError
from ...import_pool import collector_paused
from ...importers import Layout
from ...importers.reconcile import ImportPlan, SheetPlanner, may_hold_bytes, tally
from ...runtime import commands
from ...slices import release_in_slices
from ...storage import legacy_import
from ..context import AppContext
from ..registry import command
from .config import apply_config


@dataclass(frozen=True, slots=True)
class SheetImport:
    """A file imported into the task list: the tasks it created, the known tasks it named, and the counts."""

    added: list[VideoTask]
    known: list[VideoTask]
    result: ReconciledImport


async def import_sheet(app: AppContext, file_path: str, *, field_mapping: Optional[Mapping[str, str]] = None,
                       output_dir: Optional[str] = None, layout: Optional[str] = None) -> SheetImport:
    """Read the file, create the tasks of the rows no task covers yet (a transaction per `ADD_BATCH`; importing the
    file again completes an import that was interrupted), and say what the rest are."""
    with collector_paused():  # a large sheet makes millions of objects: no collector pauses meanwhile (import_pool)
        folder = output_dir or app.config.download.output_directory
        # Reading (which plans row by row) and adding must not interleave with another import, or both would add
        # the same rows.
        async with _import_lock(app):
            statistics, plan = await importers.run_import(
                read_and_plan, file_path, field_mapping, folder, layout, app.runtime.tasks())  # off the event loop
            resumable = await _resumable(app, plan)
            # O(rows): off the loop
            reconciliation = await importers.run_import(tally, plan, resumable, statistics.skipped_rows)
            cause = f"imported from {Path(file_path).name}"
            # The plan already set aside what we hold; the same URL for another folder or column is a new task.
            added = await _add_in_batches(app, plan.new, cause)
            await release_in_slices(plan.new, RELEASE_SLICE)
    return SheetImport(added, plan.known, ReconciledImport(tasks=added, reconciliation=reconciliation,
                                                           statistics=statistics))


RELEASE_SLICE = 2_000
"""Tasks freed between two turns of the event loop: 200,000 tasks (each with its `video_info` and their dicts) freed
at once held the loop for over 100 ms. The v2 runtime keeps the added tasks themselves, so only the list goes; the
v1 runtime keeps copies, so the originals go here."""


ADD_BATCH = 250
"""Tasks per AddTasks command: the command loop handles one at a time, so a 200,000-row sheet never holds it for
longer than one batch (tens of milliseconds); a downloads' progress and the UI's requests run in between."""


async def _add_in_batches(app: AppContext, new: list[VideoTask], cause: str) -> list[VideoTask]:
    added: list[VideoTask] = []
    for start in range(0, len(new), ADD_BATCH):
        added += await app.runtime.submit(commands.AddTasks(new[start:start + ADD_BATCH], cause=cause,
                                                     skip_duplicate_urls=False))
    return added


def read_and_plan(file_path: str, field_mapping: Optional[Mapping[str, str]], folder: str, layout: Optional[str],
                  existing: list[VideoTask]) -> tuple[ImportStatistics, ImportPlan]:
    """The file read and planned row by row against `existing` (the task list when the import began): a row that
    names a known task is let go as soon as it is read, so a re-import holds no more than its new rows; the plan
    carries the tasks of those."""
    make = importers.TaskMaker(output_dir=folder, layout=layout or "flat")
    planner = SheetPlanner(existing, numbers=importers.CourseNumbers() if make.layout is Layout.BY_COURSE else None)

    def keep(record: ImportedData) -> None:
        row = make(record)
        if row is not None:
            planner.offer(row)

    read = importers.read_records(file_path, keep, field_mapping=field_mapping)
    now = utc_now()
    return read.statistics, planner.finish(partial(intake.task_for_row, at=now))


_locks: "weakref.WeakKeyDictionary[Any, asyncio.Lock]" = weakref.WeakKeyDictionary()


def _import_lock(app: AppContext) -> asyncio.Lock:
    return _locks.setdefault(app, asyncio.Lock())


def read_rows(file_path: str, field_mapping: Optional[Mapping[str, str]], folder: str,
              layout: Optional[str]) -> tuple[ImportStatistics, list[importers.ImportTask]]:
    """The file's rows as tasks-to-be (the path preview) and the file's statistics; each row keeps its record as its
    `video_info`."""
    parsed = importers.parse(file_path, field_mapping=field_mapping)
    return parsed.statistics, importers.build_tasks(parsed.imported_data, output_dir=folder, layout=layout or "flat")


async def _resumable(app: AppContext, plan: ImportPlan) -> set[str]:
    """Known tasks that are not paused but already hold bytes on disk (after a restart or a cancel that kept them)."""
    candidates = await importers.run_import(lambda: [task for task in plan.known if may_hold_bytes(task)])
    ids = set()
    for task in candidates:
        if (await app.repo.load_resume(task.id)).durable_bytes > 0:
            ids.add(task.id)
    return ids


async def _parse(path: str, *, strict: bool = False, max_rows: int = 0,
                 mapping: Optional[Mapping[str, Any]] = None) -> ImportResult:
    return await importers.run_import(importers.parse, path, strict=strict, max_rows=max_rows, field_mapping=mapping)


def _missing_as_parse_failure(operation: str, exc: VdpError) -> VdpError:
    """preview_import_data and detect_file_encoding report a missing file as the original did: a parsing failure
    carrying Rust's text of the OS error (docs/contract.md, "Import commands")."""
    if exc.code != ErrorCode.FILE_NOT_FOUND:
        return exc
    return VdpError(ErrorCode.FILE_NOT_FOUND, f"{operation}: {os.strerror(errno.ENOENT)} (os error {errno.ENOENT})",
                    kind=ErrorKind.PARSE)


@command("preview_import_data", PreviewArgs)
async def preview_import_data(app: AppContext, args: PreviewArgs) -> ImportPreview:
    try:
        return await importers.run_import(importers.preview, args.file_path, args.max_rows or 0)
    except VdpError as exc:
        raise _missing_as_parse_failure("Failed to preview file", exc) from None


@command("import_file", ImportFileArgs)
async def import_file(app: AppContext, args: ImportFileArgs) -> ImportResult:
    return await _parse(args.file_path, strict=args.strict_mode, max_rows=args.max_rows or 0,
                        mapping=args.custom_field_mapping)


@command("import_csv_file", ImportSheetArgs)
async def import_csv_file(app: AppContext, args: ImportSheetArgs) -> list[ImportedData]:
    # As in the original, any supported format is accepted and `encoding` is detected rather than trusted.
    return (await _parse(args.file_path, mapping=args.field_mapping)).imported_data


@command("import_excel_file", ImportSheetArgs)
async def import_excel_file(app: AppContext, args: ImportSheetArgs) -> list[ImportedData]:
    # As in the original, every sheet is read; `sheetName` only names what the UI showed.
    return (await _parse(args.file_path, mapping=args.field_mapping)).imported_data


@command("detect_file_encoding", FilePathArgs)
async def detect_file_encoding(app: AppContext, args: FilePathArgs) -> EncodingDetection:
    try:
        return await importers.run_import(importers.detect_encoding, args.file_path)
    except VdpError as exc:
        raise _missing_as_parse_failure("Encoding detection failed", exc) from None


@command("get_supported_formats")
async def get_supported_formats(app: AppContext, _: NoArgs) -> SupportedFormats:
    return importers.supported_formats()


async def _import_and_maybe_start(app: AppContext, args: ImportEnqueueArgs) -> ReconciledImport:
    done = await import_sheet(app, args.file_path, field_mapping=args.field_mapping, output_dir=args.output_dir,
                              layout=args.layout)
    if args.start:
        await app.runtime.submit(commands.StartAll())
    return done.result


@command("import_tasks_and_enqueue", ImportEnqueueArgs)
async def import_tasks_and_enqueue(app: AppContext, args: ImportEnqueueArgs) -> list[VideoTask]:
    return (await _import_and_maybe_start(app, args)).tasks


@command("import_and_reconcile", ImportEnqueueArgs)
async def import_and_reconcile(app: AppContext, args: ImportEnqueueArgs) -> ReconciledImport:
    return await _import_and_maybe_start(app, args)


# -- migration from the original app ------------------------------------------------------------------


@command("get_migration_offer")
async def get_migration_offer(app: AppContext, _: NoArgs) -> MigrationOffer:
    found = await asyncio.to_thread(legacy_import.find_original_storage)
    if found is None or legacy_import.already_migrated(app.paths.root, found):
        return MigrationOffer(found=False)
    try:
        storage = await asyncio.to_thread(legacy_import.read_storage, found, app.config)
    except legacy_import.LegacyStorageError:
        return MigrationOffer(found=False)
    return MigrationOffer(found=True, path=str(found), tasks=len(storage.tasks), config=storage.config is not None)


@command("run_migration", MigrationArgs)
async def run_migration(app: AppContext, args: MigrationArgs) -> MigrationReport:
    source = Path(args.path).expanduser() if args.path else await asyncio.to_thread(legacy_import.find_original_storage)
    if source is None:
        raise VdpError(ErrorCode.MIGRATION_FAILED,
                       "Migration error: the original app's storage was not found; give its folder")
    try:
        storage = await asyncio.to_thread(legacy_import.read_storage, source, app.config)
    except legacy_import.LegacyStorageError as exc:
        raise VdpError(ErrorCode.MIGRATION_FAILED, f"Migration error: {exc}") from None
    if storage.config is not None:
        await apply_config(app, storage.config)
    fallback = app.config.download.output_directory
    tasks = [intake.prepared(entry.to_task(fallback)) for entry in storage.tasks]
    added = await app.runtime.submit(commands.AddTasks(tasks, cause=f"migrated from {storage.folder}")) if tasks else []
    report = MigrationReport(
        path=str(storage.folder), config_migrated=storage.config is not None, notes=storage.notes,
        tasks_found=len(storage.tasks) + storage.finished + storage.unreadable, tasks_added=len(added),
        tasks_already_known=len(tasks) - len(added), tasks_finished=storage.finished,
        tasks_unreadable=storage.unreadable,
    )
    await asyncio.to_thread(legacy_import.remember_migration, app.paths.root, storage.folder, report)
    return report


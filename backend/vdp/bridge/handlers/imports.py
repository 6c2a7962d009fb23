"""Import commands (original-contract.md §2.2) and the v2 additions: the re-import reconciliation
(`import_and_reconcile`) and the one-time migration from the original app (`get_migration_offer`, `run_migration`).

The parsers block (a workbook is read in a child process), so they run in a worker thread; the tasks a file
yields are created by one `AddTasks` command, which is one repository transaction and one burst of `task_added`.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from ... import importers
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
)
from ...contract.imports import (
    EncodingDetection,
    ImportPreview,
    ImportResult,
    MigrationOffer,
    MigrationReport,
    ReconciledImport,
    SupportedFormats,
)
from ...errors import CommandError
from ...importers.reconcile import ImportPlan, may_hold_bytes, plan_import, tally
from ...runtime import commands as C
from ...storage import legacy_import
from ..registry import command
from .config import apply_config
from .downloads import prepare_task


@dataclass(frozen=True, slots=True)
class SheetImport:
    """A file imported into the task list: the tasks it created, the known tasks it named, and the counts."""

    added: list[VideoTask]
    known: list[VideoTask]
    result: ReconciledImport


async def import_sheet(app: Any, file_path: str, *, field_mapping: Optional[Mapping[str, str]] = None,
                       output_dir: Optional[str] = None, layout: Optional[str] = None) -> SheetImport:
    """Parse the file, create the tasks of the rows no task covers yet (one transaction), and say what the rest are."""
    folder = output_dir or app.config.download.output_directory
    parsed, rows = await asyncio.to_thread(_read_rows, file_path, field_mapping, folder, layout)
    # Planning and adding must not interleave with another import, or both would add the same rows.
    async with _import_lock(app):
        plan, new = await asyncio.to_thread(_plan, rows, app.runtime.tasks())  # CPU work off the event loop
        cause = f"imported from {Path(file_path).name}"
        # The plan already set aside what we hold; the same URL for another folder or column is a new task.
        added = await app.runtime.submit(C.AddTasks(new, cause=cause, skip_duplicate_urls=False)) if new else []
    reconciliation = tally(plan, await _resumable(app, plan), parsed.statistics.skipped_rows)
    return SheetImport(added, plan.known, ReconciledImport(tasks=added, reconciliation=reconciliation,
                                                           statistics=parsed.statistics))


def _plan(rows: list[importers.ImportTask], existing: list[VideoTask]) -> tuple[ImportPlan, list[VideoTask]]:
    plan = plan_import(rows, existing)
    return plan, [_video_task(entry.row, entry.title) for entry in plan.new]


_locks: "weakref.WeakKeyDictionary[Any, asyncio.Lock]" = weakref.WeakKeyDictionary()


def _import_lock(app: Any) -> asyncio.Lock:
    return _locks.setdefault(app, asyncio.Lock())


def _read_rows(file_path: str, field_mapping: Optional[Mapping[str, str]], folder: str,
               layout: Optional[str]) -> tuple[ImportResult, list[importers.ImportTask]]:
    parsed = importers.parse(file_path, field_mapping=field_mapping)
    return parsed, importers.build_tasks(parsed.imported_data, output_dir=folder, layout=layout or "flat")


def _video_task(row: importers.ImportTask, title: str) -> VideoTask:
    return prepare_task(VideoTask(id=f"task_{uuid.uuid4().hex}", url=row.url, title=title,
                                  output_path=row.output_path, video_info=row.video_info))


async def _resumable(app: Any, plan: ImportPlan) -> set[str]:
    """Known tasks that are not paused but already hold bytes on disk (after a restart or a cancel that kept them)."""
    ids = set()
    for task in plan.known:
        if may_hold_bytes(task) and (await app.repo.load_resume(task.id)).durable_bytes > 0:
            ids.add(task.id)
    return ids


async def _parse(path: str, *, strict: bool = False, max_rows: int = 0,
                 mapping: Optional[Mapping[str, Any]] = None) -> ImportResult:
    return await asyncio.to_thread(importers.parse, path, strict=strict, max_rows=max_rows, field_mapping=mapping)


@command("preview_import_data", PreviewArgs)
async def preview_import_data(app: Any, args: PreviewArgs) -> ImportPreview:
    return await asyncio.to_thread(importers.preview, args.file_path, args.max_rows or 0)


@command("import_file", ImportFileArgs)
async def import_file(app: Any, args: ImportFileArgs) -> ImportResult:
    return await _parse(args.file_path, strict=args.strict_mode, max_rows=args.max_rows or 0,
                        mapping=args.custom_field_mapping)


@command("import_csv_file", ImportSheetArgs)
async def import_csv_file(app: Any, args: ImportSheetArgs) -> list[ImportedData]:
    # As in the original, any supported format is accepted and `encoding` is detected rather than trusted.
    return (await _parse(args.file_path, mapping=args.field_mapping)).imported_data


@command("import_excel_file", ImportSheetArgs)
async def import_excel_file(app: Any, args: ImportSheetArgs) -> list[ImportedData]:
    # As in the original, every sheet is read; `sheetName` only names what the UI showed.
    return (await _parse(args.file_path, mapping=args.field_mapping)).imported_data


@command("detect_file_encoding", FilePathArgs)
async def detect_file_encoding(app: Any, args: FilePathArgs) -> EncodingDetection:
    return await asyncio.to_thread(importers.detect_encoding, args.file_path)


@command("get_supported_formats")
async def get_supported_formats(app: Any, _: NoArgs) -> SupportedFormats:
    return importers.supported_formats()


async def _import_and_maybe_start(app: Any, args: ImportEnqueueArgs) -> ReconciledImport:
    done = await import_sheet(app, args.file_path, field_mapping=args.field_mapping, output_dir=args.output_dir,
                              layout=args.layout)
    if args.start:
        await app.runtime.submit(C.StartAll())
    return done.result


@command("import_tasks_and_enqueue", ImportEnqueueArgs)
async def import_tasks_and_enqueue(app: Any, args: ImportEnqueueArgs) -> list[VideoTask]:
    return (await _import_and_maybe_start(app, args)).tasks


@command("import_and_reconcile", ImportEnqueueArgs)
async def import_and_reconcile(app: Any, args: ImportEnqueueArgs) -> ReconciledImport:
    return await _import_and_maybe_start(app, args)


# -- migration from the original app ------------------------------------------------------------------


@command("get_migration_offer")
async def get_migration_offer(app: Any, _: NoArgs) -> MigrationOffer:
    found = await asyncio.to_thread(legacy_import.find_original_storage)
    if found is None or legacy_import.already_migrated(app.paths.root, found):
        return MigrationOffer(found=False)
    try:
        storage = await asyncio.to_thread(legacy_import.read_storage, found, app.config)
    except legacy_import.LegacyStorageError:
        return MigrationOffer(found=False)
    return MigrationOffer(found=True, path=str(found), tasks=len(storage.tasks), config=storage.config is not None)


@command("run_migration", MigrationArgs)
async def run_migration(app: Any, args: MigrationArgs) -> MigrationReport:
    source = Path(args.path).expanduser() if args.path else await asyncio.to_thread(legacy_import.find_original_storage)
    if source is None:
        raise CommandError("Migration error: the original app's storage was not found; give its folder")
    try:
        storage = await asyncio.to_thread(legacy_import.read_storage, source, app.config)
    except legacy_import.LegacyStorageError as exc:
        raise CommandError(f"Migration error: {exc}") from None
    if storage.config is not None:
        await apply_config(app, storage.config)
    fallback = app.config.download.output_directory
    tasks = [prepare_task(entry.to_task(fallback)) for entry in storage.tasks]
    added = await app.runtime.submit(C.AddTasks(tasks, cause=f"migrated from {storage.folder}")) if tasks else []
    report = MigrationReport(
        path=str(storage.folder), config_migrated=storage.config is not None, notes=storage.notes,
        tasks_found=len(storage.tasks) + storage.finished + storage.unreadable, tasks_added=len(added),
        tasks_already_known=len(tasks) - len(added), tasks_finished=storage.finished,
        tasks_unreadable=storage.unreadable,
    )
    await asyncio.to_thread(legacy_import.remember_migration, app.paths.root, storage.folder, report)
    return report


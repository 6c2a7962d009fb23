"""Import pipeline models (docs/contract.md, "Import commands") plus the v2 reconciliation report."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import WireEnum, WireModel
from .tasks import ImportedData, VideoTask


class FileFormat(WireEnum):
    CSV = "Csv"
    EXCEL = "Excel"


class EncodingDetection(WireModel):
    encoding: str
    confidence: float
    language: Optional[str] = None


class ImportStatistics(WireModel):
    total_rows: int = 0
    parsed_rows: int = 0
    skipped_rows: int = 0
    parse_time_ms: int = 0
    file_size: int = 0
    skip_reasons: dict[str, int] = Field(default_factory=dict, description="v2: skipped rows counted by reason")


class ImportPreview(WireModel):
    headers: list[str]
    rows: list[list[str]]
    total_rows: int
    encoding: str
    field_mapping: dict[str, str]


class ImportResult(WireModel):
    imported_data: list[ImportedData]
    statistics: ImportStatistics
    file_format: FileFormat
    encoding: str


class SupportedFormat(WireModel):
    name: str
    extensions: list[str]
    description: str
    supports_multiple_sheets: bool


class SupportedFormats(WireModel):
    formats: list[SupportedFormat]
    encodings: list[str]


class ImportReconciliation(WireModel):
    """What a (re-)import did: the original HEAD's "N new, M already known, X completed, Y resumable".

    Every parsed row is counted once: `new` + `already_known` + `duplicate_rows` = parsed rows. A row is already
    known when a task exists with the same business key (column id + URL) or the same URL and folder. The known
    tasks are split by where they stand: completed, resumable (paused, or bytes already saved), failed, waiting
    (not started), active (running now) and cancelled."""

    new: int = 0
    already_known: int = 0
    completed: int = 0
    resumable: int = 0
    failed: int = 0
    skipped: int = Field(default=0, description="rows without a valid http(s) URL (see the import statistics)")
    # v2: the rest of the split of `already_known`, and rows repeating an earlier row of the same file
    waiting: int = 0
    active: int = 0
    cancelled: int = 0
    duplicate_rows: int = 0


class ReconciledImport(WireModel):
    """`import_and_reconcile`: the tasks created (in one transaction) and what the file held."""

    tasks: list[VideoTask]
    reconciliation: ImportReconciliation
    statistics: ImportStatistics


class MigrationOffer(WireModel):
    """`get_migration_offer`: the original app's storage found on this machine and not migrated yet."""

    found: bool
    path: Optional[str] = Field(default=None, description="the folder holding the original's config.json")
    tasks: int = Field(default=0, description="readable tasks in its download_state.json")
    config: bool = Field(default=False, description="whether its config.json is there")


class MigrationReport(WireModel):
    """`run_migration`: what was taken over from the original app. Running it again adds nothing."""

    path: str
    config_migrated: bool
    notes: list[str] = Field(
        default_factory=list,
        description="what was not taken over (unknown or invalid settings, unreadable files) and why",
    )
    tasks_found: int = 0
    tasks_added: int = 0
    tasks_already_known: int = Field(default=0, description="same URL as a task we already have: left alone")
    tasks_finished: int = Field(default=0, description="completed or cancelled in the original: not downloaded again")
    tasks_unreadable: int = 0

"""Import pipeline models (original-contract.md §3.3, §7) plus the v2 reconciliation report."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import WireEnum, WireModel
from .tasks import ImportedData


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
    """What a (re-)import did: the original HEAD's "N new, M already known, X completed, Y resumable"."""

    new: int = 0
    already_known: int = 0
    completed: int = 0
    resumable: int = 0
    failed: int = 0
    skipped: int = 0

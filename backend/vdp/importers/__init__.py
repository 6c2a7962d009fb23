"""Reading CSV/TSV/TXT and XLSX/XLS/ODS sheets of video links into import records (docs/contract.md, "Import commands").

    detect_encoding(path)                 -> EncodingDetection
    preview(path, max_rows=10)            -> ImportPreview     (first sheet)
    parse(path, strict=, max_rows=, field_mapping=) -> ImportResult  (every sheet)
    read_records(path, keep, ...)         -> SheetRead         (the same, each record handed to `keep` as it is read)
    supported_formats()                   -> SupportedFormats
    build_tasks(rows, output_dir=, layout=) -> list[ImportTask]  (titles and folders for the downloads)
    TaskMaker, CourseNumbers              (build_tasks a row at a time, and its course numbering)

Failures raise `vdp.errors.VdpError` (codes file_not_found, io_error, parse_error) whose text is the original's:
`IO error: File not found: {path}`, `Parsing error: File parsing failed: {why}`,
`Parsing error: Failed to preview file: {why}`. A file beyond
`ImportLimits` (size, rows, zip expansion) is refused with such a message; a row with a giant cell is skipped.
Workbooks are read by calamine in a child process (multiprocessing: a frozen app must call freeze_support), so
a hostile file can end that process but never the app. All calls block: run them with `run_import`, on the
import pool (never asyncio's default executor), which bounds their time and lets them be cancelled.
"""

from ..import_pool import cancel_running, run_import
from ._encoding import detect_encoding
from ._formats import supported_formats
from ._headers import FieldMapping
from ._limits import DEFAULT_LIMITS, ImportLimits
from ._parse import SheetRead, parse, read_records
from ._preview import preview
from ._table import SkipReason
from ._tasks import CourseNumbers, ImportTask, Layout, TaskMaker, build_tasks

__all__ = [
    "CourseNumbers",
    "DEFAULT_LIMITS",
    "FieldMapping",
    "ImportLimits",
    "ImportTask",
    "Layout",
    "SheetRead",
    "SkipReason",
    "TaskMaker",
    "build_tasks",
    "cancel_running",
    "detect_encoding",
    "parse",
    "preview",
    "read_records",
    "run_import",
    "supported_formats",
]

"""How much input an import will accept before it refuses, so a huge or hostile file costs bounded memory and time."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportLimits:
    max_text_bytes: int = 200 * MIB
    """CSV/TSV/TXT files are streamed, so they may be large."""
    max_workbook_bytes: int = 50 * MIB
    """Spreadsheets are loaded whole by calamine, so the file itself is kept smaller."""
    max_unpacked_bytes: int = 256 * MIB
    """What the members of an XLSX/ODS zip may inflate to, in total (zip bomb guard)."""
    max_zip_members: int = 10_000
    max_reader_memory_bytes: int = 2048 * MIB
    """Address space of the process that runs calamine on a workbook (where the OS can cap it)."""
    max_rows: int = 200_000
    """Data rows over all sheets; more is refused with a message asking to split the file."""
    max_cell_chars: int = 64 * 1024
    """A longer cell skips its row (`cell_too_large`)."""
    max_row_chars: int = 1024 * 1024
    """A longer CSV record is skipped unread (`row_too_large`), so one row never fills memory."""


DEFAULT_LIMITS = ImportLimits()

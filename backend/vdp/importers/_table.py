"""What every reader hands on: sheets of trimmed text rows, each row numbered as the user sees it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterator, Optional, Union

from ..contract import FileFormat


class SkipReason(str, Enum):
    """Why a data row did not become an import record (the keys of ImportStatistics.skip_reasons)."""

    EMPTY_ROW = "empty_row"
    MISSING_URL = "missing_url"
    INVALID_URL = "invalid_url"
    CELL_TOO_LARGE = "cell_too_large"
    ROW_TOO_LARGE = "row_too_large"
    MALFORMED_ROW = "malformed_row"

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    SkipReason.EMPTY_ROW: "the row is empty",
    SkipReason.MISSING_URL: "the row has no video URL",
    SkipReason.INVALID_URL: "the video URL is not a valid http(s) URL",
    SkipReason.CELL_TOO_LARGE: "a cell is too large",
    SkipReason.ROW_TOO_LARGE: "the row is too large to read",
    SkipReason.MALFORMED_ROW: "the row is not valid CSV",
}

RawRow = tuple[int, Union[list[str], SkipReason]]
"""(row number in the file, trimmed cells) — or the reason the reader could not produce the cells."""


@dataclass(slots=True)
class Sheet:
    name: Optional[str]
    """The worksheet name; None for a text file."""
    header: list[str]
    rows: Iterator[RawRow]


@dataclass(slots=True)
class Table:
    format: FileFormat
    encoding: str
    file_size: int
    sheets: Iterator[Sheet]
    """Lazily read; a text file has one sheet, a workbook one per non-empty worksheet."""

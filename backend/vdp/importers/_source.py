"""Opens an import file as a `Table`: checks the limits, picks the reader, and counts rows against the cap."""

from __future__ import annotations

import io
import os
from contextlib import contextmanager
from typing import Any, Iterator

from ..contract import FileFormat
from ._bounded import check_budget
from ._encoding import detect, open_source, sample_of
from ._failure import ParseFailure
from ._formats import file_format, is_zip
from ._limits import MIB, ImportLimits
from ._table import RawRow, Sheet, Table
from ._text_reader import read_text_sheet, sniff_delimiter
from ._workbook_reader import open_workbook
from ._zip_guard import check_workbook_zip

_READ_BUFFER = MIB


@contextmanager
def open_table(path: str | os.PathLike[str], limits: ImportLimits, *, strict: bool = False) -> Iterator[Table]:
    """`strict` refuses undecodable text instead of replacing it. Only a regular file is read (never a device or
    FIFO), and at most `limits.max_text_bytes` of it, whatever its size said, within the import's time budget."""
    with open_source(path) as raw:
        sample = sample_of(raw, path)
        if file_format(path, sample.head) is FileFormat.EXCEL:
            _refuse_if_larger(sample.size, limits.max_workbook_bytes, "spreadsheets")
            if is_zip(sample.head):
                check_workbook_zip(path, limits)
            with open_workbook(path, limits.max_reader_memory_bytes) as sheets:
                yield Table(FileFormat.EXCEL, "UTF-8", sample.size, _capped(sheets, limits.max_rows))
            return
        _refuse_if_larger(sample.size, limits.max_text_bytes, "text files")
        detected = detect(sample.head, complete=sample.complete)
        delimiter = sniff_delimiter(sample.head.decode(detected.codec, errors="replace"))
        errors = "strict" if strict else "replace"
        bounded = io.BufferedReader(_BoundedRaw(raw, limits.max_text_bytes), _READ_BUFFER)
        with io.TextIOWrapper(bounded, encoding=detected.codec, errors=errors, newline="") as stream:
            try:
                sheet = read_text_sheet(stream, delimiter, limits.max_row_chars)
                sheets = iter([sheet] if sheet else [])
                # Rows are read while the caller iterates, so a strict decoding error surfaces at this yield.
                yield Table(FileFormat.CSV, detected.name, sample.size, _capped(sheets, limits.max_rows))
            except UnicodeDecodeError as exc:
                raise ParseFailure(f"the file is not valid {detected.name} text ({exc.reason})") from None


class _BoundedRaw(io.RawIOBase):
    """The file's bytes, but never more than `limit` of them (a file may grow, or lie about its size); each read
    first checks the import's cancel flag and time budget (`_bounded`)."""

    def __init__(self, raw: io.BufferedReader, limit: int) -> None:
        self._raw = raw
        self._left = limit
        self._limit = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        check_budget()
        count = self._raw.readinto(buffer) or 0
        self._left -= count
        if self._left < 0:
            raise ParseFailure(f"the file grew past {self._limit / MIB:g} MiB while it was read; it was refused")
        return count


def _refuse_if_larger(size: int, limit: int, kind: str) -> None:
    if size > limit:
        raise ParseFailure(f"the file is {size / MIB:.1f} MiB; {kind} larger than {limit / MIB:g} MiB are refused")


def _capped(sheets: Iterator[Sheet], max_rows: int) -> Iterator[Sheet]:
    """Stops the whole import at the first data row past `max_rows`, over all sheets together."""
    seen = 0

    def count(rows: Iterator[RawRow]) -> Iterator[RawRow]:
        nonlocal seen
        for row in rows:
            seen += 1
            if seen > max_rows:
                raise ParseFailure(
                    f"the file has more than {max_rows:,} data rows; split it into smaller files"
                )
            yield row

    for sheet in sheets:
        yield Sheet(sheet.name, sheet.header, count(sheet.rows))

